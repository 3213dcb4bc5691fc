/**
 * Chooses, among the retrieved sections that pass the answer threshold, the
 * one whose sentences answer the ask best, and the sentences to quote.
 * Retrieval ranks whole sections; the section with the best single answering
 * sentence is usually the one the customer asked about.
 * @module
 */
import type { RetrievedSection } from "../ports.ts";
import { pickSentences } from "./select_sentences.ts";
import { type AskProfile, scoreSentences } from "./sentence_score.ts";

/** Weight of the section's retrieval score against its best sentence. */
const RETRIEVAL_WEIGHT = 0.5;
/**
 * A section under the threshold may still be chosen (the first hit passed
 * it) when its sentences answer better, down to this share of it.
 */
const LOW_SHARE = 0.6;

/** The chosen section and its quoted sentences. */
export interface Choice {
  hit: RetrievedSection;
  sentences: string[];
}

/**
 * The best section among `hits` (scoring at least `LOW_SHARE` of
 * `threshold`; the first hit when none is better), with the sentences to
 * quote. The caller has already checked that the first hit passes.
 */
export function chooseSection(
  profile: AskProfile,
  hits: RetrievedSection[],
  threshold: number,
): Choice | null {
  let best: { choice: Choice; value: number } | null = null;
  for (const hit of hits) {
    if (hit !== hits[0] && hit.score < threshold * LOW_SHARE) continue;
    const scored = scoreSentences(profile, hit.text, hit.heading);
    const top = Math.max(
      0,
      ...scored.filter((x) => x.own > 0).map((x) => x.score),
    );
    const value = top + RETRIEVAL_WEIGHT * hit.score;
    if (!best || value > best.value) {
      best = { choice: { hit, sentences: pickSentences(scored) }, value };
    }
  }
  return best?.choice ?? null;
}
