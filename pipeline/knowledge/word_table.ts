/**
 * A read-only hash table from words to rows over the UTF-8 word list of the
 * vector file, built without making a string per word (100k strings and a
 * `Map` of them cost more than the rest of the load together).
 * @module
 */

/** Word → row lookups over a `\n`-joined UTF-8 list. */
export interface WordTable {
  readonly size: number;
  /** The row of `word`, or -1. */
  row(word: string): number;
  /** The word at `row`. */
  word(row: number): string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** FNV-1a over bytes [from, to). */
function hash(bytes: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Builds the table over `list` (the words joined by `\n`), `count` words. */
export function buildWordTable(list: Uint8Array, count: number): WordTable {
  const starts = new Int32Array(count + 1);
  let n = 0;
  starts[0] = 0;
  for (let i = 0; i < list.length && n < count; i++) {
    if (list[i] === 10) starts[++n] = i + 1;
  }
  starts[count] = list.length + 1;
  if (n !== count - 1) {
    throw new Error(
      `Cannot read the word-vector file: ${n + 1} words, expected ${count}`,
    );
  }
  const end = (r: number) => starts[r + 1]! - 1;
  let bits = 1;
  while ((1 << bits) < count * 2) bits++;
  const mask = (1 << bits) - 1;
  const slots = new Int32Array(1 << bits).fill(-1);
  for (let r = 0; r < count; r++) {
    let s = hash(list, starts[r]!, end(r)) & mask;
    while (slots[s] !== -1) s = (s + 1) & mask;
    slots[s] = r;
  }
  const same = (r: number, w: Uint8Array) => {
    const from = starts[r]!;
    if (end(r) - from !== w.length) return false;
    for (let i = 0; i < w.length; i++) {
      if (list[from + i] !== w[i]) return false;
    }
    return true;
  };
  return {
    size: count,
    row(word) {
      const w = encoder.encode(word);
      let s = hash(w, 0, w.length) & mask;
      for (;;) {
        const r = slots[s]!;
        if (r === -1) return -1;
        if (same(r, w)) return r;
        s = (s + 1) & mask;
      }
    },
    word(r) {
      if (r < 0 || r >= count) {
        throw new RangeError(`Cannot read word row ${r}: 0..${count - 1}`);
      }
      return decoder.decode(list.subarray(starts[r]!, end(r)));
    },
  };
}
