/**
 * Threaded replies built with nodemailer's MailComposer: In-Reply-To and
 * References chained, the customer's subject kept (reply_subject.ts), long
 * header lines folded (fold_headers.ts), To the Reply-To else the From (or
 * always the From when the caller asks: refund replies, and a person's reply
 * unless they chose the Reply-To), and a Message-ID derived from the account and the original message so a
 * retry can find an earlier send (`rfc822msgid:`).
 * @module
 */
import { createHash } from "node:crypto";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import { buildMime } from "./build_mime.ts";
import { foldLongHeaders } from "./fold_headers.ts";
import { replySubject } from "./reply_subject.ts";
import type { ParsedEmail } from "../types.ts";

export { replySubject } from "./reply_subject.ts";

/** Input of `composeReply`. */
export interface ReplyInput {
  account: { id: string; email: string };
  /** The email being answered. */
  original: ParsedEmail;
  /** The reply text (plain). */
  text: string;
  /** The Date header. */
  now: Date;
  /**
   * Adds `Auto-Submitted: auto-replied` (RFC 3834) so other robots do not
   * answer back. True for automatic sends, false for drafts a person sends.
   */
  autoSubmitted: boolean;
  /**
   * Who gets the reply: "reply_to" (default: the Reply-To, else the From) or
   * "from" (always the From: refund replies go to the address that owns the
   * order, never to a Reply-To that could belong to someone else).
   */
  recipient?: "reply_to" | "from";
  /**
   * The Message-ID; default `replyMessageId` of the account and the
   * original (the agent's). A person's message passes its own.
   */
  messageId?: string;
}

/** A composed reply. */
export interface ComposedReply {
  raw: Uint8Array;
  messageId: string;
  threadId: string;
  to: string;
  subject: string;
}

/**
 * The reply's Message-ID: `<agent-<32 hex of sha256(account:gmailId)>@domain>`.
 * The worker records it before sending. Hashed in place (`node:crypto`):
 * `crypto.subtle.digest` cost each email a trip to a worker thread, 4% of
 * the worker's time in the end-to-end benchmark's profile.
 */
export function replyMessageId(
  accountId: string,
  gmailId: string,
  domain: string,
): Promise<string> {
  const hex = createHash("sha256").update(`${accountId}:${gmailId}`, "utf8")
    .digest("hex").slice(0, 32);
  return Promise.resolve(`<agent-${hex}@${domain.toLowerCase()}>`);
}

/** True when `messageId` looks like one of the agent's replies. */
export function isAgentMessageId(messageId: string | null): boolean {
  return messageId !== null && /^<agent-[0-9a-f]{32}@[^>]+>$/i.test(messageId);
}

/** The domain part of an address (`support@shop.example` → `shop.example`). */
export function domainOf(address: string): string {
  const at = address.lastIndexOf("@");
  return at >= 0 && at < address.length - 1
    ? address.slice(at + 1).toLowerCase()
    : "localhost";
}

/** Builds the raw RFC 822 reply to `original`. */
export async function composeReply(input: ReplyInput): Promise<ComposedReply> {
  const { account, original } = input;
  const recipient = input.recipient === "from"
    ? original.from
    : original.replyTo ?? original.from;
  if (recipient === null || recipient.address === "") {
    throw new TypeError(
      `Cannot compose a reply as the original message has no sender: gmail id ${original.id}`,
    );
  }
  const messageId = input.messageId ?? await replyMessageId(
    account.id,
    original.id,
    domainOf(account.email),
  );
  const references = [...original.references];
  if (original.messageId && !references.includes(original.messageId)) {
    references.push(original.messageId);
  }
  const subject = replySubject(original.subject);
  const headers: Record<string, string> = input.autoSubmitted
    ? { "Auto-Submitted": "auto-replied" }
    : {};
  const composer = new MailComposer({
    from: account.email,
    to: recipient.name
      ? { name: recipient.name, address: recipient.address }
      : recipient.address,
    subject,
    text: input.text,
    textEncoding: "quoted-printable",
    messageId,
    date: input.now,
    inReplyTo: original.messageId ?? undefined,
    references: references.length > 0 ? references : undefined,
    headers,
  });
  const built = await buildMime(composer.compile());
  return {
    raw: foldLongHeaders(built),
    messageId,
    threadId: original.threadId,
    to: recipient.address,
    subject,
  };
}
