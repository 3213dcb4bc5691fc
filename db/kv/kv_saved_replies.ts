/**
 * Saved replies over Deno KV: the reply, a per-mailbox index and a
 * per-mailbox title key (case-blind) written in one atomic operation, so
 * two saves of one title cannot both win.
 * @module
 */
import type { SavedReply, SavedReplyStore } from "../../pipeline/ports.ts";
import { keys, retryAtomic } from "./keys.ts";

const titleKey = (accountId: string, title: string) =>
  keys.savedReplyTitle(accountId, title.trim().toLowerCase());

/** The saved replies over `kv`. */
export function createKvSavedReplies(kv: Deno.Kv): SavedReplyStore {
  return {
    async list(accountId) {
      const out: SavedReply[] = [];
      const prefix = keys.savedRepliesByAccountPrefix(accountId);
      for await (const idx of kv.list<null>({ prefix })) {
        const id = idx.key[idx.key.length - 1] as string;
        const r = (await kv.get<SavedReply>(keys.savedReply(id))).value;
        if (r) out.push(r);
      }
      // As Postgres orders them: lower-cased title, then id, code by code.
      const cmp = (x: string, y: string) => x < y ? -1 : x > y ? 1 : 0;
      return out.sort((a, b) =>
        cmp(a.title.toLowerCase(), b.title.toLowerCase()) || cmp(a.id, b.id)
      );
    },
    async get(id) {
      return (await kv.get<SavedReply>(keys.savedReply(id))).value;
    },
    async create(input, now) {
      const reply: SavedReply = {
        id: crypto.randomUUID(),
        accountId: input.accountId,
        title: input.title,
        body: input.body,
        createdAt: now,
        updatedAt: now,
      };
      const tk = titleKey(input.accountId, input.title);
      const res = await kv.atomic()
        .check({ key: tk, versionstamp: null })
        .set(keys.savedReply(reply.id), reply)
        .set(keys.savedReplyByAccount(reply.accountId, reply.id), null)
        .set(tk, reply.id)
        .commit();
      return res.ok
        ? { ok: true, reply }
        : { ok: false, reason: "duplicate_title" };
    },
    update(id, patch, now) {
      return retryAtomic("update the saved reply", async () => {
        const cur = await kv.get<SavedReply>(keys.savedReply(id));
        if (cur.value === null) {
          return { ok: false as const, reason: "not_found" as const };
        }
        const old = cur.value;
        const reply: SavedReply = { ...old, ...patch, updatedAt: now };
        const oldKey = titleKey(old.accountId, old.title);
        const newKey = titleKey(old.accountId, patch.title);
        const op = kv.atomic().check(cur).set(keys.savedReply(id), reply);
        if (oldKey.join("\u0000") !== newKey.join("\u0000")) {
          const taken = await kv.get<string>(newKey);
          if (taken.value !== null && taken.value !== id) {
            return { ok: false as const, reason: "duplicate_title" as const };
          }
          op.check(taken).delete(oldKey).set(newKey, id);
        }
        const res = await op.commit();
        return res.ok ? { ok: true as const, reply } : undefined;
      });
    },
    async delete(id) {
      const done = await retryAtomic("delete the saved reply", async () => {
        const cur = await kv.get<SavedReply>(keys.savedReply(id));
        if (cur.value === null) return false;
        const r = cur.value;
        const res = await kv.atomic().check(cur)
          .delete(keys.savedReply(id))
          .delete(keys.savedReplyByAccount(r.accountId, id))
          .delete(titleKey(r.accountId, r.title))
          .commit();
        return res.ok ? true : undefined;
      });
      return done;
    },
  };
}
