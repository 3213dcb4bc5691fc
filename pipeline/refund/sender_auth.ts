/**
 * Is the From address really the sender's? Read from the
 * `Authentication-Results` header (RFC 8601) that Gmail's own MX adds on top
 * of every inbound message. Pure.
 *
 * Rules:
 * - only the topmost `Authentication-Results` counts, and only when its
 *   authserv-id is `mx.google.com`: a sender can write their own header
 *   lower in the block (or claim any authserv-id), and those are ignored;
 * - the From header must name exactly one address;
 * - `dmarc=pass` (with `header.from` equal to the From domain, when given)
 *   authenticates; `dmarc=fail` never does;
 * - otherwise a `dkim=pass` whose signing domain (`header.d`, else the
 *   domain of `header.i`) is aligned with the From domain, or an `spf=pass`
 *   whose `smtp.mailfrom` domain is aligned, authenticates. Aligned: the
 *   same domain, or the From domain is a subdomain of it (relaxed
 *   alignment, without a public-suffix list: a one-label domain like `com`
 *   never aligns);
 * - anything else (no header, `none`, `neutral`, `softfail`, `temperror`,
 *   `permerror`, an unaligned pass) does not.
 * @module
 */

/** The authserv-id of the header Gmail's MX adds. */
export const TRUSTED_AUTHSERV_ID = "mx.google.com";

/** One `method=result` of an Authentication-Results header. */
export interface AuthMethodResult {
  /** e.g. "dkim", "spf", "dmarc" (lower case, version dropped). */
  method: string;
  /** e.g. "pass", "fail", "none" (lower case). */
  result: string;
  /** `ptype.property` → value, e.g. `header.from` → `example.com`. */
  props: Record<string, string>;
}

/** A parsed Authentication-Results header. */
export interface AuthResults {
  authservId: string;
  results: AuthMethodResult[];
}

/** Why a sender is, or is not, authenticated. */
export type SenderAuth =
  | { ok: true; by: "dmarc" | "dkim" | "spf"; domain: string }
  | {
    ok: false;
    why:
      | "no_sender"
      | "ambiguous_from"
      | "missing"
      | "untrusted"
      | "dmarc_fail"
      | "not_aligned";
  };

/** What the check reads from a parsed email. */
export interface SenderAuthInput {
  /** The From address ("" or null when none). */
  fromAddress: string | null | undefined;
  /** True when the From header names more than one address. */
  fromAmbiguous: boolean;
  /** Every Authentication-Results header, topmost first. */
  authenticationResults: readonly string[];
}

/** Parses one Authentication-Results value; null when it has no authserv-id. */
export function parseAuthResults(value: string): AuthResults | null {
  const parts = stripComments(value).split(";").map((p) => p.trim());
  const head = parts.shift() ?? "";
  const authservId = (head.split(/\s+/)[0] ?? "").toLowerCase();
  if (authservId === "") return null;
  const results: AuthMethodResult[] = [];
  for (const part of parts) {
    const tokens = tokenize(part);
    const first = tokens.shift();
    const m = first?.match(/^([a-z0-9_-]+)(?:\/\d+)?=([a-z0-9_-]+)$/i);
    if (!m) continue;
    const props: Record<string, string> = {};
    for (const tok of tokens) {
      const kv = tok.match(/^([a-z0-9_-]+(?:\.[a-z0-9_-]+)?)=(.*)$/i);
      if (kv) props[kv[1]!.toLowerCase()] = unquote(kv[2]!);
    }
    results.push({
      method: m[1]!.toLowerCase(),
      result: m[2]!.toLowerCase(),
      props,
    });
  }
  return { authservId, results };
}

/** Decides whether the From address is authenticated (see the module doc). */
export function checkSenderAuth(input: SenderAuthInput): SenderAuth {
  const from = (input.fromAddress ?? "").trim().toLowerCase();
  const at = from.lastIndexOf("@");
  if (at <= 0 || at === from.length - 1) return { ok: false, why: "no_sender" };
  if (input.fromAmbiguous) return { ok: false, why: "ambiguous_from" };
  const top = input.authenticationResults[0];
  if (top === undefined) return { ok: false, why: "missing" };
  const parsed = parseAuthResults(top);
  if (parsed === null || parsed.authservId !== TRUSTED_AUTHSERV_ID) {
    return { ok: false, why: "untrusted" };
  }
  const domain = from.slice(at + 1);
  const of = (method: string) =>
    parsed.results.filter((r) => r.method === method);
  if (of("dmarc").some((r) => r.result === "fail")) {
    return { ok: false, why: "dmarc_fail" };
  }
  const dmarcPass = of("dmarc").some((r) =>
    r.result === "pass" &&
    (r.props["header.from"] === undefined ||
      r.props["header.from"].toLowerCase() === domain)
  );
  if (dmarcPass) return { ok: true, by: "dmarc", domain };
  const dkimPass = of("dkim").some((r) =>
    r.result === "pass" &&
    aligned(r.props["header.d"] ?? domainPart(r.props["header.i"]), domain)
  );
  if (dkimPass) return { ok: true, by: "dkim", domain };
  const spfPass = of("spf").some((r) =>
    r.result === "pass" &&
    aligned(domainPart(r.props["smtp.mailfrom"]), domain)
  );
  if (spfPass) return { ok: true, by: "spf", domain };
  return { ok: false, why: "not_aligned" };
}

/** True when `authDomain` is `fromDomain` or a parent of it (not a TLD). */
export function aligned(
  authDomain: string | undefined,
  fromDomain: string,
): boolean {
  const d = (authDomain ?? "").trim().toLowerCase().replace(/\.$/, "");
  if (!d.includes(".")) return false;
  return fromDomain === d || fromDomain.endsWith(`.${d}`);
}

/** The domain of `x@domain`, `@domain` or `domain`; undefined when empty. */
function domainPart(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const d = v.slice(v.lastIndexOf("@") + 1).trim();
  return d === "" ? undefined : d;
}

/** Removes RFC 5322 comments (nested parentheses), keeping quoted strings. */
function stripComments(s: string): string {
  let out = "";
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === "\\" && (quoted || depth > 0)) {
      if (depth === 0) out += ch + (s[i + 1] ?? "");
      i++;
      continue;
    }
    if (depth === 0 && ch === '"') quoted = !quoted;
    if (!quoted) {
      if (ch === "(") {
        depth++;
        continue;
      }
      if (ch === ")" && depth > 0) {
        depth--;
        out += " ";
        continue;
      }
    }
    if (depth === 0) out += ch;
  }
  return out;
}

/** Whitespace-separated tokens, a quoted string kept whole. */
function tokenize(s: string): string[] {
  return s.match(/(?:[^\s"]+|"(?:[^"\\]|\\.)*")+/g) ?? [];
}

function unquote(v: string): string {
  return v.startsWith('"') && v.endsWith('"') && v.length >= 2
    ? v.slice(1, -1).replace(/\\(.)/g, "$1")
    : v;
}
