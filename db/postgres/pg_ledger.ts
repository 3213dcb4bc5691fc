/**
 * The message ledger on Postgres. The primary key (account_id, gmail_id) is
 * the idempotency guard: a claim is an INSERT ... ON CONFLICT DO NOTHING,
 * then a conditional UPDATE that takes over only a stale (or own) claim.
 * @module
 */
import type postgres from "postgres";
import {
  type ClaimResult,
  LeaseLostError,
  type LedgerStore,
} from "../../pipeline/ports.ts";
import type { LedgerEntry, LedgerState } from "../../pipeline/types.ts";
import { reviveDates, toJsonWithDates } from "../json_dates.ts";
import { likePattern } from "./like_pattern.ts";

// deno-lint-ignore no-explicit-any
type Row = Record<string, any>;

/** The entry of a `ledger` row. */
export function toEntry(r: Row): LedgerEntry {
  return {
    accountId: r.account_id,
    gmailId: r.gmail_id,
    threadId: r.thread_id,
    state: r.state as LedgerState,
    claimedBy: r.claimed_by,
    claimedAt: r.claimed_at,
    retryAt: r.retry_at ?? null,
    ...(r.retries > 0 ? { retries: r.retries } : {}),
    decision: r.decision,
    effects: reviveDates(r.effects),
    replyMessageId: r.reply_message_id,
    sender: r.sender,
    senderAddress: r.sender_address,
    recipientAddress: r.recipient_address ?? null,
    subject: r.subject,
    error: r.error,
    updatedAt: r.updated_at,
  };
}

/** The ledger store over `sql`. */
export function createPgLedger(sql: postgres.Sql): LedgerStore {
  const mustChange = (n: number, what: string, a: string, g: string) => {
    if (n === 0) {
      throw new RangeError(
        `Cannot ${what} as message ${g} of account ${a} was never claimed`,
      );
    }
  };
  // What counts as an automatic reply for the per-sender limit: an auto
  // reply, or a review decision's acknowledgement.
  const autoReply = () =>
    sql`(decision->>'action' = 'reply'
      OR decision->>'acknowledgement' IS NOT NULL)`;
  return {
    async claim(input): Promise<ClaimResult> {
      const { accountId: a, gmailId: g, workerId: w, now } = input;
      const cutoff = new Date(now.getTime() - input.staleAfterMs);
      const fenced = input.lease !== undefined;
      // With a lease: its row is locked (FOR SHARE) for the statement, so no
      // other attempt can take the lease while this claim is made.
      const held = sql`EXISTS (SELECT 1 FROM leases WHERE name = ${
        input.lease ?? ""
      } AND owner = ${w} AND expires_at > ${now} FOR SHARE)`;
      const guard = fenced ? held : sql`true`;
      for (let i = 0; i < 10; i++) {
        const ins = await sql<Row[]>`
          INSERT INTO ledger (account_id, gmail_id, thread_id, state,
            claimed_by, claimed_at, updated_at)
          SELECT ${a}, ${g}, ${input.threadId}, 'claimed', ${w}, ${now}, ${now}
          WHERE ${guard}
          ON CONFLICT (account_id, gmail_id) DO NOTHING RETURNING *`;
        if (ins[0]) return { status: "claimed", entry: toEntry(ins[0]) };
        const upd = await sql<Row[]>`
          UPDATE ledger SET claimed_by = ${w}, claimed_at = ${now},
            retry_at = NULL, updated_at = ${now}
          WHERE account_id = ${a} AND gmail_id = ${g} AND state <> 'done'
            AND ${guard}
            AND (claimed_by = ${w}
              OR (claimed_by IS NULL AND coalesce(retry_at <= ${now}, true))
              OR (claimed_by IS NOT NULL AND ${
          fenced ? sql`true` : sql`claimed_at <= ${cutoff}`
        }))
          RETURNING *`;
        if (upd[0]) return { status: "claimed", entry: toEntry(upd[0]) };
        const cur = await sql<Row[]>`
          SELECT *, ${fenced ? held : sql`true`} AS lease_held
          FROM (SELECT 1) one LEFT JOIN ledger
            ON account_id = ${a} AND gmail_id = ${g}`;
        const row = cur[0]!;
        if (row.state === "done") {
          return { status: "done", entry: toEntry(row) };
        }
        if (!row.lease_held) {
          throw new LeaseLostError(
            `Cannot claim message ${g} as attempt ${w} no longer holds lease ${input.lease}`,
          );
        }
        if (row.gmail_id === null) continue;
        return { status: "busy", entry: toEntry(row) };
      }
      throw new Error(`Cannot claim message ${g}: it kept changing`);
    },
    async release(a, g, input) {
      await sql`
        UPDATE ledger SET claimed_by = NULL, retry_at = ${input.retryAt},
          retries = retries + ${input.failed ? 1 : 0}, updated_at = ${input.now}
        WHERE account_id = ${a} AND gmail_id = ${g} AND state <> 'done'
          AND claimed_by = ${input.workerId}`;
    },
    async recordDecision(a, g, input) {
      const r = await sql`
        UPDATE ledger SET
          state = CASE WHEN state = 'claimed' THEN 'decided' ELSE state END,
          decision = ${toJsonWithDates(input.decision)}::text::jsonb,
          effects = ${toJsonWithDates(input.effects)}::text::jsonb,
          reply_message_id = ${input.replyMessageId},
          sender = ${input.sender},
          sender_address = ${input.senderAddress?.toLowerCase() ?? null},
          recipient_address = ${input.recipientAddress?.toLowerCase() ?? null},
          subject = ${input.subject},
          updated_at = ${input.now}
        WHERE account_id = ${a} AND gmail_id = ${g}`;
      mustChange(r.count, "record the decision", a, g);
    },
    async markSent(a, g, now) {
      const r = await sql`
        UPDATE ledger SET updated_at = ${now},
          state = CASE WHEN state = 'done' THEN 'done' ELSE 'sent' END
        WHERE account_id = ${a} AND gmail_id = ${g}`;
      mustChange(r.count, "mark the message sent", a, g);
    },
    async markDone(a, g, now, error = null) {
      const r = await sql`
        UPDATE ledger SET state = 'done', error = ${error ?? null},
          updated_at = ${now}
        WHERE account_id = ${a} AND gmail_id = ${g}`;
      mustChange(r.count, "mark the message done", a, g);
    },
    async get(a, g) {
      const r = await sql<Row[]>`
        SELECT * FROM ledger WHERE account_id = ${a} AND gmail_id = ${g}`;
      return r[0] ? toEntry(r[0]) : null;
    },
    async listActivity(f) {
      const r = await sql<Row[]>`
        SELECT * FROM ledger WHERE true
          ${f.accountId ? sql`AND account_id = ${f.accountId}` : sql``}
          ${f.category ? sql`AND decision->>'category' = ${f.category}` : sql``}
          ${f.action ? sql`AND decision->>'action' = ${f.action}` : sql``}
          ${f.reason ? sql`AND decision->>'reason' = ${f.reason}` : sql``}
          ${
        f.text
          ? sql`AND (subject ILIKE ${likePattern(f.text)}
            OR sender_address ILIKE ${likePattern(f.text)})`
          : sql``
      }
          ${
        f.after
          ? sql`AND (claimed_at, account_id, gmail_id) <
            (${f.after.at}, ${f.after.accountId}, ${f.after.gmailId})`
          : sql``
      }
        ORDER BY claimed_at DESC, account_id DESC, gmail_id DESC
        LIMIT ${f.limit ?? 50}`;
      return r.map(toEntry);
    },
    async prune(before, limit) {
      const r = await sql`
        DELETE FROM ledger WHERE (account_id, gmail_id) IN (
          SELECT account_id, gmail_id FROM ledger
          WHERE claimed_at < ${before} AND updated_at < ${before}
            AND state = 'done'
          LIMIT ${limit})`;
      return r.count;
    },
    async listThread(a, threadId) {
      const r = await sql<Row[]>`
        SELECT * FROM ledger WHERE account_id = ${a} AND thread_id = ${threadId}
        ORDER BY claimed_at ASC, gmail_id ASC`;
      return r.map(toEntry);
    },
    async countRepliesTo(a, sender, since) {
      const r = await sql<Row[]>`
        SELECT count(*)::int AS n FROM ledger
        WHERE account_id = ${a} AND sender_address = ${sender.toLowerCase()}
          AND claimed_at >= ${since} AND ${autoReply()}`;
      return r[0]!.n;
    },
    async countRepliesAddressedTo(a, recipient, since) {
      const r = await sql<Row[]>`
        SELECT count(*)::int AS n FROM ledger
        WHERE account_id = ${a}
          AND recipient_address = ${recipient.toLowerCase()}
          AND claimed_at >= ${since} AND ${autoReply()}`;
      return r[0]!.n;
    },
    async countFrom(a, sender, since) {
      const r = await sql<Row[]>`
        SELECT count(*)::int AS n FROM ledger
        WHERE account_id = ${a} AND sender_address = ${sender.toLowerCase()}
          AND claimed_at >= ${since}`;
      return r[0]!.n;
    },
  };
}
