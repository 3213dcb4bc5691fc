/**
 * The port of one email's records on the worker's path, in three round
 * trips: one read of everything the email needs (`snapshot`), one atomic
 * write of the claim with its decision (`begin`), one atomic write of the
 * outcome with its sent markers (`finish`). `peek` reads the ledger entries
 * of many listed messages at once, so handled mail is skipped before Gmail
 * is asked for it, and the agent's sent markers of the account's listed
 * sent mail. Re-exported by `ports.ts`; implemented on Deno KV and
 * Postgres (`db/kv/kv_emails.ts`, `db/postgres/pg_emails.ts`).
 * @module
 */
import type { Decision, Effect, LedgerEntry, RefundCase } from "./types.ts";

/**
 * What a claim of an entry would do: `new` (never claimed), `claimable`
 * (unfinished, free or takeable), `busy` (another live attempt holds it or
 * its back-off is not over), `done` (finished).
 */
export type ClaimStatus = "new" | "claimable" | "busy" | "done";

/** Who asks, for the claim rules (as `LedgerStore.claim` takes them). */
export interface ClaimerInput {
  /** The attempt that claims (one cycle's id). */
  workerId: string;
  now: Date;
  /** A claim older than this is taken over (without a lease). */
  staleAfterMs: number;
  /** The account lease the attempt holds (fencing), as in `claim`. */
  lease?: string;
}

/** One listed message as `peek` found it in the ledger. */
export interface PeekedEntry {
  entry: LedgerEntry;
  claim: ClaimStatus;
}

/** What to read ahead for listed messages. */
export interface PeekIds {
  /** Inbound messages: their ledger entries. */
  gmailIds: string[];
  /** The account's own sent messages: whether the agent sent them. */
  sentIds: string[];
}

/** What a read ahead found; each map has exactly the ids it read. */
export interface Peeked {
  /** Ledger entries (null: none). */
  entries: Map<string, PeekedEntry | null>;
  /** True when the agent's sent marker of the message is live. */
  agentSent: Map<string, boolean>;
}

/** The reads `decide()` needs about one email (see `load_context.ts`). */
export interface ContextReads {
  /** A person took the email's thread over. */
  takenOver: boolean;
  /** Auto replies to the cap's sender in the 24 h before `now`. */
  repliesToSenderLast24h: number;
  /** Auto replies to the most-mailed of the cap's recipients, 24 h. */
  repliesToRecipientLast24h: number;
  /** Messages from the sender (any action) in the 7 days before `now`. */
  fromSenderLast7d: number;
  /** Review items of the thread not resolved. */
  openReviewItems: number;
  /** The thread's refund case, or null. */
  refundCase: RefundCase | null;
  /**
   * The message whose acknowledgement the thread got, or null (also when
   * not asked: `SnapshotQuery.acknowledgement`).
   */
  threadAcknowledgedBy: string | null;
}

/** What `snapshot` reads. */
export interface SnapshotQuery extends ClaimerInput {
  accountId: string;
  gmailId: string;
  threadId: string;
  /** The reply cap's sender key (`replyCapKeys`), or null. */
  capSender: string | null;
  /** The reply cap's recipient keys. */
  capRecipients: string[];
  /** The lower-cased From address (repeat-sender count), or null. */
  sender: string | null;
  /** Read the thread's acknowledgement too (acknowledgements are on). */
  acknowledgement?: boolean;
  /**
   * Other listed messages the same read may bring along, as far as it has
   * room (Deno KV: the keys left of one `getMany`); see
   * `EmailSnapshot.peeked`.
   */
  alsoPeek?: PeekIds;
}

/** One read of an email's records (`snapshot`). */
export interface EmailSnapshot extends ContextReads {
  /** The ledger entry, or null. */
  entry: LedgerEntry | null;
  /** What a claim would do now. */
  claim: ClaimStatus;
  /** False when `lease` was asked and the attempt no longer holds it. */
  leaseHeld: boolean;
  /** The versions read (backend-specific): `begin` checks them. */
  readonly token: unknown;
  /** What this read found of `alsoPeek` (ids not in it were not read). */
  peeked?: Peeked;
}

/** A review item to add with a decision (its `enqueue_review` effect). */
export type NewReviewItem = Extract<Effect, { type: "enqueue_review" }>["item"];

/** What `begin` writes. */
export interface BeginInput extends ClaimerInput {
  /** The read the decision was made from. */
  snapshot: EmailSnapshot;
  accountId: string;
  gmailId: string;
  threadId: string;
  decision: Decision;
  /** The planned effects (stored so a retry re-applies the same ones). */
  effects: Effect[];
  replyMessageId: string | null;
  /** Masked sender. */
  sender: string | null;
  senderAddress: string | null;
  /** Where the reply goes (reply and draft decisions); else null. */
  recipientAddress: string | null;
  subject: string | null;
  /**
   * Added in the same write when the plan's only effect is this review
   * item (one per account + gmailId, as `ReviewStore.add`).
   */
  review: NewReviewItem | null;
}

/** How `begin` ended. */
export type BeginResult =
  /** Claimed and decided; `token` lets `finish` write without a read. */
  | { status: "claimed"; entry: LedgerEntry; token: unknown }
  /** Something read by `snapshot` changed: read again and decide again. */
  | { status: "changed" };

/** What `finish` writes. */
export interface FinishInput {
  accountId: string;
  gmailId: string;
  now: Date;
  /** The agent's Gmail messages this attempt made (sent or drafted). */
  agentSentIds: string[];
  /** `begin`'s token (a write without a read when nothing changed since). */
  token?: unknown;
}

/** Records of one email on the worker's path (see the module doc). */
export interface EmailRecordStore {
  /**
   * The ledger entries of `gmailIds`, with what a claim would do, and the
   * agent's sent markers of `sentIds` (`ThreadStateStore.sentBy` is
   * "agent" at `now`); one read per few ids (Deno KV: ten keys; Postgres:
   * all).
   */
  peek(input: ClaimerInput & PeekIds & { accountId: string }): Promise<Peeked>;
  /**
   * One read: the entry, whether the lease is held, and the email's
   * `ContextReads`.
   */
  snapshot(q: SnapshotQuery): Promise<EmailSnapshot>;
  /**
   * One atomic write: claims an entry that has no decision yet (fenced by
   * the lease, by the claim rules of `LedgerStore.claim`), records the
   * decision (state `decided`, the per-sender and per-recipient counts
   * included) and, when given, adds the review item. Nothing is written
   * and `changed` is returned when the entry, the lease or a count read by
   * the snapshot changed meanwhile, or a decision exists.
   */
  begin(input: BeginInput): Promise<BeginResult>;
  /**
   * One atomic write: the entry is done and each of `agentSentIds` is
   * recorded as sent by the agent (`ThreadStateStore.recordSent`).
   * Throws a RangeError when the entry does not exist.
   */
  finish(input: FinishInput): Promise<void>;
}
