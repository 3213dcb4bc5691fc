/**
 * Accounts and sync cursors on Deno KV. Tokens are one AES-GCM encrypted
 * JSON blob with the account id as additional data.
 * @module
 */
import type { AccountStore, CursorStore } from "../../pipeline/ports.ts";
import type { Account, Tokens } from "../../pipeline/types.ts";
import type { TokenCipher } from "../crypto/token_cipher.ts";
import { parseTokens } from "../tokens_json.ts";
import { keys, retryAtomic } from "./keys.ts";

type AccountRecord = Account & { tokensEnc: string };

function strip(r: AccountRecord): Account {
  const { tokensEnc: _t, ...account } = r;
  return account;
}

/** The account store over `kv`. */
export function createKvAccounts(
  kv: Deno.Kv,
  cipher: TokenCipher,
): AccountStore {
  const update = (
    id: string,
    what: string,
    fn: (r: AccountRecord) => AccountRecord | Promise<AccountRecord>,
  ) =>
    retryAtomic(what, async () => {
      const cur = await kv.get<AccountRecord>(keys.account(id));
      if (!cur.value) return true;
      const next = await fn(cur.value);
      const res = await kv.atomic().check(cur).set(keys.account(id), next)
        .commit();
      return res.ok ? true : undefined;
    });

  return {
    upsert(input) {
      const email = input.email.trim().toLowerCase();
      return retryAtomic("save the account", async () => {
        const idx = await kv.get<string>(keys.accountByEmail(email));
        const cur = idx.value
          ? await kv.get<AccountRecord>(keys.account(idx.value))
          : null;
        const id = cur?.value?.id ?? crypto.randomUUID();
        const account: Account = {
          id,
          email,
          status: "active",
          statusReason: null,
          replyMode: cur?.value?.replyMode ?? null,
          sandbox: input.sandbox ?? cur?.value?.sandbox ?? false,
          createdAt: cur?.value?.createdAt ?? new Date(),
          lastSyncAt: cur?.value?.lastSyncAt ?? null,
          lastError: cur?.value?.lastError ?? null,
        };
        const tokensEnc = await cipher.encrypt(
          JSON.stringify(input.tokens),
          id,
        );
        const op = kv.atomic().check(idx);
        if (cur) op.check(cur);
        else op.check({ key: keys.account(id), versionstamp: null });
        const res = await op
          .set(keys.account(id), { ...account, tokensEnc })
          .set(keys.accountByEmail(email), id)
          .commit();
        return res.ok ? account : undefined;
      });
    },
    async get(id) {
      const r = await kv.get<AccountRecord>(keys.account(id));
      return r.value ? strip(r.value) : null;
    },
    async getByEmail(email) {
      const idx = await kv.get<string>(
        keys.accountByEmail(email.trim().toLowerCase()),
      );
      if (!idx.value) return null;
      const r = await kv.get<AccountRecord>(keys.account(idx.value));
      return r.value ? strip(r.value) : null;
    },
    async list() {
      const out: Account[] = [];
      for await (
        const e of kv.list<AccountRecord>({ prefix: keys.accountsPrefix() })
      ) out.push(strip(e.value));
      return out.sort((a, b) =>
        a.createdAt.getTime() - b.createdAt.getTime() ||
        a.email.localeCompare(b.email)
      );
    },
    async getTokens(id) {
      const r = await kv.get<AccountRecord>(keys.account(id));
      if (!r.value) return null;
      return parseTokens(await cipher.decrypt(r.value.tokensEnc, id));
    },
    async setTokens(id, tokens: Tokens) {
      const tokensEnc = await cipher.encrypt(JSON.stringify(tokens), id);
      await update(id, "save the tokens", (r) => ({ ...r, tokensEnc }));
    },
    async setStatus(id, status, reason) {
      await update(
        id,
        "save the account status",
        (r) => ({ ...r, status, statusReason: reason }),
      );
    },
    async setReplyMode(id, mode) {
      await update(
        id,
        "save the reply mode",
        (r) => ({ ...r, replyMode: mode }),
      );
    },
    async recordSync(id, at, error) {
      await update(id, "record the sync", (r) => ({
        ...r,
        lastSyncAt: at,
        lastError: error,
      }));
    },
    async delete(id) {
      await retryAtomic("delete the account", async () => {
        const cur = await kv.get<AccountRecord>(keys.account(id));
        if (!cur.value) return true;
        const idx = await kv.get<string>(keys.accountByEmail(cur.value.email));
        const op = kv.atomic().check(cur).delete(keys.account(id))
          .delete(keys.cursor(id));
        if (idx.value === id) {
          op.check(idx).delete(keys.accountByEmail(cur.value.email));
        }
        const res = await op.commit();
        return res.ok ? true : undefined;
      });
    },
  };
}

/** The cursor store over `kv`. */
export function createKvCursors(kv: Deno.Kv): CursorStore {
  return {
    async get(accountId) {
      return (await kv.get<string>(keys.cursor(accountId))).value;
    },
    async set(accountId, historyId) {
      await kv.set(keys.cursor(accountId), historyId);
    },
  };
}
