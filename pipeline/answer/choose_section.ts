/**
 * Chooses, among the retrieved sections, the one whose sentences answer the
 * ask best, and the sentences to quote. Retrieval ranks whole sections; the
 * section with the best single answering sentence is usually the one the
 * customer asked about.
 * @module
 */
import type { RetrievedSection } from "../ports.ts";
import { pickSentences } from "./select_sentences.ts";
import {
  type AskProfile,
  type ScoredSentence,
  scoreSentences,
  SOFT_RELEVANT,
} from "./sentence_score.ts";

/** Weight of the section's retrieval score against its best sentence. */
const RETRIEVAL_WEIGHT = 0.5;
/** Weight of the section's word-vector similarity (when known). */
const SEMANTIC_WEIGHT = 1;
/**
 * With word vectors, a section of at most this many sentences is quoted
 * whole when one of them answers: a help-page entry is one answer, and the
 * sentence that holds the fact is not always the one closest in words. (At
 * 5, long help pages were quoted in part and the fact left out: on dev_mobile
 * and dev_gym 23% and 15% of the answers sent were wrong, at 9 8% and 0%.)
 */
const SHORT_SECTION = 9;
/**
 * Without word vectors, a section under the threshold may still be chosen
 * (the first hit passed it) when its sentences answer better, down to this
 * share of it.
 */
const LOW_SHARE = 0.6;

/** A retrieved section read as a possible answer. */
export interface Candidate {
  hit: RetrievedSection;
  /** Position in the retrieval ranking (0 = first). */
  rank: number;
  /** The sentences it would quote. */
  sentences: string[];
  scored: ScoredSentence[];
  /** Best sentence score plus the retrieval evidence; compares candidates. */
  value: number;
}

/** Whether a scored sentence bears on the ask at all. */
function relevant(x: ScoredSentence): boolean {
  return x.own > 0 || x.soft >= SOFT_RELEVANT || x.quantity > 0;
}

/** Every hit read as a candidate answer, best first. */
export function rankCandidates(
  profile: AskProfile,
  hits: RetrievedSection[],
): Candidate[] {
  return hits.map((hit, rank) => {
    const scored = scoreSentences(profile, hit.text, hit.heading);
    const top = Math.max(0, ...scored.filter(relevant).map((x) => x.score));
    const value = top + RETRIEVAL_WEIGHT * hit.score +
      SEMANTIC_WEIGHT * Math.max(0, hit.semantic ?? 0);
    const whole = profile.semantics !== null && top > 0 &&
      scored.length <= SHORT_SECTION;
    // Quoted whole, less the ranges that do not hold the asked height or
    // weight ("From 160 to 170 cm a size S" for 176 cm).
    const sentences = whole
      ? scored.filter((x) => x.quantity >= 0).map((x) => x.s)
      : pickSentences(scored);
    return { hit, rank, scored, sentences, value };
  }).sort((a, b) => b.value - a.value || a.rank - b.rank);
}

/** The chosen section and its quoted sentences. */
export interface Choice {
  hit: RetrievedSection;
  sentences: string[];
}

/**
 * The best section among `hits` for the lexical default (scoring at least
 * `LOW_SHARE` of `threshold`; the first hit when none is better), with the
 * sentences to quote. The caller has already checked that the first hit passes.
 */
export function chooseSection(
  profile: AskProfile,
  hits: RetrievedSection[],
  threshold: number,
): Choice | null {
  const allowed = hits.filter((h, i) =>
    i === 0 || h.score >= threshold * LOW_SHARE
  );
  const best = rankCandidates(profile, allowed)[0];
  return best ? { hit: best.hit, sentences: best.sentences } : null;
}
