/**
 * Gmail's `Authentication-Results` stamp on delivered mail: Gmail's MX adds
 * one header on top of every inbound message with its DKIM, SPF and DMARC
 * verdicts for the From domain. The emulator writes the same header, with
 * the outcome chosen per message (`auth` on `POST /__emu/messages`).
 * @module
 */

/** The outcomes a test can choose; "missing" adds no header at all. */
export const AUTH_OUTCOMES = ["pass", "fail", "none", "missing"] as const;

/** One of `AUTH_OUTCOMES`. */
export type AuthOutcome = typeof AUTH_OUTCOMES[number];

const enc = new TextEncoder();
const latin1 = new TextDecoder("latin1");

/** The From address of a raw message's header block ("" when none). */
export function rawFromAddress(raw: Uint8Array): string {
  const text = latin1.decode(raw.subarray(0, Math.min(raw.length, 65536)));
  const end = text.search(/\r?\n\r?\n/);
  const head = (end < 0 ? text : text.slice(0, end)).replace(
    /\r?\n[ \t]+/g,
    " ",
  );
  const from = head.match(/^from:(.*)$/im)?.[1] ?? "";
  const angle = from.match(/<([^<>\s]+@[^<>\s]+)>/);
  const bare = from.match(/[^\s<>"(),:;]+@[^\s<>"(),:;]+/);
  return (angle?.[1] ?? bare?.[0] ?? "").toLowerCase();
}

/** The header Gmail would add for `outcome` ("" for "missing"). */
export function authResultsHeader(from: string, outcome: AuthOutcome): string {
  if (outcome === "missing") return "";
  const domain = from.slice(from.lastIndexOf("@") + 1) || "unknown.invalid";
  const mailFrom = from || `bounce@${domain}`;
  const lines = outcome === "pass"
    ? [
      `dkim=pass header.i=@${domain} header.s=emu header.b=emulated`,
      `spf=pass (google.com: domain of ${mailFrom} designates 192.0.2.10 as permitted sender) smtp.mailfrom=${mailFrom}`,
      `dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=${domain}`,
    ]
    : outcome === "fail"
    ? [
      `dkim=fail header.i=@${domain} header.s=emu header.b=emulated`,
      `spf=fail (google.com: domain of ${mailFrom} does not designate 192.0.2.66 as permitted sender) smtp.mailfrom=${mailFrom}`,
      `dmarc=fail (p=REJECT sp=REJECT dis=NONE) header.from=${domain}`,
    ]
    : [
      `spf=none (google.com: ${mailFrom} does not designate permitted sender hosts) smtp.mailfrom=${mailFrom}`,
    ];
  return `Authentication-Results: mx.google.com;\r\n       ${
    lines.join(";\r\n       ")
  }\r\n`;
}

/** `raw` with Gmail's Authentication-Results header put on top. */
export function stampAuthResults(
  raw: Uint8Array,
  outcome: AuthOutcome,
): Uint8Array {
  const header = authResultsHeader(rawFromAddress(raw), outcome);
  if (header === "") return raw;
  const prefix = enc.encode(header);
  const out = new Uint8Array(prefix.length + raw.length);
  out.set(prefix);
  out.set(raw, prefix.length);
  return out;
}
