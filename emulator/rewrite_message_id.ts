/**
 * A provider that does not keep the client's Message-ID: replaces the
 * Message-ID header of an outgoing message with a Gmail-style one
 * (`<CA…@mail.gmail.com>`), leaving every other header (In-Reply-To,
 * References, Subject) and the body untouched. Used by `messages.send`,
 * `drafts.create` and `drafts.update` (`mail_ops.ts`, every outgoing
 * message) when the `rewrite_message_ids` setting is on.
 * @module
 */
import { randomToken } from "./state.ts";

const latin1 = new TextDecoder("latin1");

/** A new Message-ID in the shape Gmail gives the mail it composes. */
export function gmailStyleMessageId(): string {
  // Gmail's own ids look like <CAKz0s=Yx2…@mail.gmail.com>: "CA", then
  // base64-ish text (URL-safe here, valid in a msg-id).
  return `<CA${randomToken(30)}@mail.gmail.com>`;
}

/** `raw` with its Message-ID header (folded lines included) replaced by `messageId`. */
export function rewriteMessageId(
  raw: Uint8Array,
  messageId: string,
): Uint8Array {
  const text = latin1.decode(raw);
  const end = text.search(/\r?\n\r?\n/);
  const headEnd = end < 0 ? text.length : end;
  const head = text.slice(0, headEnd);
  const nl = head.includes("\r\n") ? "\r\n" : "\n";
  const kept = head.split(/\r?\n(?![ \t])/).filter((h) =>
    !/^message-id:/i.test(h)
  );
  const out = [`Message-ID: ${messageId}`, ...kept].join(nl) +
    text.slice(headEnd);
  return Uint8Array.from(out, (c) => c.charCodeAt(0));
}
