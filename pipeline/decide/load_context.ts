/**
 * The one context loader: everything `decide()` needs about an email, read
 * before it: the classification, the thread (a person's takeover, the
 * quoted text), the sender's recent replies and messages, the thread's open
 * review items and acknowledgement (when those are on) and, unless a rule
 * before the refund flow settles the email, the refund flow's reads
 * (`loadRefundContext`: the case, the order, the invalid attempts, the
 * earlier thread when an order id is needed). After it, `decide()` does no
 * I/O. It only reads: a takeover found on an earlier thread of the
 * conversation comes back as `takeoverInherited`, and the worker copies the
 * mark when it applies the plan's effects.
 * @module
 */
import {
  type DecideConfig,
  type DecideContext,
  settledBeforeRefund,
} from "./decide.ts";
import type {
  Classifier,
  ContextReads,
  LedgerStore,
  Mailbox,
  Orders,
  RefundStore,
  ReviewStore,
  ThreadStateStore,
} from "../ports.ts";
import { loadRefundContext } from "../refund/decide_refund.ts";
import { replyCapKeys } from "./reply_cap.ts";
import { buildThreadContext, type ThreadContext } from "./thread_context.ts";
import type { Account, ParsedEmail } from "../types.ts";

/** The stores the loader reads (a `Store` fits). */
export interface ContextStores {
  ledger: Pick<
    LedgerStore,
    "countRepliesTo" | "countRepliesAddressedTo" | "countFrom"
  >;
  review: Pick<ReviewStore, "openForThread">;
  refunds: Pick<RefundStore, "getCase" | "countInvalidAttempts">;
  orders: Pick<Orders, "get">;
  threads: Pick<ThreadStateStore, "isTakenOver" | "acknowledgementOf">;
}

/** What `loadDecideContext` reads through. */
export interface LoadContextDeps {
  classifier: Classifier;
  config: DecideConfig;
  store: ContextStores;
}

/** The email's account, the time, and where its thread is read. */
export interface LoadContextInput {
  account: Account;
  now: Date;
  /**
   * The account's mailbox: its `getThread` reads the earlier thread, its
   * `findByMessageId` the threads of the messages an email replies to.
   */
  mailbox?: Pick<Mailbox, "getThread" | "findByMessageId">;
  /** A thread context to use as it is (`simulate`), instead of reading one. */
  thread?: ThreadContext;
  /**
   * What the store already read for this email in one round trip
   * (`store.emails.snapshot` with `contextKeys(email)`), used instead of
   * the separate reads.
   */
  reads?: ContextReads;
}

/** The keys the context of `email` is read by (`SnapshotQuery` fields). */
export function contextKeys(email: ParsedEmail): {
  capSender: string | null;
  capRecipients: string[];
  sender: string | null;
} {
  const cap = replyCapKeys(email);
  return {
    capSender: cap.sender,
    capRecipients: cap.recipients,
    sender: email.from?.address.toLowerCase() || null,
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Reads everything `decide()` needs about `email`. */
export async function loadDecideContext(
  email: ParsedEmail,
  input: LoadContextInput,
  deps: LoadContextDeps,
): Promise<DecideContext> {
  const { account, now } = input;
  const { store } = deps;
  const classification = deps.classifier.classify({
    subject: email.subject,
    body: email.cleanText,
  });
  const reads = input.reads;
  // With `reads`, the thread's takeover and refund case come from them too.
  const threads: ContextStores["threads"] = reads
    ? {
      isTakenOver: (accountId, threadId) =>
        accountId === account.id && threadId === email.threadId
          ? Promise.resolve(reads.takenOver)
          : store.threads.isTakenOver(accountId, threadId),
      acknowledgementOf: (accountId, threadId) =>
        store.threads.acknowledgementOf(accountId, threadId),
    }
    : store.threads;
  const [thread, counts] = await Promise.all([
    input.thread ?? buildThreadContext(email, {
      accountId: account.id,
      mailbox: input.mailbox ?? {},
      threads,
    }),
    reads ?? readCounts(email, account, now, deps),
  ]);
  const base = {
    account,
    now,
    classification,
    humanTakeover: thread.humanTakeover,
    takeoverInherited: thread.takeoverInherited ?? false,
    repliesToSenderLast24h: counts.repliesToSenderLast24h,
    repliesToRecipientLast24h: counts.repliesToRecipientLast24h,
    fromSenderLast7d: counts.fromSenderLast7d,
    openReviewItems: counts.openReviewItems,
    threadAcknowledgedBy: counts.threadAcknowledgedBy,
  };
  if (settledBeforeRefund(email, base, deps.config)) {
    return { ...base, refund: null };
  }
  const refund = await loadRefundContext(
    { email, account, classification, now },
    {
      threadTexts: thread.threadTexts,
      loadEarlierTexts: thread.loadEarlierTexts,
    },
    {
      refunds: reads
        ? {
          getCase: (accountId, threadId) =>
            accountId === account.id && threadId === email.threadId
              ? Promise.resolve(reads.refundCase)
              : store.refunds.getCase(accountId, threadId),
          countInvalidAttempts: (by, since) =>
            store.refunds.countInvalidAttempts(by, since),
        }
        : store.refunds,
      orders: store.orders,
      config: deps.config.refund,
    },
  );
  return { ...base, refund };
}

/** The counts of `ContextReads`, read one by one (no snapshot given). */
async function readCounts(
  email: ParsedEmail,
  account: Account,
  now: Date,
  deps: LoadContextDeps,
): Promise<Omit<ContextReads, "takenOver" | "refundCase">> {
  const { store } = deps;
  const { capSender, capRecipients, sender } = contextKeys(email);
  const dayAgo = new Date(now.getTime() - DAY_MS);
  const [
    repliesToSenderLast24h,
    byRecipient,
    fromSenderLast7d,
    open,
    threadAcknowledgedBy,
  ] = await Promise.all([
    capSender ? store.ledger.countRepliesTo(account.id, capSender, dayAgo) : 0,
    Promise.all(
      capRecipients.map((r) =>
        store.ledger.countRepliesAddressedTo(account.id, r, dayAgo)
      ),
    ),
    sender
      ? store.ledger.countFrom(
        account.id,
        sender,
        new Date(now.getTime() - 7 * DAY_MS),
      )
      : 0,
    store.review.openForThread(account.id, email.threadId),
    // Read only when acknowledgements are on (acknowledge.ts).
    deps.config.acknowledgement?.enabled
      ? store.threads.acknowledgementOf(account.id, email.threadId)
      : null,
  ]);
  return {
    repliesToSenderLast24h,
    repliesToRecipientLast24h: Math.max(0, ...byRecipient),
    fromSenderLast7d,
    openReviewItems: open.length,
    threadAcknowledgedBy,
  };
}
