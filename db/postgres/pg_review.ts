/**
 * The human review queue on Postgres: unique (account_id, gmail_id), sorted
 * by importance (high first) then age (oldest first).
 * @module
 */
import type postgres from "postgres";
import type { ReviewStore } from "../../pipeline/ports.ts";
import type {
  Category,
  ReviewItem,
  ReviewStatus,
} from "../../pipeline/types.ts";
import { emptyStatusCounts } from "../review_sort.ts";
import { likePattern } from "./like_pattern.ts";

// deno-lint-ignore no-explicit-any
type Row = Record<string, any>;

function toItem(r: Row): ReviewItem {
  return {
    id: r.id,
    accountId: r.account_id,
    gmailId: r.gmail_id,
    threadId: r.thread_id,
    sender: r.sender,
    subject: r.subject,
    excerpt: r.excerpt,
    category: r.category as Category,
    importance: r.importance,
    importanceReasons: r.importance_reasons,
    reason: r.reason,
    status: r.status as ReviewStatus,
    assignee: r.assignee,
    note: r.note,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The review store over `sql`. */
export function createPgReview(sql: postgres.Sql): ReviewStore {
  return {
    async add(i, now) {
      const ins = await sql<Row[]>`
        INSERT INTO review_items (id, account_id, gmail_id, thread_id, sender,
          subject, excerpt, category, importance, importance_reasons, reason,
          status, created_at, updated_at)
        VALUES (${crypto.randomUUID()}, ${i.accountId}, ${i.gmailId},
          ${i.threadId}, ${i.sender}, ${i.subject}, ${i.excerpt}, ${i.category},
          ${i.importance}, ${JSON.stringify(i.importanceReasons)}::text::jsonb,
          ${i.reason}, 'pending', ${now}, ${now})
        ON CONFLICT (account_id, gmail_id) DO NOTHING RETURNING *`;
      if (ins[0]) return toItem(ins[0]);
      const cur = await sql<Row[]>`SELECT * FROM review_items
        WHERE account_id = ${i.accountId} AND gmail_id = ${i.gmailId}`;
      return toItem(cur[0]!);
    },
    async get(id) {
      const r = await sql<Row[]>`SELECT * FROM review_items WHERE id = ${id}`;
      return r[0] ? toItem(r[0]) : null;
    },
    async list(f) {
      const r = await sql<Row[]>`
        SELECT * FROM review_items WHERE true
          ${
        f.status
          ? sql`AND status = ${f.status}`
          : f.open
          ? sql`AND status <> 'resolved'`
          : sql``
      }
          ${f.accountId ? sql`AND account_id = ${f.accountId}` : sql``}
          ${
        f.text
          ? sql`AND (subject ILIKE ${likePattern(f.text)}
            OR sender ILIKE ${likePattern(f.text)}
            OR excerpt ILIKE ${likePattern(f.text)})`
          : sql``
      }
          ${
        f.after
          ? sql`AND (importance < ${f.after.importance} OR
            (importance = ${f.after.importance} AND
              (created_at, id) > (${f.after.createdAt}, ${f.after.id})))`
          : sql``
      }
        ORDER BY importance DESC, created_at ASC, id ASC
        ${f.limit !== undefined ? sql`LIMIT ${f.limit}` : sql``}`;
      return r.map(toItem);
    },
    async update(id, patch, now) {
      const set: Record<string, unknown> = { updated_at: now };
      if (patch.status !== undefined) set.status = patch.status;
      if (patch.assignee !== undefined) set.assignee = patch.assignee;
      if (patch.note !== undefined) set.note = patch.note;
      const r = await sql<Row[]>`UPDATE review_items SET ${
        sql(set as Record<string, postgres.ParameterOrJSON<never>>)
      } WHERE id = ${id} RETURNING *`;
      return r[0] ? toItem(r[0]) : null;
    },
    async openForThread(accountId, threadId) {
      const r = await sql<Row[]>`SELECT * FROM review_items
        WHERE account_id = ${accountId} AND thread_id = ${threadId}
          AND status <> 'resolved'
        ORDER BY importance DESC, created_at ASC, id ASC`;
      return r.map(toItem);
    },
    async countByStatus() {
      const counts = emptyStatusCounts();
      const r = await sql<Row[]>`SELECT status, count(*)::int AS n
        FROM review_items GROUP BY status`;
      for (const row of r) counts[row.status as ReviewStatus] = row.n;
      return counts;
    },
  };
}
