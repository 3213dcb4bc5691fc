/**
 * Folds long header lines of a composed message (RFC 5322 §2.2.3): a line
 * should be at most 78 characters and must be at most 998. A field is
 * folded before existing white space (lossless: unfolding restores it).
 * When a word is too long for that, an unstructured field (Subject) is
 * re-encoded as a run of RFC 2047 UTF-8 encoded-words, one per line, which
 * decode back to exactly the same text.
 * @module
 */

const SOFT = 78;
const HARD = 998;
const latin1 = new TextDecoder("latin1");
const utf8 = new TextEncoder();

/** Fields whose value is plain text, so it may be carried in encoded-words. */
const UNSTRUCTURED = new Set(["subject", "comments"]);

function foldAtSpaces(field: string): string[] {
  const lines: string[] = [];
  let rest = field;
  while (rest.length > SOFT) {
    // The last white space that keeps the line within SOFT, else the first.
    let cut = rest.lastIndexOf(" ", SOFT);
    if (cut <= 0) cut = rest.indexOf(" ", 1);
    if (cut <= 0) break;
    lines.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  lines.push(rest);
  return lines;
}

/** A header value as UTF-8 `B` encoded-words of at most 75 characters. */
export function encodedWords(value: string): string[] {
  const words: string[] = [];
  let chunk = "";
  const flush = () => {
    if (chunk === "") return;
    const bytes = utf8.encode(chunk);
    words.push(`=?UTF-8?B?${btoa(String.fromCharCode(...bytes))}?=`);
    chunk = "";
  };
  for (const ch of value) {
    // 45 bytes → 60 base64 characters + 12 of framing = 72.
    if (utf8.encode(chunk + ch).length > 45) flush();
    chunk += ch;
  }
  flush();
  return words;
}

function foldField(field: string): string {
  const lines = foldAtSpaces(field);
  if (lines.every((l) => l.length <= SOFT)) return lines.join("\r\n");
  const colon = field.indexOf(":");
  const name = field.slice(0, colon);
  if (UNSTRUCTURED.has(name.toLowerCase())) {
    // Bytes were read as latin1; the value is UTF-8 text.
    const raw = Uint8Array.from(
      field.slice(colon + 1).trim(),
      (c) => c.charCodeAt(0),
    );
    const value = new TextDecoder().decode(raw);
    return [`${name}:`, ...encodedWords(value)].join("\r\n ");
  }
  if (lines.every((l) => l.length <= HARD)) return lines.join("\r\n");
  throw new RangeError(
    `Cannot fold the ${name} header as a word in it is longer than ${HARD} characters`,
  );
}

/** `raw` with every header line over 78 characters folded. */
export function foldLongHeaders(raw: Uint8Array): Uint8Array {
  const text = latin1.decode(raw);
  const end = text.indexOf("\r\n\r\n");
  const headEnd = end < 0 ? text.length : end;
  const head = text.slice(0, headEnd);
  if (head.split("\r\n").every((l) => l.length <= SOFT)) return raw;
  const fields = head.split(/\r\n(?![ \t])/);
  const folded = fields.map((f) =>
    f.split("\r\n").every((l) => l.length <= SOFT)
      ? f
      : foldField(f.replace(/\r\n(?=[ \t])/g, ""))
  );
  const out = folded.join("\r\n") + text.slice(headEnd);
  return Uint8Array.from(out, (c) => c.charCodeAt(0));
}
