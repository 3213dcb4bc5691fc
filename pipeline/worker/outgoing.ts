/**
 * What the worker sends for a decision: its reply (or draft), or, for a
 * review decision, its acknowledgement (acknowledge.ts). Both go through the
 * same exactly-once path: the Message-ID recorded before the send, a retry's
 * look for an earlier send, `markSent`.
 * @module
 */
import type { Decision } from "../types.ts";

/** A message the worker sends for a decision. */
export interface Outgoing {
  /** The text; null only for a broken reply decision (the worker refuses it). */
  text: string | null;
  /** Sent at once, or left as a Gmail draft. */
  mode: "reply" | "draft";
  /** The acknowledgement of a review decision (claimed per thread first). */
  acknowledgement: boolean;
}

/** The message to send for `d`, or null when nothing is sent. */
export function outgoingOf(d: Decision): Outgoing | null {
  if (d.action === "reply" || d.action === "draft") {
    return { text: d.reply, mode: d.action, acknowledgement: false };
  }
  if (d.action === "review" && typeof d.acknowledgement === "string") {
    return { text: d.acknowledgement, mode: "reply", acknowledgement: true };
  }
  return null;
}
