/**
 * The port of saved replies (canned responses): texts a support person
 * keeps per mailbox and inserts into a reply from the review page.
 * Re-exported by `ports.ts`.
 * @module
 */

/** One saved reply of a mailbox. */
export interface SavedReply {
  /** Stable id (a random UUID). */
  id: string;
  /** The mailbox (account) it belongs to. */
  accountId: string;
  /** Short name shown in the picker; unique per mailbox, case-blind. */
  title: string;
  /** The text put in the reply box (placeholders filled when inserted). */
  body: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A refused change of a saved reply. */
export type SavedReplyRefusal = "duplicate_title" | "not_found";

/** The outcome of a change. */
export type SavedReplyResult =
  | { ok: true; reply: SavedReply }
  | { ok: false; reason: SavedReplyRefusal };

/** Saved replies per mailbox. */
export interface SavedReplyStore {
  /** The mailbox's saved replies, by title (case-blind), then id. */
  list(accountId: string): Promise<SavedReply[]>;
  get(id: string): Promise<SavedReply | null>;
  /**
   * Adds one; refused with `duplicate_title` when the mailbox has one with
   * the same title (case-blind).
   */
  create(
    input: { accountId: string; title: string; body: string },
    now: Date,
  ): Promise<SavedReplyResult>;
  /**
   * Replaces its title and body; refused with `not_found` or
   * `duplicate_title` (another of the mailbox has the title).
   */
  update(
    id: string,
    patch: { title: string; body: string },
    now: Date,
  ): Promise<SavedReplyResult>;
  /** Deletes it; false when there was none. */
  delete(id: string): Promise<boolean>;
}
