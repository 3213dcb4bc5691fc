/**
 * Negations of a sentence, for comparing a rewrite's polarity with its
 * facts': how many there are, what each negates first (its core) and the
 * first terms of its clause (its scope).
 * @module
 */
import { tokenize } from "../knowledge/tokenize.ts";
import { digitsForWords } from "./quantities.ts";

/** Negation words are checked as polarity, not as terms. */
export const NEGATION_TERMS = new Set(tokenize(
  "cannot without unable never none nothing nobody neither",
));
/** A negation word, or a "n't" ending. */
const NEGATION_CUE =
  /\b(?:not|no|never|none|nothing|nobody|neither|nor|cannot|without|unable)\b|n['’]t\b/gi;

/**
 * A sentence's negations: how many, the first term after each (its core)
 * and the first few terms of its clause (its scope).
 */
export interface Negations {
  count: number;
  core: Set<string>;
  scope: Set<string>;
}

/** Terms of a clause after a negation word that it is taken to negate. */
const SCOPE_TERMS = 3;

/** The negations of a sentence. */
export function negationsOf(s: string): Negations {
  const core = new Set<string>();
  const scope = new Set<string>();
  let count = 0;
  for (const m of s.matchAll(NEGATION_CUE)) {
    count++;
    const clause = s.slice((m.index ?? 0) + m[0].length).split(
      /[,;:]|\bbut\b/,
    )[0] ?? "";
    const terms = tokenize(digitsForWords(clause)).slice(0, SCOPE_TERMS);
    if (terms[0]) core.add(terms[0]);
    terms.forEach((t) => scope.add(t));
  }
  return { count, core, scope };
}

/**
 * Same polarity: as many negations, and what each side negates first lies
 * in what the other side negates (when the other side has that term).
 */
export function samePolarity(
  out: Negations,
  outTerms: Set<string>,
  factTerms: Set<string>,
  f: Negations,
): boolean {
  if (out.count !== f.count) return false;
  return [...out.core].every((t) => !factTerms.has(t) || f.scope.has(t)) &&
    [...f.core].every((t) => !outTerms.has(t) || out.scope.has(t));
}
