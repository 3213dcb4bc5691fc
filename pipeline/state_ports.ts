/**
 * Ports of the small typed state the worker keeps besides the ledger:
 * what it knows of a thread (a person took it over; who sent a reply; which
 * message got its acknowledgement),
 * of an account's sync (label ids, first full sync done, what a full sync
 * left, a pause asked for by Gmail's quota), failure counts,
 * and one-time setup steps. Re-exported by `ports.ts`. Entries that matter
 * only for a while expire by the times the callers pass (the injected
 * clock), after the retention the store was opened with (`StateRetention`).
 * @module
 */

/** Who sent a Gmail message of the account. */
export type SentBy = "agent" | "person";

/** How long expiring entries are kept (given when a store is opened). */
export interface StateRetention {
  /** A sent-reply marker, from when it was recorded (SENT_REPLY_MARKER_DAYS). */
  sentReplyMs: number;
  /** A message's failure count, from its last failure. */
  failureCountMs: number;
}

/** The default retention: 30 days for sent-reply markers, 7 for failure counts. */
export const DEFAULT_RETENTION: StateRetention = {
  sentReplyMs: 30 * 86_400_000,
  failureCountMs: 7 * 86_400_000,
};

/** What the worker knows about threads and the replies sent in them. */
export interface ThreadStateStore {
  /** True when a person has taken the thread over. Never expires. */
  isTakenOver(accountId: string, threadId: string): Promise<boolean>;
  /** Marks the thread as taken over by a person; the first time is kept. */
  markTakenOver(accountId: string, threadId: string, at: Date): Promise<void>;
  /**
   * Records that the agent, or a person, sent (or drafted) Gmail message
   * `gmailId`. Forgotten `StateRetention.sentReplyMs` after `at`.
   */
  recordSent(
    input: { accountId: string; gmailId: string; by: SentBy; at: Date },
  ): Promise<void>;
  /**
   * Who sent `gmailId`, as recorded and not expired at `now`; "agent" when
   * both were recorded; null when neither.
   */
  sentBy(accountId: string, gmailId: string, now: Date): Promise<SentBy | null>;
  /**
   * The message whose acknowledgement the thread got (or is getting), or
   * null. Never expires: a thread is acknowledged once.
   */
  acknowledgementOf(
    accountId: string,
    threadId: string,
  ): Promise<string | null>;
  /**
   * Claims the thread's one acknowledgement for message `gmailId`,
   * atomically: true when it is that message's (claimed now or before, so a
   * retry keeps it), false when another message of the thread has it.
   */
  claimAcknowledgement(
    input: { accountId: string; threadId: string; gmailId: string; at: Date },
  ): Promise<boolean>;
  /**
   * Retention: deletes up to `limit` sent-reply markers expired at `now`
   * (of any account); returns how many.
   */
  pruneSent(now: Date, limit: number): Promise<number>;
}

/** What a finished full sync deliberately left: inbox mail older than its window. */
export interface SyncNote {
  /** Unanswered inbox emails older than the window (at most LEFT_COUNT_CAP). */
  leftOlder: number;
  /** True when there were more than LEFT_COUNT_CAP. */
  capped: boolean;
  windowDays: number;
  /** When, ISO 8601. */
  at: string;
}

/** What the sync keeps per account besides its cursor. */
export interface SyncStateStore {
  /** The cached id of Gmail label `name` of the account, or null. */
  labelId(accountId: string, name: string): Promise<string | null>;
  setLabelId(accountId: string, name: string, labelId: string): Promise<void>;
  /** True once the account's first full sync was committed. */
  isInitialSyncDone(accountId: string): Promise<boolean>;
  markInitialSyncDone(accountId: string, at: Date): Promise<void>;
  /** The note of the account's last full sync, or null. */
  syncNote(accountId: string): Promise<SyncNote | null>;
  /** Replaces the note of the account's last full sync. */
  setSyncNote(accountId: string, note: SyncNote): Promise<void>;
  /** The end of the account's mail pause (Gmail's quota), or null. */
  pausedUntil(accountId: string): Promise<Date | null>;
  /** Pauses the account's mail until `until`. */
  setPausedUntil(accountId: string, until: Date): Promise<void>;
}

/** Failed processing attempts per message (see `message_failures.ts`). */
export interface FailureCounterStore {
  /**
   * Counts one more failure of the message at `at` and returns the count.
   * A count not increased for `StateRetention.failureCountMs` starts again.
   */
  increment(
    input: { accountId: string; gmailId: string; at: Date },
  ): Promise<number>;
}

/**
 * One-time setup steps of a store: the sample orders; the sandbox's welcome
 * email (delivered once per data folder, not at every start).
 */
export type SetupStep = "sample_orders" | "sandbox_welcome";

/** Steps run once per store, tried again only after a failure. */
export interface SetupStore {
  /**
   * Claims `step` when it never ran or its last run failed; true when this
   * call claimed it (and must run it).
   */
  claim(step: SetupStep, at: Date): Promise<boolean>;
  /** Records that the claimed run of `step` failed, so it is tried again. */
  fail(step: SetupStep): Promise<void>;
}

/** What a person did with one of the agent's drafts (the drafts queue). */
export interface DraftOutcome {
  /** Sent or discarded from the dashboard, or found gone in Gmail. */
  status: "sent" | "discarded" | "gone";
  /** Who sent or discarded it; null when it was found gone. */
  actor: string | null;
  at: Date;
  /** The Gmail id of the sent message, else null. */
  sentId: string | null;
}

/** A person's side of the agent's draft answering one message. */
export interface DraftReview {
  /** The text a person saved, or null (the agent's text stands). */
  text: string | null;
  outcome: DraftOutcome | null;
}

/** A person's edits and outcomes of the agent's drafts, per answered message. */
export interface DraftReviewStore {
  /** What a person did with the draft answering `gmailId` (nulls when nothing). */
  get(accountId: string, gmailId: string): Promise<DraftReview>;
  /** Keeps the text a person saved (replaces an earlier one). */
  saveText(accountId: string, gmailId: string, text: string): Promise<void>;
  /**
   * Records the outcome unless one is recorded already (the first is kept);
   * true when this call recorded it.
   */
  close(
    accountId: string,
    gmailId: string,
    outcome: DraftOutcome,
  ): Promise<boolean>;
}
