/**
 * A small RFC 822 / MIME reader: headers (unfolded, RFC 2047 decoded), the
 * part tree with decoded bodies, and base64url helpers. Enough to build
 * Gmail's `payload` and to answer search queries.
 * @module
 */

/** One header as Gmail shows it (`{name, value}`). */
export interface Header {
  name: string;
  value: string;
}

/** A MIME part with its decoded body bytes (multiparts have children). */
export interface MimePart {
  headers: Header[];
  /** Lower-cased, e.g. "text/plain". */
  mimeType: string;
  /** Content-Type parameters, keys lower-cased. */
  params: Record<string, string>;
  filename: string;
  body: Uint8Array;
  parts: MimePart[];
}

const latin1 = new TextDecoder("latin1");
const utf8 = new TextDecoder("utf-8");

/** Bytes → base64url with padding (as Gmail sends `raw` and `body.data`). */
export function toBase64Url(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin).replaceAll("+", "-").replaceAll("/", "_");
}

/** base64url or base64, padded or not → bytes. Throws TypeError when invalid. */
export function fromBase64Url(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, "").replaceAll("-", "+").replaceAll(
    "_",
    "/",
  );
  const padded = clean + "=".repeat((4 - (clean.length % 4)) % 4);
  const bin = atob(padded);
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}

function binaryToBytes(bin: string): Uint8Array {
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0) & 0xff);
}

function decodeCharset(bytes: Uint8Array, charset: string | undefined) {
  try {
    return new TextDecoder(charset || "utf-8").decode(bytes);
  } catch {
    return utf8.decode(bytes);
  }
}

/** Decodes RFC 2047 encoded words (`=?UTF-8?B?...?=`, `?Q?`). */
export function decodeEncodedWords(value: string): string {
  return value.replace(
    /=\?([^?]+)\?([bBqQ])\?([^?]*)\?=(\s+(?==\?))?/g,
    (_m, charset: string, enc: string, text: string) => {
      const bytes = enc.toUpperCase() === "B"
        ? fromBase64Url(text)
        : binaryToBytes(
          text.replaceAll("_", " ").replace(
            /=([0-9A-Fa-f]{2})/g,
            (_x, h: string) => String.fromCharCode(parseInt(h, 16)),
          ),
        );
      return decodeCharset(bytes, charset);
    },
  );
}

function parseHeaderBlock(block: string): Header[] {
  const headers: Header[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && headers.length > 0) {
      const last = headers[headers.length - 1]!;
      last.value += " " + line.trim();
      continue;
    }
    const i = line.indexOf(":");
    if (i <= 0) continue;
    headers.push({
      name: line.slice(0, i).trim(),
      value: line.slice(i + 1).trim(),
    });
  }
  // 8-bit header bytes are UTF-8 in practice; then decode encoded words.
  return headers.map((h) => ({
    name: h.name,
    value: decodeEncodedWords(utf8.decode(binaryToBytes(h.value))),
  }));
}

function parseParams(
  value: string,
): { main: string; params: Record<string, string> } {
  const [main = "", ...rest] = value.split(";");
  const params: Record<string, string> = {};
  for (const p of rest) {
    const i = p.indexOf("=");
    if (i < 0) continue;
    params[p.slice(0, i).trim().toLowerCase()] = p.slice(i + 1).trim().replace(
      /^"(.*)"$/,
      "$1",
    );
  }
  return { main: main.trim().toLowerCase(), params };
}

/** First header value with this name (case-insensitive), or undefined. */
export function headerValue(
  headers: Header[],
  name: string,
): string | undefined {
  const n = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === n)?.value;
}

function decodeBody(bin: string, encoding: string): Uint8Array {
  const enc = encoding.toLowerCase();
  if (enc === "base64") {
    try {
      return fromBase64Url(bin.replace(/[^A-Za-z0-9+/=_-]/g, ""));
    } catch {
      return binaryToBytes(bin);
    }
  }
  if (enc === "quoted-printable") {
    return binaryToBytes(
      bin.replace(/=\r?\n/g, "").replace(
        /=([0-9A-Fa-f]{2})/g,
        (_x, h: string) => String.fromCharCode(parseInt(h, 16)),
      ),
    );
  }
  return binaryToBytes(bin);
}

function parseEntity(
  bin: string,
  defaultType: string,
  depth: number,
): MimePart {
  const m = /\r?\n\r?\n/.exec(bin);
  const headerBlock = m ? bin.slice(0, m.index) : bin;
  const bodyBin = m ? bin.slice(m.index + m[0].length) : "";
  const headers = parseHeaderBlock(headerBlock);
  const ct = parseParams(headerValue(headers, "Content-Type") ?? defaultType);
  const disp = parseParams(headerValue(headers, "Content-Disposition") ?? "");
  const filename = disp.params["filename"] ?? ct.params["name"] ?? "";
  const part: MimePart = {
    headers,
    mimeType: ct.main || "text/plain",
    params: ct.params,
    filename: decodeEncodedWords(filename),
    body: new Uint8Array(),
    parts: [],
  };
  const boundary = ct.params["boundary"];
  if (part.mimeType.startsWith("multipart/") && boundary && depth < 20) {
    const childType = part.mimeType === "multipart/digest"
      ? "message/rfc822"
      : "text/plain";
    const chunks = bodyBin.split(new RegExp(`\\r?\\n?--${escapeRe(boundary)}`));
    for (const chunk of chunks.slice(1)) {
      if (chunk.startsWith("--")) break;
      part.parts.push(
        parseEntity(chunk.replace(/^[ \t]*\r?\n/, ""), childType, depth + 1),
      );
    }
    return part;
  }
  part.body = decodeBody(
    bodyBin,
    headerValue(headers, "Content-Transfer-Encoding") ?? "7bit",
  );
  return part;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Parses raw RFC 822 bytes into the MIME tree. Never throws. */
export function parseMime(raw: Uint8Array): MimePart {
  return parseEntity(latin1.decode(raw), "text/plain", 0);
}

/** Decoded text of a leaf part, using its charset. */
export function partText(part: MimePart): string {
  return decodeCharset(part.body, part.params["charset"]);
}

/** The message's readable text: first text/plain, else text/html stripped. */
export function bodyText(root: MimePart): string {
  const leaves: MimePart[] = [];
  const walk = (p: MimePart) => {
    if (p.parts.length > 0) p.parts.forEach(walk);
    else if (!p.filename) leaves.push(p);
  };
  walk(root);
  const plain = leaves.find((p) => p.mimeType === "text/plain");
  if (plain) return partText(plain);
  const html = leaves.find((p) => p.mimeType === "text/html");
  if (!html) return "";
  return partText(html).replace(/<(style|script)[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]+>/g, " ").replace(/&nbsp;/g, " ").replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">");
}

/** Bare addresses (lower-cased) found in an address header value. */
export function addresses(value: string | undefined): string[] {
  if (!value) return [];
  const found = value.match(/[^\s<>,;:"()]+@[^\s<>,;:"()]+/g) ?? [];
  return found.map((a) => a.toLowerCase());
}

/** Message-IDs (`<...>`) in a References / In-Reply-To value. */
export function messageIds(value: string | undefined): string[] {
  if (!value) return [];
  return value.match(/<[^<>\s]+>/g) ?? [];
}
