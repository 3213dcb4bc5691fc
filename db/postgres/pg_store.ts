/**
 * The whole agent state on Postgres (used when DATABASE_URL is set; safe for
 * several instances). The connection pool is opened by the caller and
 * passed in; `close()` ends it.
 * @module
 */
import { createPgDraftReviews } from "./pg_drafts.ts";
import { createPgSavedReplies } from "./pg_saved_replies.ts";
import type postgres from "postgres";
import {
  DEFAULT_RETENTION,
  type StateRetention,
  type Store,
} from "../../pipeline/ports.ts";
import type { TokenCipher } from "../crypto/token_cipher.ts";
import { createPgAccounts, createPgCursors } from "./pg_accounts.ts";
import { createPgEmails } from "./pg_emails.ts";
import { createPgLedger } from "./pg_ledger.ts";
import { createPgOrders } from "./pg_orders.ts";
import { createPgRefunds } from "./pg_refunds.ts";
import { createPgReview } from "./pg_review.ts";
import {
  createPgAudit,
  createPgLeases,
  createPgOAuthStates,
  createPgSessions,
} from "./pg_small.ts";
import {
  createPgFailureCounters,
  createPgSetup,
  createPgSyncState,
  createPgThreadState,
} from "./pg_state.ts";

/**
 * Builds the Store over a `postgres` pool (already migrated); `retention`
 * says how long expiring state is kept (default `DEFAULT_RETENTION`).
 */
export function createPgStore(
  sql: postgres.Sql,
  cipher: TokenCipher,
  opts: { retention?: StateRetention } = {},
): Store {
  const retention = opts.retention ?? DEFAULT_RETENTION;
  return {
    kind: "postgres",
    accounts: createPgAccounts(sql, cipher),
    cursors: createPgCursors(sql),
    ledger: createPgLedger(sql),
    emails: createPgEmails(sql, retention),
    review: createPgReview(sql),
    refunds: createPgRefunds(sql),
    orders: createPgOrders(sql),
    oauthStates: createPgOAuthStates(sql),
    sessions: createPgSessions(sql),
    audit: createPgAudit(sql),
    leases: createPgLeases(sql),
    threads: createPgThreadState(sql, retention),
    syncState: createPgSyncState(sql),
    failures: createPgFailureCounters(sql, retention),
    setup: createPgSetup(sql),
    drafts: createPgDraftReviews(sql),
    savedReplies: createPgSavedReplies(sql),
    async ping() {
      await sql`SELECT 1`;
    },
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}
