/**
 * Domain types shared by every part of the agent. Pure data: no I/O here.
 * @module
 */

/** What an email is about. */
export type Category = "Question" | "Refund" | "Other";
/** The categories, in a fixed order. */
export const CATEGORIES: readonly Category[] = ["Question", "Refund", "Other"];

/** What the worker does with an email. */
export type Action = "reply" | "draft" | "review" | "ignore";

/** The outcome of `decide()`: the Decision JSON (docs/cli.md, "Command line"). */
export interface Decision {
  category: Category;
  /** Calibrated confidence in [0, 1]. */
  confidence: number;
  action: Action;
  /** The reply text, or null when nothing is sent. */
  reply: string | null;
  /** Knowledge-base section ids (`path#slug`) the reply is grounded on. */
  sources: string[];
  order_id: string | null;
  /** 1..5 for review items, otherwise null. */
  importance: number | null;
  /** Short machine-readable reason, e.g. `answered`, `no_kb_match`. */
  reason: string;
  /** Why the importance is what it is (stored with the score). */
  importance_reasons?: string[];
  /**
   * For a person, when an email's asks were only partly answered from the
   * knowledge base: a draft answering those that were (never sent as is).
   */
  suggested_reply?: string;
  /**
   * For a review decision with `ACK_ENABLED`: the acknowledgement sent to
   * the customer (the thread's first), counted like an automatic reply.
   */
  acknowledgement?: string;
}

/** An address as parsed from a header. */
export interface Address {
  address: string;
  name: string;
}

/** An attachment: noted, never processed. */
export interface AttachmentInfo {
  filename: string | null;
  mimeType: string;
  size: number;
}

/** A parsed inbound email, as the pipeline sees it. */
export interface ParsedEmail {
  /** Gmail message id (or a local id for `simulate`). */
  id: string;
  /** Gmail thread id. */
  threadId: string;
  /** RFC 822 Message-ID header, with angle brackets, or null. */
  messageId: string | null;
  inReplyTo: string | null;
  /** Message-IDs of the References header, in order. */
  references: string[];
  from: Address | null;
  replyTo: Address | null;
  to: Address[];
  /** Decoded subject (RFC 2047 decoded). */
  subject: string;
  date: Date | null;
  /** Header names lower-cased; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /**
   * Every Authentication-Results header, topmost first: the receiving
   * server (Gmail's MX) adds its own on top. Absent or empty: none.
   */
  authenticationResults?: string[];
  /** The whole text body (HTML converted to text when there is no text part). */
  text: string;
  /** The new part of the body: quotes and signature stripped, cut for the AI. */
  cleanText: string;
  /** True when the body was cut for the AI. */
  truncated: boolean;
  attachments: AttachmentInfo[];
  /** Gmail label ids, when known. */
  labelIds: string[];
}

/** Connection state of a mailbox. */
export type AccountStatus = "active" | "needs_reconnect" | "paused";
/** Per-account reply mode; null means "use REPLY_MODE". */
export type ReplyMode = "auto" | "draft";

/** A connected mailbox, without secrets. */
export interface Account {
  /** Stable id (a random UUID). */
  id: string;
  email: string;
  status: AccountStatus;
  statusReason: string | null;
  replyMode: ReplyMode | null;
  /** True for the built-in sandbox mailbox. */
  sandbox: boolean;
  createdAt: Date;
  lastSyncAt: Date | null;
  lastError: string | null;
}

/** OAuth tokens of an account: only ever stored encrypted. */
export interface Tokens {
  accessToken: string | null;
  refreshToken: string;
  /** Access-token expiry, epoch ms, or null when unknown. */
  expiryDate: number | null;
  scope?: string;
}

/** State of one message in the ledger. */
export type LedgerState = "claimed" | "decided" | "sent" | "done";

/** One processed (or in-progress) message: the ledger and the activity log. */
export interface LedgerEntry {
  accountId: string;
  gmailId: string;
  threadId: string;
  state: LedgerState;
  /** Who holds the claim (worker id) and until when. */
  claimedBy: string | null;
  claimedAt: Date;
  /** After a released claim: not claimed again before this time (back-off). */
  retryAt?: Date | null;
  /** Failed attempts so far (`LedgerStore.release` with `failed`); the back-off grows with them. */
  retries?: number;
  decision: Decision | null;
  /** Effects planned with the decision (see `Effect`). */
  effects: Effect[];
  /** Message-ID of our reply, recorded before sending. */
  replyMessageId: string | null;
  /** Masked or hashed sender, never a body. */
  sender: string | null;
  /** Lower-cased sender address, used for per-sender limits. */
  senderAddress: string | null;
  /**
   * Where the reply (or acknowledgement) went, lower-cased, for the
   * per-recipient limit; null or absent when nothing was sent.
   */
  recipientAddress?: string | null;
  subject: string | null;
  error: string | null;
  updatedAt: Date;
}

/** Review queue item status. */
export type ReviewStatus = "pending" | "in_progress" | "resolved";

/** An email waiting for a person. */
export interface ReviewItem {
  id: string;
  accountId: string;
  gmailId: string;
  threadId: string;
  sender: string;
  subject: string;
  /** Short excerpt shown in the dashboard (as text). */
  excerpt: string;
  category: Category;
  importance: number;
  importanceReasons: string[];
  reason: string;
  status: ReviewStatus;
  assignee: string | null;
  note: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Refund case states. */
export type RefundState =
  | "awaiting_order_id"
  | "requested"
  | "rejected_not_found"
  | "rejected_not_owner"
  | "rejected_policy"
  | "escalated"
  /** A person approved it and marked it refunded (with the amount). */
  | "refunded"
  /** A person rejected it (with a reason sent to the customer). */
  | "rejected_by_person";

/** One transition in a refund case history. */
export interface RefundEvent {
  at: Date;
  from: RefundState | null;
  to: RefundState;
  gmailId: string;
  orderId: string | null;
  note: string;
  /** Who made the change: a signed-in person; absent for the agent. */
  actor?: string;
  /** The amount refunded (a person's approval). */
  amount?: number;
}

/** A refund conversation, one per account + thread. */
export interface RefundCase {
  accountId: string;
  threadId: string;
  state: RefundState;
  customerEmail: string;
  orderIds: string[];
  history: RefundEvent[];
  createdAt: Date;
  updatedAt: Date;
  /** Optimistic-concurrency version, incremented by each save. */
  version: number;
}

/** A logged invalid refund attempt. */
export interface InvalidRefundAttempt {
  accountId: string;
  threadId: string;
  /** The message that made the attempt; (accountId, gmailId) is unique. */
  gmailId: string;
  sender: string;
  orderId: string | null;
  reason:
    | "order_not_found"
    | "not_owner"
    | "missing_order_id"
    /** The From address was not authenticated (sender_auth.ts). */
    | "unverified_sender";
  excerpt: string;
  at: Date;
}

/** Order status values used by the sample data; any string is accepted. */
export type OrderStatus = string;

/** A shop order. */
export interface Order {
  orderId: string;
  customerEmail: string;
  /** ISO date (YYYY-MM-DD) or timestamp. */
  orderDate: Date;
  /** Amount in the shop currency, e.g. 49.99. */
  amount: number;
  status: OrderStatus;
  refundRequestedAt: Date | null;
}

/** An audit event: who did what to which object. */
export interface AuditEvent {
  at: Date;
  actor: string;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
}

/**
 * A state change that a Decision asks for. `decide()` only plans them; the
 * worker applies them (idempotently) after recording the decision, and
 * `simulate` only prints them.
 */
export type Effect =
  | {
    type: "save_refund_case";
    refundCase: RefundCase;
    expectedVersion: number;
  }
  | { type: "mark_refund_requested"; orderId: string }
  | { type: "log_invalid_attempt"; attempt: InvalidRefundAttempt }
  | {
    type: "enqueue_review";
    item: Omit<
      ReviewItem,
      "id" | "createdAt" | "updatedAt" | "status" | "assignee" | "note"
    >;
  }
  | { type: "resolve_thread_reviews"; accountId: string; threadId: string }
  /** Copies a person's takeover to a thread (one the customer renamed). */
  | { type: "mark_taken_over"; accountId: string; threadId: string };

/** A decision plus the effects that carry it out. */
export interface Plan {
  decision: Decision;
  effects: Effect[];
}
