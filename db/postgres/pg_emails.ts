/**
 * One email's records on Postgres in three statements: `snapshot` is one
 * SELECT (the entry, the lease, the counts, the thread's takeover, open
 * review items and refund case); `begin` is one INSERT … ON CONFLICT that
 * claims and decides under the claim rules of `LedgerStore.claim` (the
 * lease row locked FOR SHARE), with the review item in a CTE of the same
 * statement; `finish` is one UPDATE with the sent markers in a CTE. Each
 * statement is its own transaction. `peek` is one SELECT.
 * @module
 */
import type postgres from "postgres";
import type {
  BeginInput,
  BeginResult,
  EmailRecordStore,
  EmailSnapshot,
  FinishInput,
  Peeked,
  SnapshotQuery,
  StateRetention,
} from "../../pipeline/ports.ts";
import { claimStatus } from "../claim_rules.ts";
import { toJsonWithDates } from "../json_dates.ts";
import { toEntry } from "./pg_ledger.ts";
import { toCase } from "./pg_refunds.ts";

// deno-lint-ignore no-explicit-any
type Row = Record<string, any>;

const DAY_MS = 86_400_000;

/** Most ids of one `peek` statement. */
const PEEK_CHUNK = 1000;

/** A refund case read with `row_to_json` (timestamps come back as text). */
function caseOfJson(j: Row | null) {
  if (j === null) return null;
  return toCase({
    ...j,
    created_at: new Date(j.created_at),
    updated_at: new Date(j.updated_at),
  });
}

/** A ledger entry read with `json_agg` (timestamps come back as text). */
function entryOfJson(j: Row) {
  const date = (v: string | null) => v === null ? null : new Date(v);
  return toEntry({
    ...j,
    claimed_at: date(j.claimed_at),
    updated_at: date(j.updated_at),
    retry_at: date(j.retry_at),
  });
}

/** What a snapshot read, for `begin`'s guard. */
interface PgToken {
  q: SnapshotQuery;
  takenOver: boolean;
  repliesToSender: number;
  repliesToRecipient: number;
  openReviews: number;
}

/** The email records over `sql`; sent markers are kept as `retention` says. */
export function createPgEmails(
  sql: postgres.Sql,
  retention: StateRetention,
): EmailRecordStore {
  // What counts as an automatic reply for the caps: an auto reply, or a
  // review decision's acknowledgement (as the ledger counts).
  const autoReply = () =>
    sql`(decision->>'action' = 'reply'
      OR decision->>'acknowledgement' IS NOT NULL)`;
  /**
   * True when nothing the decision was made from grew since the snapshot
   * (same windows): no new reply to the sender or the recipients, no
   * takeover, no new open review item. Statement-level: it catches a change
   * committed before `begin`, while the account lease keeps two cycles of
   * one account from deciding at the same time.
   */
  const readsUnchanged = (t: PgToken) => {
    const { q } = t;
    const a = q.accountId;
    const dayAgo = new Date(q.now.getTime() - DAY_MS);
    const recipients = [...new Set(q.capRecipients)];
    return sql`(
      ${
      q.capSender
        ? sql`(SELECT count(*)::int FROM ledger
            WHERE account_id = ${a} AND sender_address = ${q.capSender}
              AND claimed_at >= ${dayAgo} AND gmail_id <> ${q.gmailId}
              AND ${autoReply()}) <= ${t.repliesToSender}`
        : sql`true`
    }
      AND ${
      recipients.length > 0
        ? sql`NOT EXISTS (SELECT 1 FROM ledger
            WHERE account_id = ${a} AND recipient_address IN ${sql(recipients)}
              AND claimed_at >= ${dayAgo} AND gmail_id <> ${q.gmailId}
              AND ${autoReply()}
            GROUP BY recipient_address
            HAVING count(*) > ${t.repliesToRecipient})`
        : sql`true`
    }
      AND ${
      t.takenOver ? sql`true` : sql`NOT EXISTS (SELECT 1 FROM thread_takeovers
            WHERE account_id = ${a} AND thread_id = ${q.threadId})`
    }
      AND (SELECT count(*)::int FROM review_items
        WHERE account_id = ${a} AND thread_id = ${q.threadId}
          AND status <> 'resolved') <= ${t.openReviews})`;
  };

  return {
    async peek(input) {
      const out: Peeked = { entries: new Map(), agentSent: new Map() };
      const ids = [...new Set(input.gmailIds)];
      for (let i = 0; i < ids.length; i += PEEK_CHUNK) {
        const part = ids.slice(i, i + PEEK_CHUNK);
        const rows = await sql<Row[]>`SELECT * FROM ledger
          WHERE account_id = ${input.accountId} AND gmail_id IN ${sql(part)}`;
        for (const id of part) out.entries.set(id, null);
        for (const r of rows) {
          const entry = toEntry(r);
          out.entries.set(entry.gmailId, {
            entry,
            claim: claimStatus(entry, input),
          });
        }
      }
      const sent = [...new Set(input.sentIds)];
      for (let i = 0; i < sent.length; i += PEEK_CHUNK) {
        const part = sent.slice(i, i + PEEK_CHUNK);
        const rows = await sql<Row[]>`SELECT gmail_id FROM sent_replies
          WHERE account_id = ${input.accountId} AND sent_by = 'agent'
            AND expires_at > ${input.now} AND gmail_id IN ${sql(part)}`;
        const found = new Set(rows.map((r) => r.gmail_id as string));
        for (const id of part) out.agentSent.set(id, found.has(id));
      }
      return out;
    },

    async snapshot(q: SnapshotQuery): Promise<EmailSnapshot> {
      const { accountId: a, threadId: t } = q;
      const dayAgo = new Date(q.now.getTime() - DAY_MS);
      const weekAgo = new Date(q.now.getTime() - 7 * DAY_MS);
      const recipients = [...new Set(q.capRecipients)];
      const along = [...new Set(q.alsoPeek?.gmailIds ?? [])].filter((g) =>
        g !== q.gmailId
      );
      const alongSent = [...new Set(q.alsoPeek?.sentIds ?? [])];
      const [r] = await sql<Row[]>`
        SELECT l.*,
          ${
        q.lease !== undefined
          ? sql`EXISTS (SELECT 1 FROM leases WHERE name = ${q.lease}
              AND owner = ${q.workerId} AND expires_at > ${q.now})`
          : sql`true`
      } AS lease_held,
          EXISTS (SELECT 1 FROM thread_takeovers
            WHERE account_id = ${a} AND thread_id = ${t}) AS taken_over,
          ${
        q.capSender
          ? sql`(SELECT count(*)::int FROM ledger
              WHERE account_id = ${a} AND sender_address = ${q.capSender}
                AND claimed_at >= ${dayAgo}
                AND ${autoReply()})`
          : sql`0`
      } AS replies_sender,
          ${
        recipients.length > 0
          ? sql`(SELECT coalesce(max(n), 0)::int FROM (
              SELECT count(*) AS n FROM ledger
              WHERE account_id = ${a} AND recipient_address IN ${
            sql(recipients)
          }
                AND claimed_at >= ${dayAgo}
                AND ${autoReply()}
              GROUP BY recipient_address) x)`
          : sql`0`
      } AS replies_recipient,
          ${
        q.sender
          ? sql`(SELECT count(*)::int FROM ledger
              WHERE account_id = ${a} AND sender_address = ${q.sender}
                AND claimed_at >= ${weekAgo})`
          : sql`0`
      } AS from_sender,
          (SELECT count(*)::int FROM review_items
            WHERE account_id = ${a} AND thread_id = ${t}
              AND status <> 'resolved') AS open_reviews,
          (SELECT row_to_json(c) FROM refund_cases c
            WHERE c.account_id = ${a} AND c.thread_id = ${t}) AS refund_case,
          ${
        q.acknowledgement
          ? sql`(SELECT gmail_id FROM thread_acknowledgements
              WHERE account_id = ${a} AND thread_id = ${t})`
          : sql`NULL`
      } AS acknowledged_by,
          ${
        along.length > 0
          ? sql`(SELECT json_agg(x) FROM ledger x
              WHERE x.account_id = ${a} AND x.gmail_id IN ${sql(along)})`
          : sql`NULL`
      } AS peeked,
          ${
        alongSent.length > 0
          ? sql`(SELECT json_agg(gmail_id) FROM sent_replies
              WHERE account_id = ${a} AND sent_by = 'agent'
                AND expires_at > ${q.now} AND gmail_id IN ${sql(alongSent)})`
          : sql`NULL`
      } AS peeked_sent
        FROM (SELECT 1) one LEFT JOIN ledger l
          ON l.account_id = ${a} AND l.gmail_id = ${q.gmailId}`;
      const row = r!;
      const entry = row.gmail_id === null ? null : toEntry(row);
      const peeked: Peeked = {
        entries: new Map(along.map((g) => [g, null])),
        agentSent: new Map(alongSent.map((g) => [g, false])),
      };
      for (const j of (row.peeked ?? []) as Row[]) {
        const e = entryOfJson(j);
        peeked.entries.set(e.gmailId, { entry: e, claim: claimStatus(e, q) });
      }
      for (const id of (row.peeked_sent ?? []) as string[]) {
        peeked.agentSent.set(id, true);
      }
      return {
        entry,
        claim: claimStatus(entry, q),
        leaseHeld: row.lease_held,
        takenOver: row.taken_over,
        repliesToSenderLast24h: row.replies_sender,
        repliesToRecipientLast24h: row.replies_recipient,
        fromSenderLast7d: row.from_sender,
        openReviewItems: row.open_reviews,
        refundCase: caseOfJson(row.refund_case),
        threadAcknowledgedBy: row.acknowledged_by ?? null,
        token: {
          q,
          takenOver: row.taken_over,
          repliesToSender: row.replies_sender,
          repliesToRecipient: row.replies_recipient,
          openReviews: row.open_reviews,
        } satisfies PgToken,
        peeked,
      };
    },

    async begin(input: BeginInput): Promise<BeginResult> {
      const { accountId: a, gmailId: g, workerId: w, now } = input;
      const cutoff = new Date(now.getTime() - input.staleAfterMs);
      const fenced = input.lease !== undefined;
      const held = fenced
        ? sql`EXISTS (SELECT 1 FROM leases WHERE name = ${input.lease!}
            AND owner = ${w} AND expires_at > ${now} FOR SHARE)`
        : sql`true`;
      const rv = input.review;
      const guard = readsUnchanged(input.snapshot.token as PgToken);
      const rows = await sql<Row[]>`
        WITH claimed AS (
          INSERT INTO ledger (account_id, gmail_id, thread_id, state,
            claimed_by, claimed_at, retry_at, decision, effects,
            reply_message_id, sender, sender_address, recipient_address,
            subject, updated_at)
          SELECT ${a}, ${g}, ${input.threadId}, 'decided', ${w}, ${now}, NULL,
            ${toJsonWithDates(input.decision)}::text::jsonb,
            ${toJsonWithDates(input.effects)}::text::jsonb,
            ${input.replyMessageId}, ${input.sender},
            ${input.senderAddress?.toLowerCase() ?? null},
            ${input.recipientAddress?.toLowerCase() ?? null},
            ${input.subject}, ${now}
          WHERE ${held} AND ${guard}
          ON CONFLICT (account_id, gmail_id) DO UPDATE SET
            state = 'decided', claimed_by = EXCLUDED.claimed_by,
            claimed_at = EXCLUDED.claimed_at, retry_at = NULL,
            decision = EXCLUDED.decision, effects = EXCLUDED.effects,
            reply_message_id = EXCLUDED.reply_message_id,
            sender = EXCLUDED.sender, sender_address = EXCLUDED.sender_address,
            recipient_address = EXCLUDED.recipient_address,
            subject = EXCLUDED.subject, error = NULL,
            updated_at = EXCLUDED.updated_at
          WHERE ledger.state = 'claimed' AND ledger.decision IS NULL
            AND (ledger.claimed_by = ${w}
              OR (ledger.claimed_by IS NULL
                AND coalesce(ledger.retry_at <= ${now}, true))
              OR (ledger.claimed_by IS NOT NULL AND ${
        fenced ? sql`true` : sql`ledger.claimed_at <= ${cutoff}`
      }))
          RETURNING *
        )${
        rv
          ? sql`, reviewed AS (
          INSERT INTO review_items (id, account_id, gmail_id, thread_id, sender,
            subject, excerpt, category, importance, importance_reasons, reason,
            status, created_at, updated_at)
          SELECT ${crypto.randomUUID()}, ${rv.accountId}, ${rv.gmailId},
            ${rv.threadId}, ${rv.sender}, ${rv.subject}, ${rv.excerpt},
            ${rv.category}, ${rv.importance},
            ${JSON.stringify(rv.importanceReasons)}::text::jsonb, ${rv.reason},
            'pending', ${now}, ${now}
          FROM claimed
          ON CONFLICT (account_id, gmail_id) DO NOTHING)`
          : sql``
      }
        SELECT * FROM claimed`;
      if (!rows[0]) return { status: "changed" };
      return { status: "claimed", entry: toEntry(rows[0]), token: null };
    },

    async finish(input: FinishInput): Promise<void> {
      const { accountId: a, gmailId: g, now } = input;
      const ids = input.agentSentIds.filter((id) => id !== "");
      const expires = new Date(now.getTime() + retention.sentReplyMs);
      const [r] = await sql<Row[]>`
        WITH done AS (
          UPDATE ledger SET state = 'done', error = NULL, updated_at = ${now}
          WHERE account_id = ${a} AND gmail_id = ${g} RETURNING 1
        )${
        ids.length > 0
          ? sql`, marked AS (
          INSERT INTO sent_replies (account_id, gmail_id, sent_by, at,
            expires_at)
          SELECT ${a}, x, 'agent', ${now}, ${expires}
          FROM unnest(${sql.array(ids)}::text[]) AS x
          WHERE EXISTS (SELECT 1 FROM done)
          ON CONFLICT (account_id, gmail_id, sent_by) DO UPDATE
            SET at = EXCLUDED.at, expires_at = EXCLUDED.expires_at)`
          : sql``
      }
        SELECT count(*)::int AS n FROM done`;
      if (r!.n === 0) {
        throw new RangeError(
          `Cannot mark the message done as message ${g} of account ${a} was never claimed`,
        );
      }
    },
  };
}
