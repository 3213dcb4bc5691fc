/**
 * Builds the Gmail `Mailbox` of an account: its tokens come from the store
 * (refreshed through the token endpoint and persisted), and every Google
 * endpoint honours `GOOGLE_BASE_URL`.
 * @module
 */
import type { Logger } from "../log.ts";
import type { AccountStore, Clock, MailboxFactory } from "../ports.ts";
import type { Account } from "../types.ts";
import { createGmailMailbox } from "./gmail_mailbox.ts";
import {
  createMailboxLimiter,
  type MailboxLimiter,
} from "./mailbox_limiter.ts";
import { createOAuthClient, googleEndpoints } from "./oauth_client.ts";
import { errorReason, errorStatus, realSleep } from "./retry.ts";
import {
  createTokenSource,
  googleRefresher,
  type Refresher,
} from "./token_source.ts";

/** Options of `createGmailMailboxFactory`. */
export interface GmailMailboxFactoryOptions {
  store: { accounts: Pick<AccountStore, "getTokens" | "setTokens"> };
  clientId: string;
  clientSecret: string;
  /** `GOOGLE_BASE_URL`, or null for real Google. */
  baseUrl: string | null;
  clock: Clock;
  /** Waits between retries. Tests pass one that returns at once. */
  sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1) for the jitter. Default `Math.random`. */
  random?: () => number;
  /** Attempts per call (first one included). Default 5. */
  maxAttempts?: number;
  logger: Logger;
  /** Called once per Gmail HTTP call with its method, e.g. `messages.send`. */
  onCall?: (method: string, account: Account) => void;
  /** Page size of list and history calls. Default 500. */
  pageSize?: number;
  /**
   * Gmail's quota per mailbox (quota_costs.ts): every call waits for its
   * units under `unitsPerMinute`. Default: no client-side limit.
   */
  quota?: { costs: Readonly<Record<string, number>>; unitsPerMinute: number };
  /** Replaces the token endpoint call (tests of the token lifecycle). */
  refresher?: Refresher;
}

/** Creates the factory the worker uses to reach each account's Gmail. */
export function createGmailMailboxFactory(
  opts: GmailMailboxFactoryOptions,
): MailboxFactory {
  const endpoints = googleEndpoints(opts.baseUrl);
  const refresher = opts.refresher ?? googleRefresher(() =>
    createOAuthClient({
      clientId: opts.clientId,
      clientSecret: opts.clientSecret,
      baseUrl: opts.baseUrl,
    })
  );
  // One limiter per mailbox, kept across cycles (Google counts per user).
  const limiters = new Map<string, MailboxLimiter>();
  const limiterFor = (account: Account): MailboxLimiter | undefined => {
    if (!opts.quota) return undefined;
    let l = limiters.get(account.id);
    if (!l) {
      l = createMailboxLimiter({
        costs: opts.quota.costs,
        unitsPerMinute: opts.quota.unitsPerMinute,
        clock: opts.clock,
        sleep: opts.sleep ?? realSleep,
      });
      limiters.set(account.id, l);
    }
    return l;
  };
  return {
    mailboxFor(account) {
      const log = opts.logger.child({ accountId: account.id });
      const tokens = createTokenSource({
        accountId: account.id,
        accounts: opts.store.accounts,
        refresher,
        clock: opts.clock,
      });
      return createGmailMailbox({
        tokens,
        rootUrl: endpoints.gmailRoot,
        retry: {
          maxAttempts: opts.maxAttempts,
          sleep: opts.sleep,
          random: opts.random,
          onRetry: ({ attempt, delayMs, err }) =>
            log.warn("gmail call failed; retrying", {
              attempt,
              delayMs,
              status: errorStatus(err),
              reason: errorReason(err),
            }),
        },
        onCall: opts.onCall ? (m) => opts.onCall!(m, account) : undefined,
        pageSize: opts.pageSize,
        clock: opts.clock,
        limiter: limiterFor(account),
      });
    },
  };
}
