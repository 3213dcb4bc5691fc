/**
 * Picks, from a retrieved section, the sentences that answer an ask: those
 * sharing the most terms with it, kept in the section's own order.
 * @module
 */
import { tokenize } from "../knowledge/tokenize.ts";
import { splitSentences } from "./asks.ts";

/** Most sentences quoted for one ask. */
export const MAX_SENTENCES = 3;

/** The answering sentences of `sectionText` for `ask` (verbatim). */
export function selectSentences(
  ask: string,
  sectionText: string,
  heading = "",
): string[] {
  const askTerms = new Set(tokenize(ask));
  const headTerms = new Set(tokenize(heading));
  const sentences = splitSentences(sectionText).filter((s) =>
    /[.!?]$/.test(s) || s.length > 20
  );
  if (sentences.length === 0) return [];
  const scored = sentences.map((s, i) => {
    const terms = new Set(tokenize(s));
    let hit = 0;
    for (const t of askTerms) {
      if (terms.has(t)) {
        hit += headTerms.has(t) ? 0.5 : 1;
      }
    }
    return { s, i, hit };
  });
  const best = Math.max(...scored.map((x) => x.hit));
  if (best === 0) return sentences.slice(0, 2);
  return scored.filter((x) => x.hit > 0 && x.hit >= best * 0.7)
    .sort((a, b) => b.hit - a.hit || a.i - b.i).slice(0, MAX_SENTENCES)
    .sort((a, b) => a.i - b.i).map((x) => x.s);
}
