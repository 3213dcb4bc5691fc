/**
 * The whole agent state on Deno KV (the embedded default). The handle is
 * opened by the caller and passed in; `close()` closes it.
 * @module
 */
import type { Store } from "../../pipeline/ports.ts";
import type { TokenCipher } from "../crypto/token_cipher.ts";
import { createKvAccounts, createKvCursors } from "./kv_accounts.ts";
import { createKvLedger } from "./kv_ledger.ts";
import { createKvOrders } from "./kv_orders.ts";
import { createKvRefunds } from "./kv_refunds.ts";
import { createKvReview } from "./kv_review.ts";
import {
  createKvAudit,
  createKvLeases,
  createKvMeta,
  createKvOAuthStates,
  createKvSessions,
} from "./kv_small.ts";

/** Builds the Store over an open Deno KV handle. */
export function createKvStore(kv: Deno.Kv, cipher: TokenCipher): Store {
  return {
    kind: "kv",
    accounts: createKvAccounts(kv, cipher),
    cursors: createKvCursors(kv),
    ledger: createKvLedger(kv),
    review: createKvReview(kv),
    refunds: createKvRefunds(kv),
    orders: createKvOrders(kv),
    oauthStates: createKvOAuthStates(kv),
    sessions: createKvSessions(kv),
    audit: createKvAudit(kv),
    leases: createKvLeases(kv),
    meta: createKvMeta(kv),
    async ping() {
      await kv.get(["meta", "__ping"]);
    },
    close() {
      kv.close();
      return Promise.resolve();
    },
  };
}
