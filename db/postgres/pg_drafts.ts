/**
 * A person's edits and outcomes of the agent's drafts over Postgres
 * (`draft_reviews`, migration 006): the first outcome is kept.
 * @module
 */
import type postgres from "postgres";
import type { DraftReviewStore } from "../../pipeline/ports.ts";

/** The draft reviews over `sql`. */
export function createPgDraftReviews(sql: postgres.Sql): DraftReviewStore {
  return {
    async get(accountId, gmailId) {
      const [r] = await sql`SELECT text, status, actor, at, sent_id
        FROM draft_reviews
        WHERE account_id = ${accountId} AND gmail_id = ${gmailId}`;
      if (!r) return { text: null, outcome: null };
      return {
        text: r.text ?? null,
        outcome: r.status
          ? {
            status: r.status,
            actor: r.actor ?? null,
            at: new Date(r.at),
            sentId: r.sent_id ?? null,
          }
          : null,
      };
    },
    async saveText(accountId, gmailId, text) {
      await sql`INSERT INTO draft_reviews (account_id, gmail_id, text)
        VALUES (${accountId}, ${gmailId}, ${text})
        ON CONFLICT (account_id, gmail_id) DO UPDATE SET text = EXCLUDED.text`;
    },
    async close(accountId, gmailId, o) {
      const r = await sql`INSERT INTO draft_reviews
          (account_id, gmail_id, status, actor, at, sent_id)
        VALUES (${accountId}, ${gmailId}, ${o.status}, ${o.actor}, ${o.at},
          ${o.sentId})
        ON CONFLICT (account_id, gmail_id) DO UPDATE SET
          status = EXCLUDED.status, actor = EXCLUDED.actor, at = EXCLUDED.at,
          sent_id = EXCLUDED.sent_id
        WHERE draft_reviews.status IS NULL
        RETURNING 1`;
      return r.length > 0;
    },
  };
}
