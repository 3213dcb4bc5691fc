/**
 * Raw RFC 822 bytes to a `ParsedEmail` with postal-mime: RFC 2047 headers,
 * any charset, quoted-printable/base64, HTML-only mail converted to text,
 * attachments noted (never processed), header names lower-cased.
 * @module
 */
import PostalMime, {
  type Address as PmAddress,
  type Attachment,
} from "postal-mime";
import { convert } from "html-to-text";
import { cleanBody } from "./clean_body.ts";
import type { Address, AttachmentInfo, ParsedEmail } from "../types.ts";

/** Gmail metadata that the raw message does not carry. */
export interface EmailMeta {
  id: string;
  threadId: string;
  labelIds: string[];
}

/** Options of `parseEmail`. */
export interface ParseOptions {
  /** Longest body handed to the AI, in characters. Default 8,000. */
  maxCleanChars?: number;
}

/** Parses one raw message. Never throws on malformed mail: it does its best. */
export async function parseEmail(
  raw: Uint8Array,
  meta: EmailMeta,
  opts: ParseOptions = {},
): Promise<ParsedEmail> {
  const mail = await PostalMime.parse(raw, { attachmentEncoding: "base64" });
  const headers: Record<string, string> = {};
  const authenticationResults: string[] = [];
  for (const h of mail.headers) {
    const key = h.key.toLowerCase();
    headers[key] = key in headers ? `${headers[key]}, ${h.value}` : h.value;
    if (key === "authentication-results") authenticationResults.push(h.value);
  }
  const text = bodyText(mail.text, mail.html);
  const clean = cleanBody(text, { maxChars: opts.maxCleanChars });
  return {
    id: meta.id,
    threadId: meta.threadId,
    messageId: normaliseId(mail.messageId),
    inReplyTo: normaliseId(mail.inReplyTo),
    references: splitIds(mail.references),
    from: firstMailbox(mail.from ? [mail.from] : []),
    replyTo: firstMailbox(mail.replyTo ?? []),
    to: mailboxes(mail.to ?? []),
    subject: (mail.subject ?? "").replace(/\s+/g, " ").trim(),
    date: parseDate(mail.date),
    headers,
    authenticationResults,
    text,
    cleanText: clean.text,
    truncated: clean.truncated,
    attachments: mail.attachments.map(attachmentInfo),
    labelIds: [...meta.labelIds],
  };
}

/** The text part, else the HTML part converted to text, else "". */
function bodyText(text: string | undefined, html: string | undefined): string {
  if (text !== undefined && text.trim() !== "") return normaliseNewlines(text);
  if (html !== undefined && html.trim() !== "") {
    const converted: string = convert(html, {
      wordwrap: false,
      selectors: [
        { selector: "a", options: { ignoreHref: true } },
        { selector: "img", format: "skip" },
      ],
    });
    return normaliseNewlines(converted);
  }
  return "";
}

function normaliseNewlines(s: string): string {
  return s.replace(/\r\n?/g, "\n");
}

/** `<id@host>` with angle brackets, or null. */
function normaliseId(v: string | undefined): string | null {
  if (!v) return null;
  const first = splitIds(v)[0];
  return first ?? null;
}

/** The Message-IDs of a References-like header, in order. */
export function splitIds(v: string | undefined | null): string[] {
  if (!v) return [];
  const bracketed = v.match(/<[^<>\s]+>/g);
  if (bracketed) return bracketed;
  return v.split(/[\s,]+/).filter((s) => s.includes("@")).map((s) => `<${s}>`);
}

function mailboxes(list: PmAddress[]): Address[] {
  const out: Address[] = [];
  for (const a of list) {
    if (a.group) {
      for (const m of a.group) out.push(toAddress(m));
    } else if (a.address) out.push(toAddress(a));
  }
  return out.filter((a) => a.address !== "");
}

function firstMailbox(list: PmAddress[]): Address | null {
  return mailboxes(list)[0] ?? null;
}

function toAddress(m: { name: string; address?: string }): Address {
  return { name: m.name ?? "", address: (m.address ?? "").trim() };
}

function parseDate(v: string | undefined): Date | null {
  if (!v) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

function attachmentInfo(a: Attachment): AttachmentInfo {
  const c = a.content;
  const size = typeof c === "string"
    ? Math.floor(c.replace(/=+$/, "").length * 3 / 4)
    : c.byteLength;
  return { filename: a.filename, mimeType: a.mimeType, size };
}
