/**
 * Saved replies over Postgres (`saved_replies`, migration 008): a title is
 * unique per mailbox, case-blind (a unique index on `lower(title)`).
 * @module
 */
import type postgres from "postgres";
import type { SavedReply, SavedReplyStore } from "../../pipeline/ports.ts";

// deno-lint-ignore no-explicit-any
type Row = Record<string, any>;

/** A unique index refused the row (the mailbox has the title). */
const isUniqueViolation = (e: unknown) =>
  (e as { code?: string }).code === "23505";

function toReply(r: Row): SavedReply {
  return {
    id: r.id,
    accountId: r.account_id,
    title: r.title,
    body: r.body,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

/** The saved replies over `sql`. */
export function createPgSavedReplies(sql: postgres.Sql): SavedReplyStore {
  return {
    async list(accountId) {
      const r = await sql<Row[]>`SELECT * FROM saved_replies
        WHERE account_id = ${accountId}
        ORDER BY lower(title) COLLATE "C", id COLLATE "C"`;
      return r.map(toReply);
    },
    async get(id) {
      const r = await sql<Row[]>`SELECT * FROM saved_replies WHERE id = ${id}`;
      return r[0] ? toReply(r[0]) : null;
    },
    async create(input, now) {
      try {
        const r = await sql<Row[]>`INSERT INTO saved_replies
            (id, account_id, title, body, created_at, updated_at)
          VALUES (${crypto.randomUUID()}, ${input.accountId}, ${input.title},
            ${input.body}, ${now}, ${now})
          RETURNING *`;
        return { ok: true, reply: toReply(r[0]!) };
      } catch (err) {
        if (isUniqueViolation(err)) {
          return { ok: false, reason: "duplicate_title" };
        }
        throw err;
      }
    },
    async update(id, patch, now) {
      try {
        const r = await sql<Row[]>`UPDATE saved_replies
          SET title = ${patch.title}, body = ${patch.body}, updated_at = ${now}
          WHERE id = ${id} RETURNING *`;
        return r[0]
          ? { ok: true, reply: toReply(r[0]) }
          : { ok: false, reason: "not_found" };
      } catch (err) {
        if (isUniqueViolation(err)) {
          return { ok: false, reason: "duplicate_title" };
        }
        throw err;
      }
    },
    async delete(id) {
      const r = await sql`DELETE FROM saved_replies WHERE id = ${id}`;
      return r.count > 0;
    },
  };
}
