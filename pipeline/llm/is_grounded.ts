/**
 * `isGrounded(text, facts)`: may a model's rewrite of an answer be sent? Only
 * when every sentence of it is supported by the knowledge-base sentences it
 * was given: no word, number, amount, duration, link or address the facts do
 * not hold, no negation they do not have, short, and no `CANNOT_ANSWER`.
 * Pure; the reasons name checks and sentence numbers, never text.
 * @module
 */
import { tokenize } from "../knowledge/tokenize.ts";
import {
  NEGATION_TERMS,
  type Negations,
  negationsOf,
  samePolarity,
} from "./negations.ts";
import { digitsForWords, links, numbers, quantities } from "./quantities.ts";

/** Longest rewrite accepted, in characters. */
export const MAX_REWRITE_CHARS = 700;
/** Most sentences in a rewrite. */
export const MAX_REWRITE_SENTENCES = 4;
/** Share of a sentence's terms that one or two fact sentences must hold. */
export const MIN_SENTENCE_SUPPORT = 0.75;

/** Options of `checkGrounding`. */
export interface GroundingOptions {
  /** Extra words allowed anywhere (the customer's name). Default none. */
  allowedWords?: string[];
}

/** The verdict, with the first failed check (`code (sentence n)`). */
export type GroundingResult = { ok: true } | { ok: false; reason: string };

/** Courtesy and connective words a rewrite may add to the facts. */
const COURTESY = new Set(tokenize(
  "sorry happy glad help assist note unfortunately however additionally " +
    "simply certainly sure course able us great welcome yes " +
    // connectives and light verbs that carry no shop fact of their own
    "take takes long yet still instead though although even either whether " +
    "come make use show",
));
/** Units are part of a quantity, not of what it is about. */
const UNIT_TERMS = new Set(tokenize(
  "day days week weeks month months year years hour hours minute minutes " +
    "business working calendar percent dollars euros pounds",
));
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

interface FactSentence {
  text: string;
  terms: Set<string>;
  negations: Negations;
  quantities: string[];
  numbers: string[];
}

function termsOf(s: string): Set<string> {
  return new Set(tokenize(digitsForWords(s)));
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

function coverage(terms: string[], fact: Set<string>): number {
  if (terms.length === 0) return 1;
  return terms.filter((t) => supports(fact, t)).length / terms.length;
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
  if (sentences.length > MAX_REWRITE_SENTENCES) {
    return fail("too_many_sentences");
  }
  const factSentences: FactSentence[] = facts.flatMap(sentencesOf).map((
    s,
  ) => ({
    text: s,
    terms: termsOf(s),
    negations: negationsOf(s),
    quantities: quantities(s),
    numbers: numbers(s),
  }));
  const allTerms = new Set(factSentences.flatMap((f) => [...f.terms]));
  const allQuantities = new Set(factSentences.flatMap((f) => f.quantities));
  const allNumbers = new Set(factSentences.flatMap((f) => f.numbers));
  const allowed = new Set(
    (opts.allowedWords ?? []).flatMap((w) => tokenize(w)),
  );

  for (const [i, s] of sentences.entries()) {
    const at = ` (sentence ${i + 1})`;
    const sNumbers = numbers(s);
    const sQuantities = quantities(s);
    if (sNumbers.some((n) => !allNumbers.has(n))) {
      return fail("unsupported_number" + at);
    }
    if (sQuantities.some((q) => !allQuantities.has(q))) {
      return fail("unsupported_quantity" + at);
    }
    const terms = [...termsOf(s)].filter((t) =>
      !COURTESY.has(t) && !allowed.has(t) && !NEGATION_TERMS.has(t)
    );
    if (terms.some((t) => !/\d/.test(t) && !supports(allTerms, t))) {
      return fail("unsupported_term" + at);
    }
    // Support by one or two fact sentences, not by words from anywhere.
    const ranked = factSentences.map((f) => ({
      f,
      c: coverage(terms, f.terms),
    })).sort((a, b) => b.c - a.c);
    const best = ranked[0];
    if (!best) return fail("no_facts");
    const rest = terms.filter((t) => !supports(best.f.terms, t));
    const second = Math.max(
      0,
      ...ranked.slice(1).map((r) => coverage(rest, r.f.terms)),
    );
    const joint = terms.length === 0
      ? 1
      : (terms.length - rest.length + second * rest.length) / terms.length;
    if (joint < MIN_SENTENCE_SUPPORT) return fail("weak_support" + at);
    // A quantity must come from a fact sentence about the same thing.
    const topic = terms.filter((t) => !/\d/.test(t) && !UNIT_TERMS.has(t));
    const need = Math.min(2, topic.length);
    const anchored = (q: string, pick: (f: FactSentence) => string[]) =>
      factSentences.some((f) =>
        pick(f).includes(q) &&
        topic.filter((t) => supports(f.terms, t)).length >= need
      );
    if (
      sQuantities.some((q) => !anchored(q, (f) => f.quantities)) ||
      sNumbers.some((n) => !anchored(n, (f) => f.numbers))
    ) {
      return fail("unanchored_number" + at);
    }
    // The sentence's polarity must match a fact sentence that supports it as
    // well as any other does.
    const negations = negationsOf(s);
    const allOwn = termsOf(s);
    const near = ranked.filter((r) => r.c >= best.c - 0.1);
    if (
      !near.some((r) =>
        samePolarity(negations, allOwn, r.f.terms, r.f.negations)
      )
    ) {
      return fail("negation_mismatch" + at);
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
