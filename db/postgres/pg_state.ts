/**
 * The typed worker state over Postgres: thread takeovers and
 * acknowledgements, sent-reply markers, sync state, failure counts and
 * setup steps. Expiring rows carry `expires_at`, compared with the time the
 * caller passes; expired sent markers are deleted by the retention job
 * (`pruneSent`), expired failure counts when the same one is written again.
 * @module
 */
import type postgres from "postgres";
import type {
  FailureCounterStore,
  SetupStore,
  StateRetention,
  SyncNote,
  SyncStateStore,
  ThreadStateStore,
} from "../../pipeline/ports.ts";

// deno-lint-ignore no-explicit-any
type Row = Record<string, any>;

/** Thread takeovers and sent-reply markers over `sql`. */
export function createPgThreadState(
  sql: postgres.Sql,
  retention: StateRetention,
): ThreadStateStore {
  return {
    async isTakenOver(accountId, threadId) {
      const r = await sql`SELECT 1 FROM thread_takeovers
        WHERE account_id = ${accountId} AND thread_id = ${threadId}`;
      return r.length > 0;
    },
    async markTakenOver(accountId, threadId, at) {
      await sql`INSERT INTO thread_takeovers (account_id, thread_id, taken_over_at)
        VALUES (${accountId}, ${threadId}, ${at}) ON CONFLICT DO NOTHING`;
    },
    async recordSent({ accountId, gmailId, by, at }) {
      if (gmailId === "") return;
      const expires = new Date(at.getTime() + retention.sentReplyMs);
      await sql`INSERT INTO sent_replies
          (account_id, gmail_id, sent_by, at, expires_at)
        VALUES (${accountId}, ${gmailId}, ${by}, ${at}, ${expires})
        ON CONFLICT (account_id, gmail_id, sent_by) DO UPDATE
          SET at = EXCLUDED.at, expires_at = EXCLUDED.expires_at`;
    },
    async sentBy(accountId, gmailId, now) {
      const r = await sql<Row[]>`SELECT sent_by FROM sent_replies
        WHERE account_id = ${accountId} AND gmail_id = ${gmailId}
          AND expires_at > ${now}
        ORDER BY sent_by = 'agent' DESC LIMIT 1`;
      return r[0]?.sent_by ?? null;
    },
    async acknowledgementOf(accountId, threadId) {
      const r = await sql<Row[]>`SELECT gmail_id FROM thread_acknowledgements
        WHERE account_id = ${accountId} AND thread_id = ${threadId}`;
      return r[0]?.gmail_id ?? null;
    },
    async claimAcknowledgement({ accountId, threadId, gmailId, at }) {
      // The first claim wins; a retry of the same message finds its own row.
      const r = await sql<Row[]>`WITH ins AS (
          INSERT INTO thread_acknowledgements (account_id, thread_id, gmail_id, at)
          VALUES (${accountId}, ${threadId}, ${gmailId}, ${at})
          ON CONFLICT DO NOTHING RETURNING gmail_id)
        SELECT gmail_id FROM ins
        UNION ALL
        SELECT gmail_id FROM thread_acknowledgements
          WHERE account_id = ${accountId} AND thread_id = ${threadId}
        LIMIT 1`;
      return r[0]?.gmail_id === gmailId;
    },
    async pruneSent(now, limit) {
      const r = await sql`DELETE FROM sent_replies WHERE ctid IN (
        SELECT ctid FROM sent_replies WHERE expires_at <= ${now}
        LIMIT ${limit})`;
      return r.count;
    },
  };
}

/** Label ids and first-sync marks over `sql`. */
export function createPgSyncState(sql: postgres.Sql): SyncStateStore {
  return {
    async labelId(accountId, name) {
      const r = await sql<Row[]>`SELECT label_id FROM sync_labels
        WHERE account_id = ${accountId} AND name = ${name}`;
      return r[0]?.label_id ?? null;
    },
    async setLabelId(accountId, name, labelId) {
      await sql`INSERT INTO sync_labels (account_id, name, label_id)
        VALUES (${accountId}, ${name}, ${labelId})
        ON CONFLICT (account_id, name) DO UPDATE
          SET label_id = EXCLUDED.label_id`;
    },
    async isInitialSyncDone(accountId) {
      const r = await sql`SELECT 1 FROM initial_syncs
        WHERE account_id = ${accountId}`;
      return r.length > 0;
    },
    async markInitialSyncDone(accountId, at) {
      await sql`INSERT INTO initial_syncs (account_id, done_at)
        VALUES (${accountId}, ${at}) ON CONFLICT DO NOTHING`;
    },
    async syncNote(accountId) {
      const r = await sql<Row[]>`SELECT note FROM sync_notes
        WHERE account_id = ${accountId}`;
      return (r[0]?.note as SyncNote | undefined) ?? null;
    },
    async pausedUntil(accountId) {
      const r = await sql<Row[]>`SELECT until FROM mail_pauses
        WHERE account_id = ${accountId}`;
      return r[0]?.until ?? null;
    },
    async setPausedUntil(accountId, until) {
      await sql`INSERT INTO mail_pauses (account_id, until)
        VALUES (${accountId}, ${until})
        ON CONFLICT (account_id) DO UPDATE SET until = EXCLUDED.until`;
    },
    async setSyncNote(accountId, note) {
      await sql`INSERT INTO sync_notes (account_id, note)
        VALUES (${accountId}, ${JSON.stringify(note)}::text::jsonb)
        ON CONFLICT (account_id) DO UPDATE SET note = EXCLUDED.note`;
    },
  };
}

/** Failure counts over `sql`: one upsert per failure. */
export function createPgFailureCounters(
  sql: postgres.Sql,
  retention: StateRetention,
): FailureCounterStore {
  return {
    async increment({ accountId, gmailId, at }) {
      const expires = new Date(at.getTime() + retention.failureCountMs);
      const r = await sql<Row[]>`INSERT INTO failure_counts
          (account_id, gmail_id, count, expires_at)
        VALUES (${accountId}, ${gmailId}, 1, ${expires})
        ON CONFLICT (account_id, gmail_id) DO UPDATE SET
          count = CASE WHEN failure_counts.expires_at <= ${at} THEN 1
            ELSE failure_counts.count + 1 END,
          expires_at = EXCLUDED.expires_at
        RETURNING count`;
      return Number(r[0]?.count ?? 1);
    },
  };
}

/** Setup steps over `sql`: a claim is one conditional upsert. */
export function createPgSetup(sql: postgres.Sql): SetupStore {
  return {
    async claim(step, at) {
      const r = await sql`INSERT INTO setup_steps (step, state, at)
        VALUES (${step}, 'claimed', ${at})
        ON CONFLICT (step) DO UPDATE SET state = 'claimed', at = EXCLUDED.at
        WHERE setup_steps.state = 'failed'
        RETURNING step`;
      return r.count === 1;
    },
    async fail(step) {
      await sql`UPDATE setup_steps SET state = 'failed' WHERE step = ${step}`;
    },
  };
}
