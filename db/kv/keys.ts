/**
 * Key builders for the Deno KV store: every key the KV backend uses is made
 * here, so the layout can be read in one place.
 * @module
 */

/** Key builders, one per record kind and index. */
export const keys = {
  account: (id: string): Deno.KvKey => ["accounts", id],
  accountsPrefix: (): Deno.KvKey => ["accounts"],
  accountByEmail: (email: string): Deno.KvKey => ["accounts_by_email", email],
  cursor: (accountId: string): Deno.KvKey => ["cursors", accountId],
  ledger: (accountId: string, gmailId: string): Deno.KvKey => [
    "ledger",
    accountId,
    gmailId,
  ],
  /** Activity index: newest last, listed in reverse. */
  ledgerByTime: (
    atMs: number,
    accountId: string,
    gmailId: string,
  ): Deno.KvKey => [
    "ledger_by_time",
    atMs,
    accountId,
    gmailId,
  ],
  ledgerByTimePrefix: (): Deno.KvKey => ["ledger_by_time"],
  /** Per-account activity index. */
  ledgerByAccountTime: (
    accountId: string,
    atMs: number,
    gmailId: string,
  ): Deno.KvKey => ["ledger_by_account_time", accountId, atMs, gmailId],
  ledgerByAccountTimePrefix: (accountId: string): Deno.KvKey => [
    "ledger_by_account_time",
    accountId,
  ],
  /** Per-thread index (written with the first claim). */
  ledgerByThread: (
    accountId: string,
    threadId: string,
    gmailId: string,
  ): Deno.KvKey => ["ledger_by_thread", accountId, threadId, gmailId],
  ledgerByThreadPrefix: (accountId: string, threadId: string): Deno.KvKey => [
    "ledger_by_thread",
    accountId,
    threadId,
  ],
  /** Per-sender index (written with the decision): value `{ at, action }`. */
  ledgerBySender: (
    accountId: string,
    sender: string,
    gmailId: string,
  ): Deno.KvKey => ["ledger_by_sender", accountId, sender, gmailId],
  ledgerBySenderPrefix: (accountId: string, sender: string): Deno.KvKey => [
    "ledger_by_sender",
    accountId,
    sender,
  ],
  /** Per-recipient index of replies (written with the decision): `{ at, action }`. */
  ledgerByRecipient: (
    accountId: string,
    recipient: string,
    gmailId: string,
  ): Deno.KvKey => ["ledger_by_recipient", accountId, recipient, gmailId],
  ledgerByRecipientPrefix: (
    accountId: string,
    recipient: string,
  ): Deno.KvKey => ["ledger_by_recipient", accountId, recipient],
  /**
   * The recent decisions of one sender (`sender`) or one reply recipient
   * (`to`) in one value (kv_reply_marks.ts), so the reply cap is one read.
   */
  replyMarks: (
    accountId: string,
    kind: "sender" | "to",
    address: string,
  ): Deno.KvKey => ["reply_marks", accountId, kind, address],
  /** The ids of a thread's review items that are not resolved. */
  reviewOpenByThread: (accountId: string, threadId: string): Deno.KvKey => [
    "review_open_by_thread",
    accountId,
    threadId,
  ],
  /** One-time migrations of a KV file, by name. */
  migration: (name: string): Deno.KvKey => ["migrations", name],
  review: (id: string): Deno.KvKey => ["review", id],
  reviewPrefix: (): Deno.KvKey => ["review"],
  reviewByMessage: (accountId: string, gmailId: string): Deno.KvKey => [
    "review_by_message",
    accountId,
    gmailId,
  ],
  reviewByThread: (
    accountId: string,
    threadId: string,
    id: string,
  ): Deno.KvKey => ["review_by_thread", accountId, threadId, id],
  reviewByThreadPrefix: (accountId: string, threadId: string): Deno.KvKey => [
    "review_by_thread",
    accountId,
    threadId,
  ],
  refundCase: (accountId: string, threadId: string): Deno.KvKey => [
    "refund_cases",
    accountId,
    threadId,
  ],
  refundCasesPrefix: (accountId?: string): Deno.KvKey =>
    accountId === undefined ? ["refund_cases"] : ["refund_cases", accountId],
  invalidAttempt: (accountId: string, gmailId: string): Deno.KvKey => [
    "invalid_attempts",
    accountId,
    gmailId,
  ],
  invalidAttemptsPrefix: (accountId?: string): Deno.KvKey =>
    accountId === undefined
      ? ["invalid_attempts"]
      : ["invalid_attempts", accountId],
  order: (orderKey: string): Deno.KvKey => ["orders", orderKey],
  ordersPrefix: (): Deno.KvKey => ["orders"],
  oauthState: (state: string): Deno.KvKey => ["oauth_states", state],
  session: (id: string): Deno.KvKey => ["sessions", id],
  audit: (atMs: number, id: string): Deno.KvKey => ["audit", atMs, id],
  auditPrefix: (): Deno.KvKey => ["audit"],
  lease: (name: string): Deno.KvKey => ["leases", name],
  /** Legacy string-keyed markers: read once by `migrateKvMeta`, then deleted. */
  metaPrefix: (): Deno.KvKey => ["meta"],
  takeover: (accountId: string, threadId: string): Deno.KvKey => [
    "thread_takeovers",
    accountId,
    threadId,
  ],
  /** The message whose acknowledgement the thread got (value: `{ gmailId, at }`). */
  threadAck: (accountId: string, threadId: string): Deno.KvKey => [
    "thread_acks",
    accountId,
    threadId,
  ],
  savedReply: (id: string): Deno.KvKey => ["saved_replies", id],
  /** Per-mailbox index of saved replies. */
  savedReplyByAccount: (accountId: string, id: string): Deno.KvKey => [
    "saved_replies_by_account",
    accountId,
    id,
  ],
  savedRepliesByAccountPrefix: (accountId: string): Deno.KvKey => [
    "saved_replies_by_account",
    accountId,
  ],
  /** A mailbox's saved-reply title, lower-cased (value: the reply's id). */
  savedReplyTitle: (accountId: string, title: string): Deno.KvKey => [
    "saved_reply_titles",
    accountId,
    title,
  ],
  draftReview: (accountId: string, gmailId: string): Deno.KvKey => [
    "draft_reviews",
    accountId,
    gmailId,
  ],
  sentReply: (accountId: string, gmailId: string, by: string): Deno.KvKey => [
    "sent_replies",
    accountId,
    gmailId,
    by,
  ],
  syncLabel: (accountId: string, name: string): Deno.KvKey => [
    "sync_labels",
    accountId,
    name,
  ],
  initialSync: (accountId: string): Deno.KvKey => ["initial_syncs", accountId],
  syncNote: (accountId: string): Deno.KvKey => ["sync_notes", accountId],
  mailPause: (accountId: string): Deno.KvKey => ["mail_pauses", accountId],
  failureCount: (accountId: string, gmailId: string): Deno.KvKey => [
    "failure_counts",
    accountId,
    gmailId,
  ],
  setupStep: (step: string): Deno.KvKey => ["setup_steps", step],
};

/**
 * Runs `attempt` until it reports a committed result, re-reading each time
 * (optimistic concurrency). `attempt` returns `undefined` when its atomic
 * commit lost a race.
 */
export async function retryAtomic<T>(
  what: string,
  attempt: () => Promise<T | undefined>,
  maxTries = 50,
): Promise<T> {
  for (let i = 0; i < maxTries; i++) {
    const r = await attempt();
    if (r !== undefined) return r;
  }
  throw new Error(
    `Cannot ${what} as the record kept changing: gave up after ${maxTries} tries`,
  );
}
