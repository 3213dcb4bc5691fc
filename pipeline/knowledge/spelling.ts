/**
 * Puts right misspelt words of an ask against the knowledge base's own
 * words: "pssword", "newslettre", "unsubsrcibe", "needhelp". A word is
 * misspelt when the word vectors do not know it; it becomes the knowledge
 * base word closest in edits (one edit, two for long words, a swap of
 * neighbouring letters counting as one), the most frequent on a tie of
 * distance, or two known words when it is two run together. Names
 * (capitalised inside a sentence, or in capitals) and words with digits are
 * never touched, so "Hvar" does not become "hear". Pure.
 * @module
 */

/** Shortest and longest word put right, and the shortest allowed two edits. */
const MIN_LENGTH = 4;
const MAX_LENGTH = 24;
/**
 * Most words looked up per text: a hostile email of endless made-up words
 * costs no more than this many lookups.
 */
export const MAX_LOOKUPS = 12;
const TWO_EDITS_FROM = 8;
/** Results kept per speller; the map is cleared when it grows past this. */
const CACHE_LIMIT = 5_000;

/** Optimal string alignment distance, stopping early above `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (
        i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]
      ) d = Math.min(d, prev2[j - 2]! + 1);
      cur.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * A speller over `vocabulary` (the knowledge base's words, with their
 * counts); `known(word)` says whether a lower-case word is a real word.
 */
export function createSpelling(
  vocabulary: Map<string, number>,
  known: (word: string) => boolean,
): (text: string) => string {
  const words = [...vocabulary.keys()].filter((w) => w.length >= 3);
  const cache = new Map<string, string>();
  const fix = (w: string): string => {
    const hit = cache.get(w);
    if (hit !== undefined) return hit;
    const max = w.length >= TWO_EDITS_FROM ? 2 : 1;
    let best = w;
    let bestD = max + 1;
    let bestN = 0;
    let tie = false;
    for (const v of words) {
      const d = editDistance(w, v, max);
      if (d > max) continue;
      const n = vocabulary.get(v)!;
      if (d < bestD || (d === bestD && n > bestN)) {
        [best, bestD, bestN, tie] = [v, d, n, false];
      } else if (d === bestD && n === bestN) tie = true;
    }
    let out = bestD <= max && !tie ? best : w;
    if (out === w) {
      // Two words run together: "needhelp", "udeliver".
      for (let i = w.length - 3; i >= 1; i--) {
        const [l, r] = [w.slice(0, i), w.slice(i)];
        if (known(l) && known(r) && (vocabulary.has(r) || vocabulary.has(l))) {
          out = `${l} ${r}`;
          break;
        }
      }
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(w, out);
    return out;
  };
  return (text) => {
    let lookups = 0;
    return text.replace(/[\p{L}']+/gu, (w, offset: number) => {
      const lower = w.toLowerCase();
      if (
        w.length < MIN_LENGTH || w.length > MAX_LENGTH || known(lower) ||
        vocabulary.has(lower) || lookups >= MAX_LOOKUPS
      ) {
        return w;
      }
      const startsSentence = offset === 0 || /[.!?]\s*$/.test(
        text.slice(Math.max(0, offset - 3), offset),
      );
      const name = w !== lower && (!startsSentence || w === w.toUpperCase());
      if (name) return w;
      lookups++;
      return fix(lower);
    });
  };
}
