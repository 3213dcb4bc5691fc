/**
 * Accounts and sync cursors on Postgres. Tokens are one AES-GCM encrypted
 * JSON blob with the account id as additional data.
 * @module
 */
import type postgres from "postgres";
import type { AccountStore, CursorStore } from "../../pipeline/ports.ts";
import type {
  Account,
  AccountStatus,
  ReplyMode,
  Tokens,
} from "../../pipeline/types.ts";
import type { TokenCipher } from "../crypto/token_cipher.ts";
import { parseTokens } from "../tokens_json.ts";

// deno-lint-ignore no-explicit-any
type Row = Record<string, any>;

function toAccount(r: Row): Account {
  return {
    id: r.id,
    email: r.email,
    status: r.status as AccountStatus,
    statusReason: r.status_reason,
    replyMode: r.reply_mode as ReplyMode | null,
    sandbox: r.sandbox,
    createdAt: r.created_at,
    lastSyncAt: r.last_sync_at,
    lastError: r.last_error,
  };
}

const COLS = "id, email, status, status_reason, reply_mode, sandbox, " +
  "created_at, last_sync_at, last_error";

/** The account store over `sql`. */
export function createPgAccounts(
  sql: postgres.Sql,
  cipher: TokenCipher,
): AccountStore {
  const upsertOnce = async (
    input: { email: string; sandbox?: boolean; tokens: Tokens },
  ): Promise<Account> => {
    const email = input.email.trim().toLowerCase();
    const existing = await sql<Row[]>`
      SELECT id FROM accounts WHERE email = ${email}`;
    const id: string = existing[0]?.id ?? crypto.randomUUID();
    const enc = await cipher.encrypt(JSON.stringify(input.tokens), id);
    const sandbox = input.sandbox ?? null;
    const rows = await sql<Row[]>`
      INSERT INTO accounts (id, email, status, sandbox, created_at, tokens_enc)
      VALUES (${id}, ${email}, 'active', ${sandbox ?? false}, now(), ${enc})
      ON CONFLICT (id) DO UPDATE SET
        status = 'active', status_reason = NULL,
        sandbox = COALESCE(${sandbox}::boolean, accounts.sandbox),
        tokens_enc = EXCLUDED.tokens_enc
      RETURNING ${sql.unsafe(COLS)}`;
    return toAccount(rows[0]!);
  };
  return {
    async upsert(input) {
      for (let i = 0;; i++) {
        try {
          return await upsertOnce(input);
        } catch (e) {
          // A concurrent first upsert of the same email won: use its id.
          if ((e as { code?: string }).code !== "23505" || i >= 3) throw e;
        }
      }
    },
    async get(id) {
      const r = await sql<Row[]>`
        SELECT ${sql.unsafe(COLS)} FROM accounts WHERE id = ${id}`;
      return r[0] ? toAccount(r[0]) : null;
    },
    async getByEmail(email) {
      const r = await sql<Row[]>`SELECT ${sql.unsafe(COLS)} FROM accounts
        WHERE email = ${email.trim().toLowerCase()}`;
      return r[0] ? toAccount(r[0]) : null;
    },
    async list() {
      const r = await sql<Row[]>`SELECT ${sql.unsafe(COLS)} FROM accounts
        ORDER BY created_at, email`;
      return r.map(toAccount);
    },
    async getTokens(id) {
      const r = await sql<Row[]>`
        SELECT tokens_enc FROM accounts WHERE id = ${id}`;
      if (!r[0]) return null;
      return parseTokens(await cipher.decrypt(r[0].tokens_enc, id));
    },
    async setTokens(id, tokens) {
      const enc = await cipher.encrypt(JSON.stringify(tokens), id);
      await sql`UPDATE accounts SET tokens_enc = ${enc} WHERE id = ${id}`;
    },
    async setStatus(id, status, reason) {
      await sql`UPDATE accounts SET status = ${status}, status_reason = ${reason}
        WHERE id = ${id}`;
    },
    async setReplyMode(id, mode) {
      await sql`UPDATE accounts SET reply_mode = ${mode} WHERE id = ${id}`;
    },
    async recordSync(id, at, error) {
      await sql`UPDATE accounts SET last_sync_at = ${at}, last_error = ${error}
        WHERE id = ${id}`;
    },
    async delete(id) {
      await sql.begin(async (tx) => {
        await tx`DELETE FROM cursors WHERE account_id = ${id}`;
        await tx`DELETE FROM accounts WHERE id = ${id}`;
      });
    },
  };
}

/** The cursor store over `sql`. */
export function createPgCursors(sql: postgres.Sql): CursorStore {
  return {
    async get(accountId) {
      const r = await sql<Row[]>`
        SELECT history_id FROM cursors WHERE account_id = ${accountId}`;
      return r[0]?.history_id ?? null;
    },
    async set(accountId, historyId) {
      await sql`INSERT INTO cursors (account_id, history_id)
        VALUES (${accountId}, ${historyId})
        ON CONFLICT (account_id) DO UPDATE SET history_id = EXCLUDED.history_id`;
    },
  };
}
