/**
 * The daily cap on automatic replies, counted by the address a reply goes
 * to and by the sender, so no one can make the agent mail a third party in
 * bulk (five senders with the same Reply-To) or mail themselves past the
 * cap. Pure: the context loader reads the counts for these keys.
 * @module
 */
import {
  fromHeaderIsAmbiguous,
  normaliseAddress,
} from "../refund/ownership.ts";
import type { Address, Category, ParsedEmail } from "../types.ts";

/**
 * Where an automatic reply goes: refund replies to the From address (the
 * one that owns the order), every other reply to the Reply-To, else the
 * From. null when there is no address.
 */
export function replyRecipient(
  email: Pick<ParsedEmail, "from" | "replyTo">,
  category: Category,
): Address | null {
  const to = recipientKind(category) === "from"
    ? email.from
    : email.replyTo ?? email.from;
  return to && to.address.trim() !== "" ? to : null;
}

/** The normalised address of `replyRecipient` (recorded for the cap). */
export function replyRecipientKey(
  email: Pick<ParsedEmail, "from" | "replyTo">,
  category: Category,
): string | null {
  return normaliseAddress(replyRecipient(email, category)?.address) || null;
}

/** `composeReply`'s `recipient` for a reply in `category`. */
export function recipientKind(category: Category): "from" | "reply_to" {
  return category === "Refund" ? "from" : "reply_to";
}

/** The addresses an email's automatic reply is counted under. */
export interface ReplyCapKeys {
  /**
   * The sender (normalised From); null when the From header names more
   * than one address: it then counts against none of them.
   */
  sender: string | null;
  /** Every address the reply could go to (From and Reply-To), normalised. */
  recipients: string[];
}

/** The keys of `email` for the reply cap. */
export function replyCapKeys(
  email: Pick<ParsedEmail, "from" | "replyTo" | "headers">,
): ReplyCapKeys {
  if (fromHeaderIsAmbiguous(email.headers["from"])) {
    return { sender: null, recipients: [] };
  }
  const from = normaliseAddress(email.from?.address);
  const replyTo = normaliseAddress(email.replyTo?.address);
  const recipients = [...new Set([from, replyTo].filter((a) => a !== ""))];
  return { sender: from || null, recipients };
}

/** Automatic replies already sent in the window, per key. */
export interface ReplyCounts {
  /** To messages from the sender. */
  bySender: number;
  /** Addressed to the most-mailed of the possible recipients. */
  byRecipient: number;
}

/** True when one more automatic reply would exceed `max` a day. */
export function overReplyCap(counts: ReplyCounts, max: number): boolean {
  return Math.max(counts.bySender, counts.byRecipient) >= max;
}
