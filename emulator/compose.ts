/**
 * Builds a raw RFC 822 message from simple fields with nodemailer's
 * MailComposer (correct encodings, a Message-ID and a Date).
 * @module
 */
import MailComposer from "nodemailer/lib/mail-composer/index.js";

/** Fields of a message to compose. */
export interface ComposeInput {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Message-ID this one replies to (sets In-Reply-To and References). */
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
  messageId: string;
  date: Date;
}

/** The composed message as raw bytes. */
export async function composeRaw(input: ComposeInput): Promise<Uint8Array> {
  const refs = input.references ??
    (input.inReplyTo ? [input.inReplyTo] : undefined);
  const composer = new MailComposer({
    from: input.from,
    to: input.to,
    subject: input.subject,
    text: input.text,
    ...(input.html ? { html: input.html } : {}),
    ...(input.inReplyTo ? { inReplyTo: input.inReplyTo } : {}),
    ...(refs ? { references: refs } : {}),
    headers: input.headers ?? {},
    messageId: input.messageId,
    date: input.date,
  });
  const buf: Uint8Array = await composer.compile().build();
  return new Uint8Array(buf);
}
