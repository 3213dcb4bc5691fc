/**
 * The message ledger on Postgres. The primary key (account_id, gmail_id) is
 * the idempotency guard: a claim is an INSERT ... ON CONFLICT DO NOTHING,
 * then a conditional UPDATE that takes over only a stale (or own) claim.
 * @module
 */
import type postgres from "postgres";
import type { ClaimResult, LedgerStore } from "../../pipeline/ports.ts";
import type { LedgerEntry, LedgerState } from "../../pipeline/types.ts";
import { reviveDates, toJsonWithDates } from "../json_dates.ts";

// deno-lint-ignore no-explicit-any
type Row = Record<string, any>;

function toEntry(r: Row): LedgerEntry {
  return {
    accountId: r.account_id,
    gmailId: r.gmail_id,
    threadId: r.thread_id,
    state: r.state as LedgerState,
    claimedBy: r.claimed_by,
    claimedAt: r.claimed_at,
    decision: r.decision,
    effects: reviveDates(r.effects),
    replyMessageId: r.reply_message_id,
    sender: r.sender,
    senderAddress: r.sender_address,
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
  return {
    async claim(input): Promise<ClaimResult> {
      const { accountId: a, gmailId: g, workerId: w, now } = input;
      const cutoff = new Date(now.getTime() - input.staleAfterMs);
      for (let i = 0; i < 10; i++) {
        const ins = await sql<Row[]>`
          INSERT INTO ledger (account_id, gmail_id, thread_id, state,
            claimed_by, claimed_at, updated_at)
          VALUES (${a}, ${g}, ${input.threadId}, 'claimed', ${w}, ${now}, ${now})
          ON CONFLICT (account_id, gmail_id) DO NOTHING RETURNING *`;
        if (ins[0]) return { status: "claimed", entry: toEntry(ins[0]) };
        const upd = await sql<Row[]>`
          UPDATE ledger SET claimed_by = ${w}, claimed_at = ${now},
            updated_at = ${now}
          WHERE account_id = ${a} AND gmail_id = ${g} AND state <> 'done'
            AND (claimed_at <= ${cutoff} OR claimed_by = ${w})
          RETURNING *`;
        if (upd[0]) return { status: "claimed", entry: toEntry(upd[0]) };
        const cur = await sql<Row[]>`
          SELECT * FROM ledger WHERE account_id = ${a} AND gmail_id = ${g}`;
        if (!cur[0]) continue;
        const entry = toEntry(cur[0]);
        return { status: entry.state === "done" ? "done" : "busy", entry };
      }
      throw new Error(`Cannot claim message ${g}: it kept changing`);
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
        ORDER BY claimed_at DESC, account_id DESC, gmail_id DESC
        LIMIT ${f.limit ?? 50}`;
      return r.map(toEntry);
    },
    async countRepliesTo(a, sender, since) {
      const r = await sql<Row[]>`
        SELECT count(*)::int AS n FROM ledger
        WHERE account_id = ${a} AND sender_address = ${sender.toLowerCase()}
          AND claimed_at >= ${since} AND decision->>'action' = 'reply'`;
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
