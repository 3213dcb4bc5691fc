/**
 * Gmail search (`q`) for the subset the agent uses: `in:`, `label:`, `is:`,
 * `from:` (incl. `me`), `to:`, `subject:`, `rfc822msgid:`, `newer_than:`,
 * `older_than:`, `after:`, `before:`, `has:attachment`, free words, quoted
 * values, `-` negation, all ANDed. `OR`, braces and parentheses are not
 * supported; unknown operators are ignored (they match everything).
 * @module
 */
import { findLabelForSearch } from "./labels.ts";
import { headerValue } from "./mime.ts";
import type { Mailbox, StoredMessage } from "./mailbox.ts";

/** One parsed search term. */
export interface QueryTerm {
  negate: boolean;
  /** Lower-cased operator, or "" for a free word. */
  op: string;
  value: string;
}

/** Splits a query into terms, honouring double quotes. */
export function parseQuery(q: string): QueryTerm[] {
  const terms: QueryTerm[] = [];
  const re = /(-?)(?:([A-Za-z_0-9]+):)?("([^"]*)"|[^\s"]+)/g;
  for (const m of q.matchAll(re)) {
    const value = m[4] ?? m[3] ?? "";
    if (!m[2] && (value === "OR" || value === "AND")) continue;
    terms.push({
      negate: m[1] === "-",
      op: (m[2] ?? "").toLowerCase(),
      value: value.replace(/^[({]+|[)}]+$/g, ""),
    });
  }
  return terms;
}

/** Whether the query names spam/trash itself (so they are not excluded). */
export function mentionsSpamOrTrash(terms: QueryTerm[]): boolean {
  return terms.some((t) =>
    !t.negate && t.op === "in" &&
    ["spam", "trash", "anywhere"].includes(t.value.toLowerCase())
  );
}

const UNIT_MS: Record<string, number> = {
  h: 3600_000,
  d: 86_400_000,
  m: 30 * 86_400_000,
  y: 365 * 86_400_000,
};

function durationMs(v: string): number | null {
  const m = /^(\d+)([hdmy])$/i.exec(v.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]!.toLowerCase()]! : null;
}

function dateMs(v: string): number | null {
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(v);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null;
}

/** Label ids resolved once per query (name → id or null). */
type LabelCache = Map<string, string | null>;

function hasLabel(
  mb: Mailbox,
  msg: StoredMessage,
  name: string,
  cache: LabelCache,
): boolean {
  let id = cache.get(name);
  if (id === undefined) {
    id = findLabelForSearch(mb.labels, name)?.id ?? null;
    cache.set(name, id);
  }
  return id !== null && msg.labelIds.includes(id);
}

function addressMatch(
  mb: Mailbox,
  header: string,
  list: string[],
  value: string,
): boolean {
  const v = value.toLowerCase();
  if (v === "me") return list.includes(mb.email);
  return header.toLowerCase().includes(v) || list.some((a) => a.includes(v));
}

function stripBrackets(id: string): string {
  return id.trim().replace(/^<|>$/g, "");
}

function termMatches(
  t: QueryTerm,
  mb: Mailbox,
  msg: StoredMessage,
  nowMs: number,
  cache: LabelCache,
): boolean | null {
  const v = t.value;
  switch (t.op) {
    case "in":
      if (v.toLowerCase() === "anywhere") return true;
      return hasLabel(
        mb,
        msg,
        v.toLowerCase() === "drafts" ? "DRAFT" : v,
        cache,
      );
    case "label":
      return hasLabel(mb, msg, v, cache);
    case "is":
      switch (v.toLowerCase()) {
        case "unread":
          return msg.labelIds.includes("UNREAD");
        case "read":
          return !msg.labelIds.includes("UNREAD");
        case "starred":
          return msg.labelIds.includes("STARRED");
        case "important":
          return msg.labelIds.includes("IMPORTANT");
        default:
          return null;
      }
    case "from":
      return addressMatch(
        mb,
        headerValue(msg.headers, "From") ?? "",
        msg.from,
        v,
      );
    case "to": {
      const h = ["To", "Cc", "Bcc"].map((n) =>
        headerValue(msg.headers, n) ?? ""
      )
        .join(",");
      return addressMatch(mb, h, msg.to, v);
    }
    case "subject":
      return msg.subject.toLowerCase().includes(v.toLowerCase());
    case "rfc822msgid":
      return msg.messageId !== null &&
        stripBrackets(msg.messageId) === stripBrackets(v);
    case "newer_than":
    case "older_than": {
      const d = durationMs(v);
      if (d === null) return null;
      const newer = msg.internalDate > nowMs - d;
      return t.op === "newer_than" ? newer : !newer;
    }
    case "after":
    case "before": {
      const at = dateMs(v);
      if (at === null) return null;
      return t.op === "after" ? msg.internalDate >= at : msg.internalDate < at;
    }
    case "has":
      return v.toLowerCase() === "attachment"
        ? msg.mime.parts.some(function any(p): boolean {
          return p.filename !== "" || p.parts.some(any);
        })
        : null;
    case "": {
      const hay = `${msg.subject}\n${
        headerValue(msg.headers, "From") ?? ""
      }\n${msg.text}`
        .toLowerCase();
      return hay.includes(v.toLowerCase());
    }
    default:
      return null; // unknown operator: ignored
  }
}

/**
 * A predicate for `terms` over one mailbox: true when a message matches
 * every term (AND; `-term` negates; unknown operators are ignored).
 */
export function compileQuery(
  terms: QueryTerm[],
  mb: Mailbox,
  nowMs: number,
): (msg: StoredMessage) => boolean {
  const cache: LabelCache = new Map();
  return (msg) =>
    terms.every((t) => {
      const hit = termMatches(t, mb, msg, nowMs, cache);
      return hit === null || hit !== t.negate;
    });
}
