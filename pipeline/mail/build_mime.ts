/**
 * The bytes of a message nodemailer composed (`MailComposer.compile()`),
 * built without streams when it is one text part (a reply): its header
 * block, then its text as nodemailer's quoted-printable encoder (or 7bit)
 * writes it, ending in a line break. Byte for byte what `build()` gives
 * (tests/unit/build_mime_test.ts), without its pipeline of stream stages:
 * composing a reply took about 350 µs of CPU, 140 µs this way. Anything
 * else (several parts, attachments, long texts, base64) goes through
 * `build()`.
 * @module
 */
import { Buffer } from "node:buffer";
import { encode as qpEncode, wrap as qpWrap } from "nodemailer/lib/qp/index.js";

/** The parts of nodemailer's MimeNode this reads (a compiled message). */
export interface ComposedNode {
  build(): Promise<Uint8Array>;
  buildHeaders(): string;
  getTransferEncoding(): string | false;
  childNodes: unknown[];
  multipart?: unknown;
  content?: unknown;
  contentType?: string;
  newline?: unknown;
  /** nodemailer's own, not typed: missing means "not known to be plain". */
  _raw?: unknown;
  _transforms?: unknown[];
  _processFuncs?: unknown[];
}

/** Texts up to this size are encoded in one go, as nodemailer's encoder does. */
const ONE_SLICE = 64 * 1024;

const isBlank = (c: number) => c === 0x20 || c === 0x09;

/** `text` as nodemailer's quoted-printable encoder writes it (76 a line). */
function quotedPrintable(bytes: Buffer): string {
  // The encoder holds back trailing blanks until it knows the text ends,
  // then encodes them after what it already wrapped.
  let end = bytes.length;
  while (end > 0 && isBlank(bytes[end - 1]!)) end--;
  const wrapped = qpWrap(qpEncode(bytes.subarray(0, end)), 76);
  if (end === bytes.length) return wrapped;
  const lastLF = wrapped.lastIndexOf("\n");
  return wrapped.slice(0, lastLF + 1) +
    qpWrap(wrapped.slice(lastLF + 1) + qpEncode(bytes.subarray(end)), 76);
}

/** The raw message of `node` (a compiled `MailComposer`). */
export async function buildMime(node: ComposedNode): Promise<Uint8Array> {
  const text = node.content;
  if (
    typeof text !== "string" || node.childNodes.length > 0 || node._raw ||
    node.newline || node._transforms?.length !== 0 ||
    node._processFuncs?.length !== 0
  ) return new Uint8Array(await node.build());
  // Sets the node's content type and transfer encoding, as `build()` does
  // first (setting them again gives the same headers).
  const headers = node.buildHeaders();
  const encoding = node.getTransferEncoding();
  const bytes = Buffer.from(text, "utf-8");
  if (
    node.multipart || !/^text\//i.test(node.contentType ?? "") ||
    (encoding !== "quoted-printable" && encoding !== "7bit") ||
    bytes.length > ONE_SLICE
  ) return new Uint8Array(await node.build());
  const out = headers + "\r\n\r\n" +
    (encoding === "7bit" ? text : quotedPrintable(bytes));
  // nodemailer ends every message with a line break.
  const last = out.charCodeAt(out.length - 1);
  const tail = last === 0x0a ? "" : last === 0x0d ? "\n" : "\r\n";
  return new Uint8Array(Buffer.from(out + tail, "utf-8"));
}
