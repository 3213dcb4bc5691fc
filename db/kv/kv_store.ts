/**
 * The whole agent state on Deno KV (the embedded default). The handle is
 * opened by the caller and passed in; `close()` closes it.
 * @module
 */
import { createKvDraftReviews } from "./kv_drafts.ts";
import { createKvSavedReplies } from "./kv_saved_replies.ts";
import {
  DEFAULT_RETENTION,
  type StateRetention,
  type Store,
} from "../../pipeline/ports.ts";
import type { TokenCipher } from "../crypto/token_cipher.ts";
import { createKvAccounts, createKvCursors } from "./kv_accounts.ts";
import { createKvEmails } from "./kv_emails.ts";
import { createKvLedger } from "./kv_ledger.ts";
import { createKvOrders } from "./kv_orders.ts";
import { createKvRefunds } from "./kv_refunds.ts";
import { createKvReview } from "./kv_review.ts";
import {
  createKvAudit,
  createKvLeases,
  createKvOAuthStates,
  createKvSessions,
} from "./kv_small.ts";
import {
  createKvFailureCounters,
  createKvSetup,
  createKvSyncState,
  createKvThreadState,
} from "./kv_state.ts";

/**
 * Builds the Store over an open Deno KV handle; `retention` says how long
 * expiring state is kept (default `DEFAULT_RETENTION`).
 */
export function createKvStore(
  kv: Deno.Kv,
  cipher: TokenCipher,
  opts: { retention?: StateRetention } = {},
): Store {
  const retention = opts.retention ?? DEFAULT_RETENTION;
  return {
    kind: "kv",
    accounts: createKvAccounts(kv, cipher),
    cursors: createKvCursors(kv),
    ledger: createKvLedger(kv),
    emails: createKvEmails(kv, retention),
    review: createKvReview(kv),
    refunds: createKvRefunds(kv),
    orders: createKvOrders(kv),
    oauthStates: createKvOAuthStates(kv),
    sessions: createKvSessions(kv),
    audit: createKvAudit(kv),
    leases: createKvLeases(kv),
    threads: createKvThreadState(kv, retention),
    syncState: createKvSyncState(kv),
    failures: createKvFailureCounters(kv, retention),
    setup: createKvSetup(kv),
    drafts: createKvDraftReviews(kv),
    savedReplies: createKvSavedReplies(kv),
    async ping() {
      await kv.get(["ping"]);
    },
    close() {
      kv.close();
      return Promise.resolve();
    },
  };
}
