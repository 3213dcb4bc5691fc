/**
 * Picks, from a retrieved section, the sentences that answer an ask: the
 * best-scoring ones (see `sentence_score.ts`), kept in the section's own
 * order. Sentences that share no term with the ask answer a different
 * question and are left out.
 * @module
 */
import {
  type AskProfile,
  askProfile,
  type ScoredSentence,
  scoreSentences,
  SOFT_RELEVANT,
} from "./sentence_score.ts";

/** Most sentences quoted for one ask. */
export const MAX_SENTENCES = 3;
/** A sentence is quoted when it scores at least this share of the best one. */
const KEEP_SHARE = 0.75;

/** The quoted sentences out of a section's scored sentences. */
export function pickSentences(scored: ScoredSentence[]): string[] {
  if (scored.length === 0) return [];
  const relevant = scored.filter((x) =>
    x.own > 0 || x.soft >= SOFT_RELEVANT || x.quantity > 0
  );
  if (relevant.length === 0) return scored.slice(0, 1).map((x) => x.s);
  const best = Math.max(...relevant.map((x) => x.sentence));
  // A range that holds the asked value is the answer; its neighbours are not.
  const exact = relevant.some((x) => x.quantity > 0);
  const picked = relevant.filter((x) =>
    x.sentence >= best * KEEP_SHARE && (!exact || x.quantity > 0)
  )
    .sort((a, b) => b.sentence - a.sentence || a.i - b.i).slice(
      0,
      MAX_SENTENCES,
    );
  // "How much …?" quoted without any amount: the best sentence of the
  // section that shares a term with the ask and holds one is added.
  if (!exact && !picked.some((x) => x.value > 0)) {
    const valued = relevant.filter((x) => x.value > 0 && x.own > 0)
      .sort((a, b) => b.sentence - a.sentence || a.i - b.i)[0];
    if (valued) picked.push(valued);
  }
  return picked.sort((a, b) => a.i - b.i).map((x) => x.s);
}

/** The answering sentences of `sectionText` for `ask` (verbatim). */
export function selectSentences(
  ask: string | AskProfile,
  sectionText: string,
  heading = "",
): string[] {
  const profile = typeof ask === "string" ? askProfile(ask) : ask;
  return pickSentences(scoreSentences(profile, sectionText, heading));
}
