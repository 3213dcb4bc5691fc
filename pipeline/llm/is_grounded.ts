/**
 * `isGrounded(text, facts)`: may a model's rewrite of an answer be sent? Only
 * when each clause of it is backed by one clause of one fact sentence: the
 * same terms, numbers and quantities, every comparison, condition, exception,
 * modal word and negation kept with what it qualifies, and no claim of an
 * action or a status the fact does not make (see `claim_units.ts` and
 * docs/configuration.md, `LLM_BASE_URL`). Also short, no link the facts lack, no `CANNOT_ANSWER`.
 * Pure; the reasons name checks and sentence numbers, never text.
 * @module
 */
import {
  type ClaimUnit,
  type Clause,
  clausesOf,
  type Qualifier,
  type QualifierKind,
  rawWords,
  readClause,
} from "./claim_units.ts";
import { links, numbers, quantities } from "./quantities.ts";

/** Longest rewrite accepted, in characters. */
export const MAX_REWRITE_CHARS = 700;
/** Most sentences in a rewrite (more when it restates more fact sentences). */
export const MAX_REWRITE_SENTENCES = 4;

/** Options of `checkGrounding`. */
export interface GroundingOptions {
  /** Extra words allowed anywhere (the customer's name). Default none. */
  allowedWords?: string[];
}

/** The verdict, with the first failed check (`code (sentence n)`). */
export type GroundingResult = { ok: true } | { ok: false; reason: string };

const CANNOT_ANSWER = /CANNOT[_\s-]?ANSWER/i;
const MARKUP = /<\/?[a-z][^>]*>|\]\(|^\s*[-*#>]\s/im;
const GREETING_OR_SIGNOFF =
  /^(hi|hello|hey|dear|greetings)\b|\b(kind regards|best regards|regards|sincerely|best wishes|yours truly)\b/i;

/** Sentences of a text (split after . ! ? and at line breaks). */
export function sentencesOf(text: string): string[] {
  return text.split(/\n+/).flatMap((line) =>
    line.split(/(?<=[.!?])\s+(?=["'(]?[\p{Lu}\d])/u)
  ).map((s) => s.trim()).filter((s) => /[\p{L}\d]/u.test(s));
}

/** True when a fact term supports `t`: equal, or one a long prefix of the other. */
function supports(factTerms: Set<string>, t: string): boolean {
  if (factTerms.has(t)) return true;
  if (t.length < 5) return false;
  for (const f of factTerms) {
    if (f.length >= 5 && (f.startsWith(t) || t.startsWith(f))) return true;
  }
  return false;
}

function overlaps(a: Set<string>, b: Set<string>): boolean {
  if (a.size === 0 || b.size === 0) return true;
  for (const t of a) if (supports(b, t)) return true;
  return false;
}

/** Kinds a rewrite's qualifier may be backed by. */
const BACKED_BY: Partial<Record<QualifierKind, QualifierKind[]>> = {
  gt: ["gt"],
  lt: ["lt"],
  min: ["min"],
  after: ["after"],
  before: ["before"],
  within: ["within"],
  only: ["only"],
  except: ["except"],
  may: ["may", "can"],
  can: ["can", "may"],
  must: ["must"],
  all: ["all"],
  perfect: ["perfect"],
  status: ["status"],
  past: ["past"],
};
/** Kinds of a fact's qualifier that a rewrite must keep: dropping them widens the fact. */
const MUST_KEEP: QualifierKind[] = [
  "gt",
  "lt",
  "min",
  "after",
  "before",
  "only",
  "except",
  "cond",
  "may",
];
const COMPARISONS: QualifierKind[] = ["gt", "lt", "min", "after", "before"];
const CLAIMS: QualifierKind[] = ["perfect", "status", "past", "will"];

/**
 * Why `r` (a clause of the rewrite) is not supported by `f` (one clause of
 * a fact), or null when it is.
 */
function unsupportedBy(r: ClaimUnit, f: ClaimUnit): string | null {
  if (
    [...r.terms].some((t) => !supports(f.terms, t)) ||
    [...r.numbers].some((n) => !f.numbers.has(n)) ||
    [...r.quantities].some((q) => !f.quantities.has(q))
  ) return "unsupported_clause";
  const has = (kinds: QualifierKind[], q: Qualifier, side: ClaimUnit) =>
    side.qualifiers.some((o) =>
      kinds.includes(o.kind) && overlaps(q.anchor, o.anchor)
    );
  for (const q of r.qualifiers.filter((q) => CLAIMS.includes(q.kind))) {
    const backed = q.kind === "will"
      ? has(["will"], q, f) || (q.verb !== "" && f.weVerbs.has(q.verb))
      : has(BACKED_BY[q.kind]!, q, f);
    if (!backed) return "unsupported_claim";
  }
  const rNot = r.qualifiers.filter((q) => q.kind === "not");
  const fNot = f.qualifiers.filter((q) => q.kind === "not");
  if (
    rNot.length !== fNot.length ||
    rNot.some((q) => !has(["not"], q, f)) ||
    fNot.some((q) => !has(["not"], q, r))
  ) return "negation_mismatch";
  for (const q of r.qualifiers) {
    if (q.kind === "within") {
      // "within 5 days" is backed by a fact that gives the same number
      // without comparing it ("it takes 5 days"), or by "within"/"up to".
      const compared = f.qualifiers.some((o) =>
        COMPARISONS.includes(o.kind) && overlaps(q.anchor, o.anchor)
      );
      if (!has(["within"], q, f) && compared) return "qualifier_mismatch";
      continue;
    }
    if (
      q.kind === "can" && q.after !== "we" && q.after !== "i" &&
      !f.qualifiers.some((o) => o.kind === "must")
    ) {
      // "you can pay with PayPal" for "we accept PayPal": a possibility the
      // fact states plainly (negations and comparisons are checked apart);
      // "we can …" is an offer, and needs the fact to make it.
      continue;
    }
    const kinds = BACKED_BY[q.kind];
    if (!kinds || CLAIMS.includes(q.kind)) continue;
    if (!has(kinds, q, f)) return "qualifier_mismatch";
  }
  for (const q of f.qualifiers.filter((q) => q.kind === "restrict")) {
    // A restriction is kept when what it says is kept, or by a condition.
    const kept = [...q.anchor].some((t) =>
      supports(r.terms, t) || r.numbers.has(t)
    );
    if (!kept && !has(["restrict", "cond"], q, r)) return "qualifier_mismatch";
  }
  for (const q of f.qualifiers.filter((q) => MUST_KEEP.includes(q.kind))) {
    const kinds = q.kind === "may" ? ["may", "can"] as QualifierKind[] : [
      q.kind,
    ];
    if (!has(kinds, q, r)) return "qualifier_mismatch";
  }
  return null;
}

/**
 * Why no single fact clause backs `clause` (its best candidate's reason),
 * or null when one does. A clause that opened with a pronoun may also be
 * backed as written, by a fact clause that opened with one too.
 */
function clauseFailure(
  clause: Clause,
  factUnits: { resolved: ClaimUnit[]; asWritten: ClaimUnit[] },
  allowed: Set<string>,
): string | null {
  let best: { reason: string; score: number } | null = null;
  const tries: Array<[string, ClaimUnit[]]> = [[
    clause.text,
    factUnits.resolved,
  ]];
  if (clause.asWritten) tries.push([clause.asWritten, factUnits.asWritten]);
  for (const [text, units] of tries) {
    const r = readClause(text, allowed);
    if (
      r.terms.size === 0 && r.numbers.size === 0 &&
      r.qualifiers.every((q) => q.anchor.size === 0 && q.kind === "will")
    ) return null; // courtesy only ("We are happy to help")
    for (const f of units) {
      const reason = unsupportedBy(r, f);
      if (reason === null) return null;
      const score = [...r.terms].filter((t) => supports(f.terms, t)).length +
        (reason === "unsupported_clause" ? 0 : 100);
      if (!best || score > best.score) best = { reason, score };
    }
  }
  return best?.reason ?? "no_facts";
}

/** The verdict on `text` as a rewrite of `facts`, with the first failed check. */
export function checkGrounding(
  text: string,
  facts: string[],
  opts: GroundingOptions = {},
): GroundingResult {
  const fail = (reason: string): GroundingResult => ({ ok: false, reason });
  const out = text.trim();
  if (out === "") return fail("empty");
  if (CANNOT_ANSWER.test(out)) return fail("cannot_answer");
  if (out.length > MAX_REWRITE_CHARS) return fail("too_long");
  if (MARKUP.test(out)) return fail("markup");
  if (GREETING_OR_SIGNOFF.test(out)) return fail("greeting_or_signoff");
  const factText = facts.join("\n");
  const factLower = factText.toLowerCase();
  if (links(out).some((l) => !factLower.includes(l))) {
    return fail("unsupported_link");
  }
  const sentences = sentencesOf(out);
  if (sentences.length === 0) return fail("empty");
  if (sentences.length > Math.max(MAX_REWRITE_SENTENCES, facts.length)) {
    return fail("too_many_sentences");
  }
  const allowed = new Set(
    (opts.allowedWords ?? []).flatMap((w) => rawWords(w)),
  );
  const factClauses = facts.flatMap(sentencesOf).flatMap(clausesOf);
  const factUnits = {
    resolved: factClauses.map((c) => readClause(c.text)),
    asWritten: factClauses.flatMap((c) =>
      c.asWritten ? [readClause(c.asWritten)] : []
    ),
  };
  const all = readClause(factText);
  const allNumbers = new Set(numbers(factText));
  const allQuantities = new Set(quantities(factText));

  for (const [i, s] of sentences.entries()) {
    const at = ` (sentence ${i + 1})`;
    if (numbers(s).some((n) => !allNumbers.has(n))) {
      return fail("unsupported_number" + at);
    }
    if (quantities(s).some((q) => !allQuantities.has(q))) {
      return fail("unsupported_quantity" + at);
    }
    const whole = readClause(s, allowed);
    if ([...whole.terms].some((t) => !supports(all.terms, t))) {
      return fail("unsupported_term" + at);
    }
    // Each clause is backed by one clause of one fact sentence.
    for (const clause of clausesOf(s)) {
      const reason = clauseFailure(clause, factUnits, allowed);
      if (reason) return fail(reason + at);
    }
  }
  return { ok: true };
}

/** True when `text` may be sent as a rewrite of `facts` (see `checkGrounding`). */
export function isGrounded(
  text: string,
  facts: string[],
  opts: GroundingOptions = {},
): boolean {
  return checkGrounding(text, facts, opts).ok;
}
