/**
 * Ports: the interfaces the pipeline talks through. Each has real adapters
 * (Deno KV and Postgres under `db/`, Gmail under `pipeline/gmail/`) and is
 * passed in, never imported as a global.
 * @module
 */
import type {
  Account,
  AccountStatus,
  AuditEvent,
  Decision,
  Effect,
  InvalidRefundAttempt,
  LedgerEntry,
  Order,
  RefundCase,
  ReplyMode,
  ReviewItem,
  ReviewStatus,
  Tokens,
} from "./types.ts";

export {
  DailyQuotaExhaustedError,
  HistoryExpiredError,
  InsufficientScopeError,
  isTransientMailError,
  LabelConflictError,
  LabelMissingError,
  MailError,
  MailUnavailableError,
  MessageGoneError,
  RateLimitedError,
  ReconnectNeededError,
} from "./mail_errors.ts";
import type { EmailRecordStore } from "./email_ports.ts";
export type {
  BeginInput,
  BeginResult,
  ClaimerInput,
  ClaimStatus,
  ContextReads,
  EmailRecordStore,
  EmailSnapshot,
  FinishInput,
  NewReviewItem,
  Peeked,
  PeekedEntry,
  PeekIds,
  SnapshotQuery,
} from "./email_ports.ts";
import type {
  DraftReviewStore,
  FailureCounterStore,
  SetupStore,
  SyncStateStore,
  ThreadStateStore,
} from "./state_ports.ts";
export {
  DEFAULT_RETENTION,
  type DraftOutcome,
  type DraftReview,
  type DraftReviewStore,
  type FailureCounterStore,
  type SentBy,
  type SetupStep,
  type SetupStore,
  type StateRetention,
  type SyncNote,
  type SyncStateStore,
  type ThreadStateStore,
} from "./state_ports.ts";

import type { SavedReplyStore } from "./saved_reply_port.ts";
export type {
  SavedReply,
  SavedReplyRefusal,
  SavedReplyResult,
  SavedReplyStore,
} from "./saved_reply_port.ts";

/** Time source. Tests pass a fake. */
export interface Clock {
  now(): Date;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** Accounts and their encrypted tokens. */
export interface AccountStore {
  /** Creates or replaces the account with this email; returns it. */
  upsert(
    input: { email: string; sandbox?: boolean; tokens: Tokens },
  ): Promise<Account>;
  get(id: string): Promise<Account | null>;
  getByEmail(email: string): Promise<Account | null>;
  list(): Promise<Account[]>;
  /** Decrypted tokens; null when the account does not exist. Throws on a tampered value. */
  getTokens(id: string): Promise<Tokens | null>;
  /** Replaces the stored tokens (encrypted). */
  setTokens(id: string, tokens: Tokens): Promise<void>;
  setStatus(
    id: string,
    status: AccountStatus,
    reason: string | null,
  ): Promise<void>;
  setReplyMode(id: string, mode: ReplyMode | null): Promise<void>;
  /** Records a finished sync attempt; `error` null means success. */
  recordSync(id: string, at: Date, error: string | null): Promise<void>;
  /** Deletes the account, its tokens and its cursor. */
  delete(id: string): Promise<void>;
}

/** Per-account sync cursors (Gmail historyId). */
export interface CursorStore {
  get(accountId: string): Promise<string | null>;
  set(accountId: string, historyId: string): Promise<void>;
}

/** Outcome of a ledger claim. */
export type ClaimResult =
  | { status: "claimed"; entry: LedgerEntry }
  /** Already finished: skip. */
  | { status: "done"; entry: LedgerEntry }
  /** Claimed by another live worker: skip for now. */
  | { status: "busy"; entry: LedgerEntry };

/** Filter for the activity log. */
export interface ActivityFilter {
  accountId?: string;
  category?: string;
  action?: string;
  reason?: string;
  limit?: number;
  /** Case-blind text found in the subject or the sender's address. */
  text?: string;
  /** Only entries after this position of the listing (the next page). */
  after?: ActivityCursor;
}

/**
 * A position in the activity listing (newest first: claim time, then
 * account id, then Gmail id, all descending): the last entry of a page.
 */
export interface ActivityCursor {
  at: Date;
  accountId: string;
  gmailId: string;
}

/** Filter of the review queue listing. */
export interface ReviewFilter {
  status?: ReviewStatus;
  /** Only items not resolved (ignored when `status` is set). */
  open?: boolean;
  accountId?: string;
  limit?: number;
  /** Case-blind text found in the subject, the sender or the excerpt. */
  text?: string;
  /** Only items after this position of the queue order (the next page). */
  after?: ReviewCursor;
}

/**
 * A position in the queue order (importance high first, then oldest first,
 * then id): the last item of a page.
 */
export interface ReviewCursor {
  importance: number;
  createdAt: Date;
  id: string;
}

/** The message ledger (idempotency) and activity log. */
export interface LedgerStore {
  /**
   * Claims a message for processing. A claim older than `staleAfterMs` that
   * never reached `done` is taken over (crash recovery) and returned as
   * `claimed` with its previous state, decision and replyMessageId kept.
   */
  claim(
    input: {
      accountId: string;
      gmailId: string;
      threadId: string;
      /** The attempt that claims (one cycle's id, never a process's). */
      workerId: string;
      now: Date;
      staleAfterMs: number;
      /**
       * The account lease the attempt holds (fencing). When given, the claim
       * is made only while `workerId` holds this lease, and a claim of any
       * other attempt (which cannot hold it) is taken over at once.
       * Throws LeaseLostError when the attempt no longer holds it.
       */
      lease?: string;
    },
  ): Promise<ClaimResult>;
  /**
   * Gives a claim of `workerId` back (a failed or abandoned attempt); the
   * message may be claimed again from `retryAt` on (back-off), until then a
   * claim is `busy`. With `failed`, the entry's `retries` grows by one (an
   * abandoned attempt is not the message's failure). No-op when the claim is
   * done or held by another attempt.
   */
  release(
    accountId: string,
    gmailId: string,
    input: { workerId: string; retryAt: Date; now: Date; failed?: boolean },
  ): Promise<void>;
  /** Records the decision and the reply's Message-ID before any effect. */
  recordDecision(
    accountId: string,
    gmailId: string,
    input: {
      decision: Decision;
      /** The planned effects, stored so a retry re-applies the same ones. */
      effects: Effect[];
      replyMessageId: string | null;
      sender: string | null;
      senderAddress: string | null;
      /** Where the reply goes (reply and draft decisions); else null. */
      recipientAddress?: string | null;
      subject: string | null;
      now: Date;
    },
  ): Promise<void>;
  /** Marks that the reply (or draft) exists in Gmail. */
  markSent(accountId: string, gmailId: string, now: Date): Promise<void>;
  /** Marks the message finished; `error` keeps a failure reason. */
  markDone(
    accountId: string,
    gmailId: string,
    now: Date,
    error?: string | null,
  ): Promise<void>;
  get(accountId: string, gmailId: string): Promise<LedgerEntry | null>;
  /** Newest first. */
  listActivity(filter: ActivityFilter): Promise<LedgerEntry[]>;
  /** The entries of one thread, oldest first (by claim time, then id). */
  listThread(accountId: string, threadId: string): Promise<LedgerEntry[]>;
  /**
   * Retention: deletes up to `limit` finished (`done`) entries claimed and
   * last changed before `before`, with their indexes; returns how many.
   * Unfinished entries are never deleted.
   */
  prune(before: Date, limit: number): Promise<number>;
  /**
   * Auto replies (action "reply", or a review decision's acknowledgement)
   * to messages from `senderAddress` since `since`.
   */
  countRepliesTo(
    accountId: string,
    senderAddress: string,
    since: Date,
  ): Promise<number>;
  /**
   * Auto replies (as `countRepliesTo`) addressed to `recipient` (the
   * `recipientAddress` recorded with the decision) since `since`.
   */
  countRepliesAddressedTo(
    accountId: string,
    recipient: string,
    since: Date,
  ): Promise<number>;
  /** Messages from this sender (any action) since `since`. */
  countFrom(
    accountId: string,
    senderAddress: string,
    since: Date,
  ): Promise<number>;
}

/** Fields a person can change on a review item. */
export interface ReviewPatch {
  status?: ReviewStatus;
  assignee?: string | null;
  note?: string | null;
}

/** The human review queue. */
export interface ReviewStore {
  /** Adds an item; one item per account + gmailId (a repeat returns the existing one). */
  add(
    item: Omit<
      ReviewItem,
      "id" | "createdAt" | "updatedAt" | "status" | "assignee" | "note"
    >,
    now: Date,
  ): Promise<ReviewItem>;
  get(id: string): Promise<ReviewItem | null>;
  /** Sorted by importance (high first), then age (oldest first). */
  list(filter: ReviewFilter): Promise<ReviewItem[]>;
  update(id: string, patch: ReviewPatch, now: Date): Promise<ReviewItem | null>;
  /** Open (not resolved) items of a thread. */
  openForThread(accountId: string, threadId: string): Promise<ReviewItem[]>;
  countByStatus(): Promise<Record<ReviewStatus, number>>;
}

/** Refund cases and invalid attempts. */
export interface RefundStore {
  getCase(accountId: string, threadId: string): Promise<RefundCase | null>;
  /**
   * Saves a case when its stored version equals `expectedVersion` (0 for a
   * new case). Returns false on a concurrent change.
   */
  saveCase(c: RefundCase, expectedVersion: number): Promise<boolean>;
  listCases(
    filter: { accountId?: string; limit?: number },
  ): Promise<RefundCase[]>;
  addInvalidAttempt(a: InvalidRefundAttempt): Promise<void>;
  countInvalidAttempts(
    by: { accountId: string; threadId?: string; sender?: string },
    since: Date,
  ): Promise<number>;
  listInvalidAttempts(limit: number): Promise<InvalidRefundAttempt[]>;
}

/** Result of marking an order refund-requested. */
export type MarkRefundResult =
  | { ok: true; order: Order }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "already_requested"; requestedAt: Date }
  /** Refunded already (by a person, or so imported): nothing to request. */
  | { ok: false; reason: "refunded" };

/** What `Orders.markRefunded` did. */
export type MarkRefundedResult =
  | { ok: true; order: Order }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "already_refunded"; order: Order };

/** The orders database. */
export interface Orders {
  get(orderId: string): Promise<Order | null>;
  /** All rows or none. Existing ids are replaced. Returns the count. */
  importAll(orders: Order[]): Promise<number>;
  count(): Promise<number>;
  /** Atomically marks the order, once; a second call reports the first time. */
  markRefundRequested(orderId: string, at: Date): Promise<MarkRefundResult>;
  /**
   * Atomically sets the order's status to `refunded` (a person paid it back;
   * the amount is in the refund case's history). A second call changes
   * nothing and reports `already_refunded`; `refundRequestedAt` is kept.
   */
  markRefunded(orderId: string): Promise<MarkRefundedResult>;
}

/** Short-lived OAuth states (state + PKCE verifier). */
export interface OAuthStateStore {
  put(
    state: string,
    data: Record<string, string>,
    ttlMs: number,
    now: Date,
  ): Promise<void>;
  /** Returns and deletes the state; null when unknown or expired. */
  take(state: string, now: Date): Promise<Record<string, string> | null>;
}

/** Server-side admin sessions and one-time tokens. */
export interface SessionStore {
  put(
    id: string,
    data: Record<string, string>,
    ttlMs: number,
    now: Date,
  ): Promise<void>;
  get(id: string, now: Date): Promise<Record<string, string> | null>;
  delete(id: string): Promise<void>;
}

/** Append-only audit log. */
export interface AuditStore {
  add(e: AuditEvent): Promise<void>;
  list(limit: number): Promise<AuditEvent[]>;
  /** Retention: deletes up to `limit` events from before `before`; returns how many. */
  prune(before: Date, limit: number): Promise<number>;
}

/** Leases so that only one instance polls an account at a time. */
export interface LeaseStore {
  /**
   * True when `owner` now holds `name` until now + ttlMs: taken when free,
   * expired or already `owner`'s, or (with `reclaimFrom`) held by an owner
   * whose id starts with it: a restarted instance taking its own work back.
   */
  acquire(
    name: string,
    owner: string,
    ttlMs: number,
    now: Date,
    opts?: { reclaimFrom?: string },
  ): Promise<boolean>;
  /**
   * Extends a lease `owner` still holds to now + ttlMs; false when it was
   * lost (released, or expired and taken by another owner).
   */
  renew(
    name: string,
    owner: string,
    ttlMs: number,
    now: Date,
  ): Promise<boolean>;
  release(name: string, owner: string): Promise<void>;
}

/** The whole agent state: one backend (Deno KV or Postgres) implements all. */
export interface Store {
  readonly kind: "kv" | "postgres";
  accounts: AccountStore;
  cursors: CursorStore;
  ledger: LedgerStore;
  /** One email's records on the worker's path, in three round trips. */
  emails: EmailRecordStore;
  review: ReviewStore;
  refunds: RefundStore;
  orders: Orders;
  oauthStates: OAuthStateStore;
  sessions: SessionStore;
  audit: AuditStore;
  leases: LeaseStore;
  /** A person's takeover of a thread; who sent each reply. */
  threads: ThreadStateStore;
  /** Label ids and the first full sync, per account. */
  syncState: SyncStateStore;
  /** Failed processing attempts per message. */
  failures: FailureCounterStore;
  /** One-time setup steps (the sample orders, the sandbox's welcome). */
  setup: SetupStore;
  /** A person's edits and outcomes of the agent's drafts. */
  drafts: DraftReviewStore;
  /** Saved replies (canned responses) per mailbox. */
  savedReplies: SavedReplyStore;
  /** Cheap round trip for readiness. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A Gmail message reference. */
export interface MessageRef {
  id: string;
  threadId: string;
  /** Gmail labels when the listing gives them (`listHistory` does). */
  labelIds?: string[];
}

/** A Gmail draft: its id and its current message. */
export interface DraftRef {
  draftId: string;
  /** The Gmail id of the draft's message (changes at each update). */
  messageId: string;
  threadId: string;
}

/** One message of a thread, as `Mailbox.getThread` lists it. */
export interface ThreadMessage {
  id: string;
  labelIds: string[];
  /** The RFC 822 Message-ID header, or null. */
  messageId: string | null;
  /** Gmail's short plain-text excerpt of the body. */
  snippet: string;
  /** The first Message-ID of its In-Reply-To header, or null. */
  inReplyTo?: string | null;
  /** Its Auto-Submitted header (e.g. "auto-replied"), or null. */
  autoSubmitted?: string | null;
}

/**
 * Raised by a fenced store call (`LedgerStore.claim` with `lease`) when the
 * attempt no longer holds its lease: it must stop at once.
 */
export class LeaseLostError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "LeaseLostError";
  }
}

/**
 * Raised by the store when it does not answer within its deadline or its
 * database is gone; the cycle stops instead of failing email after email.
 */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "StoreUnavailableError";
  }
}

/**
 * One Gmail mailbox, already authorised. Adapter: `pipeline/gmail/`. Every
 * method throws only the typed errors of `mail_errors.ts` for a refusal
 * the caller can act on: `ReconnectNeededError` (the refresh token was
 * refused), `RateLimitedError` (with the retry time Google gave, if any),
 * `DailyQuotaExhaustedError`, `InsufficientScopeError` and
 * `MailUnavailableError` (5xx, network). Other failures (a bug, a request
 * Gmail finds malformed) are thrown as they are and are not transient.
 */
export interface Mailbox {
  getProfile(): Promise<{ emailAddress: string; historyId: string }>;
  /**
   * Messages added to INBOX or SENT since `startHistoryId`, oldest first,
   * all pages, each with its `labelIds`. Throws `HistoryExpiredError` when
   * the start id is too old (a full sync is needed).
   */
  listHistory(
    startHistoryId: string,
  ): Promise<{ messages: MessageRef[]; historyId: string }>;
  /** Ids matching a Gmail query, all pages up to `max`. */
  listMessages(q: string, max: number): Promise<MessageRef[]>;
  /**
   * The raw RFC 822 bytes and labels of one message. Throws
   * `MessageGoneError` when it was deleted.
   */
  getRaw(
    id: string,
  ): Promise<{ raw: Uint8Array; threadId: string; labelIds: string[] }>;
  send(raw: Uint8Array, threadId: string): Promise<MessageRef>;
  createDraft(raw: Uint8Array, threadId: string): Promise<MessageRef>;
  /** Sent messages and drafts whose Message-ID is `messageId`. */
  findByMessageId(messageId: string): Promise<MessageRef[]>;
  /**
   * The draft whose message has the RFC 822 Message-ID `messageId`, or null
   * when there is none (sent or deleted in Gmail): `drafts.list` with
   * `rfc822msgid:` (1 unit). Never guessed from the thread: a person's own
   * draft there must not be taken for the agent's.
   */
  findDraft(messageId: string): Promise<DraftRef | null>;
  /**
   * Replaces a draft's message (`drafts.update`, 15 units); Gmail gives it a
   * new message id. Throws `MessageGoneError` when the draft is gone.
   */
  updateDraft(
    draftId: string,
    raw: Uint8Array,
    threadId: string,
  ): Promise<DraftRef>;
  /**
   * Sends a draft as it is in Gmail (`drafts.send`, 100 units). Throws
   * `MessageGoneError` when the draft is gone (already sent or deleted).
   * A sent draft no longer exists, so a retry after a lost answer finds it
   * gone instead of sending it twice.
   */
  sendDraft(draftId: string): Promise<MessageRef>;
  /** Deletes a draft (`drafts.delete`, 10 units). Throws `MessageGoneError` when gone. */
  deleteDraft(draftId: string): Promise<void>;
  /**
   * The id of the label `name`, created when missing. Throws
   * `LabelConflictError` when Gmail refuses to create it and no usable
   * label of that name is found.
   */
  ensureLabel(name: string): Promise<string>;
  /**
   * The messages of a thread, oldest first, with labels, Message-ID and
   * snippet (`threads.get`, format=metadata: 40 units, 10 on the legacy
   * cost table). Optional: without
   * it the worker knows the thread only from the email's quoted text.
   * Throws `MessageGoneError` when the thread was deleted.
   */
  getThread?(threadId: string): Promise<ThreadMessage[]>;
  /**
   * Adds labels to a message. Throws `MessageGoneError` when the message
   * was deleted and `LabelMissingError` when a label id no longer exists.
   */
  addLabels(id: string, labelIds: string[]): Promise<void>;
  /**
   * The RFC 822 Message-ID of one message, or null (`messages.get`,
   * format=metadata: 20 units, 5 on the legacy cost table). Optional:
   * `getRaw` serves without it.
   * Throws `MessageGoneError` when it was deleted.
   */
  getMessageIdHeader?(id: string): Promise<string | null>;
}

/** Gives the Mailbox of an account. Adapter: `pipeline/gmail/mailbox_factory.ts`. */
export interface MailboxFactory {
  mailboxFor(account: Account): Mailbox;
}

/** Result of classifying an email. */
export interface Classification {
  category: import("./types.ts").Category;
  /** Calibrated probability of `category`, in [0, 1]. */
  confidence: number;
  scores: Record<import("./types.ts").Category, number>;
}

/** Sorts an email into Question / Refund / Other. */
export interface Classifier {
  classify(input: { subject: string; body: string }): Classification;
}

/** A knowledge-base section found by retrieval. */
export interface RetrievedSection {
  /** Stable id `path#slug`, the path relative to the KB folder's parent (e.g. `knowledge_base/shipping.md#tracking`). */
  id: string;
  /** The document path relative to the KB folder (e.g. `shipping.md`). */
  docId: string;
  title: string;
  heading: string;
  text: string;
  score: number;
  /** Cosine of the query's and the section's word-vector meaning, when known. */
  semantic?: number;
}

/** Meaning-level comparison of texts (word vectors); see knowledge/text_semantics.ts. */
export interface Semantics {
  /** Cosine of the two texts' sentence vectors; 0 when either has none. */
  similarity(a: string, b: string): number;
  /** Soft coverage of the ask's content words by the text's words, in [0, 1]. */
  coverage(
    ask: string,
    text: string,
  ): { mean: number; min: number; words: number };
}

/** Finds the knowledge-base sections that best match a query. */
export interface Retriever {
  search(query: string, k: number): Promise<RetrievedSection[]>;
  /** Word-vector comparisons over the same index, when vectors are loaded. */
  readonly semantics?: Semantics | null;
  /**
   * The text with its misspelt words put right against the knowledge
   * base's own words ("pssword" to "password"), when vectors are loaded.
   */
  correct?(text: string): string;
}

/** Dense text embeddings (optional; transformers.js). */
export interface Embedder {
  readonly dimensions: number;
  embed(texts: string[]): Promise<Float32Array[]>;
}

/** The tokens Google gave for an authorization code. */
export interface GrantedTokens {
  accessToken: string | null;
  /** Null when Google sent none (it sends one only at the first consent). */
  refreshToken: string | null;
  /** Access-token expiry, epoch ms, or null when unknown. */
  expiryDate: number | null;
  /** The granted scopes, space-separated, or null when Google did not say. */
  scope: string | null;
  /**
   * The scopes the agent asked for that Google did not grant (the person
   * unticked them on the consent screen); empty when all were granted or
   * Google did not list the granted scopes.
   */
  missingScopes: string[];
}

/**
 * Google's OAuth as connecting and disconnecting a mailbox use it (consent
 * with state and PKCE, code exchange, userinfo, revoke). Adapter:
 * `pipeline/gmail/google_oauth.ts`.
 */
export interface GoogleOAuth {
  /** The consent page's origin (the sign-in form posts there). */
  readonly consentOrigin: string;
  /**
   * The consent page's URL for a new connection (offline access, every
   * scope the agent needs, PKCE S256) and the PKCE verifier to keep until
   * the callback. Throws `AppError` `invalid_input` when no OAuth client is
   * configured.
   */
  consentUrl(
    input: { state: string; loginHint: string | null },
  ): Promise<{ url: string; verifier: string }>;
  /** Trades an authorization code for tokens. Throws when Google refuses it or cannot be reached. */
  exchangeCode(code: string, verifier: string): Promise<GrantedTokens>;
  /** The verified address the access token belongs to, or null when Google does not say. */
  userEmail(accessToken: string): Promise<string | null>;
  /** Revokes the account's refresh token at Google; true when Google confirmed. Never throws. */
  revoke(account: Account, refreshToken: string): Promise<boolean>;
}
