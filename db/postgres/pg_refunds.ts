/**
 * Refund cases (saved with a version check) and invalid refund attempts
 * (unique per account + gmailId) on Postgres.
 * @module
 */
import type postgres from "postgres";
import type { RefundStore } from "../../pipeline/ports.ts";
import type {
  InvalidRefundAttempt,
  RefundCase,
  RefundState,
} from "../../pipeline/types.ts";
import { reviveDates, toJsonWithDates } from "../json_dates.ts";

// deno-lint-ignore no-explicit-any
type Row = Record<string, any>;

/** A case of a `refund_cases` row. */
export function toCase(r: Row): RefundCase {
  return {
    accountId: r.account_id,
    threadId: r.thread_id,
    state: r.state as RefundState,
    customerEmail: r.customer_email,
    orderIds: r.order_ids,
    history: reviveDates(r.history),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

function toAttempt(r: Row): InvalidRefundAttempt {
  return {
    accountId: r.account_id,
    threadId: r.thread_id,
    gmailId: r.gmail_id,
    sender: r.sender,
    orderId: r.order_id,
    reason: r.reason,
    excerpt: r.excerpt,
    at: r.at,
  };
}

/** The refund store over `sql`. */
export function createPgRefunds(sql: postgres.Sql): RefundStore {
  return {
    async getCase(accountId, threadId) {
      const r = await sql<Row[]>`SELECT * FROM refund_cases
        WHERE account_id = ${accountId} AND thread_id = ${threadId}`;
      return r[0] ? toCase(r[0]) : null;
    },
    async saveCase(c, expected) {
      const orderIds = JSON.stringify(c.orderIds);
      const history = toJsonWithDates(c.history);
      const next = expected + 1;
      if (expected === 0) {
        const r = await sql`
          INSERT INTO refund_cases (account_id, thread_id, state, customer_email,
            order_ids, history, created_at, updated_at, version)
          VALUES (${c.accountId}, ${c.threadId}, ${c.state}, ${c.customerEmail},
            ${orderIds}::text::jsonb, ${history}::text::jsonb, ${c.createdAt},
            ${c.updatedAt}, ${next})
          ON CONFLICT (account_id, thread_id) DO NOTHING`;
        return r.count === 1;
      }
      const r = await sql`
        UPDATE refund_cases SET state = ${c.state},
          customer_email = ${c.customerEmail}, order_ids = ${orderIds}::text::jsonb,
          history = ${history}::text::jsonb, updated_at = ${c.updatedAt},
          version = ${next}
        WHERE account_id = ${c.accountId} AND thread_id = ${c.threadId}
          AND version = ${expected}`;
      return r.count === 1;
    },
    async listCases(f) {
      const r = await sql<Row[]>`SELECT * FROM refund_cases WHERE true
        ${f.accountId ? sql`AND account_id = ${f.accountId}` : sql``}
        ORDER BY updated_at DESC
        ${f.limit !== undefined ? sql`LIMIT ${f.limit}` : sql``}`;
      return r.map(toCase);
    },
    async addInvalidAttempt(a) {
      await sql`INSERT INTO invalid_refund_attempts (account_id, thread_id,
          gmail_id, sender, order_id, reason, excerpt, at)
        VALUES (${a.accountId}, ${a.threadId}, ${a.gmailId},
          ${a.sender.toLowerCase()}, ${a.orderId}, ${a.reason}, ${a.excerpt},
          ${a.at})
        ON CONFLICT (account_id, gmail_id) DO NOTHING`;
    },
    async countInvalidAttempts(by, since) {
      const r = await sql<Row[]>`SELECT count(*)::int AS n
        FROM invalid_refund_attempts
        WHERE account_id = ${by.accountId} AND at >= ${since}
          ${
        by.threadId !== undefined ? sql`AND thread_id = ${by.threadId}` : sql``
      }
          ${
        by.sender !== undefined
          ? sql`AND sender = ${by.sender.toLowerCase()}`
          : sql``
      }`;
      return r[0]!.n;
    },
    async listInvalidAttempts(limit) {
      const r = await sql<Row[]>`SELECT * FROM invalid_refund_attempts
        ORDER BY at DESC LIMIT ${limit}`;
      return r.map(toAttempt);
    },
  };
}
