/**
 * Meaning-level comparison of short texts with word vectors: SIF sentence
 * vectors (weighted average of the content words' vectors, weights
 * a / (a + p(w)), minus the first principal component of a background set
 * of sentences) and soft word coverage (each content word of an ask counts
 * as covered by its closest word in the text).
 * @module
 */
import { canonical, isStopWord, words } from "./tokenize.ts";
import type { WordVectors } from "./word_vectors.ts";

/** How well a text covers the content words of an ask. */
export interface WordCoverage {
  /** SIF-weighted mean of each ask word's best match in [0, 1]. */
  mean: number;
  /** The worst-covered ask word's best match. */
  min: number;
  /** Content words of the ask that were compared. */
  words: number;
}

/** Semantic comparisons of texts; results are deterministic. */
export interface TextSemantics {
  readonly dimensions: number;
  /** The unit SIF vector of a text (PC removed), or null when no word is known. */
  vector(text: string): Float32Array | null;
  /** Cosine of the two texts' vectors; 0 when either has none. */
  similarity(a: string, b: string): number;
  /** Soft coverage of `ask`'s content words by the words of `text`. */
  coverage(ask: string, text: string): WordCoverage;
}

interface Parsed {
  /** Content words (lower-case, stop words removed). */
  words: string[];
  /** Their index forms (shop synonym, stem): equal forms match fully. */
  stems: string[];
  rows: number[];
  vector: Float32Array | null;
}

/** Texts kept parsed; the map is cleared when it grows past this. */
const CACHE_LIMIT = 20_000;
/** Power-iteration steps for the first principal component. */
const PC_STEPS = 30;

/** The vector row of a word or of its singular form, or -1. */
function rowOf(vectors: WordVectors, w: string): number {
  const r = vectors.row(w);
  if (r >= 0 || !w.endsWith("s")) return r;
  return vectors.row(w.slice(0, -1));
}

/** Content words of a text: words minus stop words and numbers. */
export function contentWords(text: string): string[] {
  return words(text).filter((w) =>
    w.length > 1 && !isStopWord(w) && !/\d/.test(w)
  );
}

function sifSum(vectors: WordVectors, rows: number[]): Float32Array | null {
  const v = new Float32Array(vectors.dimensions);
  let n = 0;
  for (const r of rows) {
    if (r < 0) continue;
    vectors.addTo(v, r, vectors.sifWeight(r));
    n++;
  }
  if (n === 0) return null;
  for (let j = 0; j < v.length; j++) v[j]! /= n;
  return v;
}

/** First principal component (unit) of the vectors, by power iteration. */
export function firstComponent(
  vs: Float32Array[],
  dimensions: number,
): Float32Array | null {
  if (vs.length < 2) return null;
  let u = new Float32Array(dimensions).fill(1 / Math.sqrt(dimensions));
  for (let step = 0; step < PC_STEPS; step++) {
    const next = new Float32Array(dimensions);
    for (const v of vs) {
      let dot = 0;
      for (let j = 0; j < dimensions; j++) dot += v[j]! * u[j]!;
      for (let j = 0; j < dimensions; j++) next[j]! += dot * v[j]!;
    }
    let norm = 0;
    for (const x of next) norm += x * x;
    if (norm === 0) return null;
    norm = Math.sqrt(norm);
    for (let j = 0; j < dimensions; j++) next[j]! /= norm;
    u = next;
  }
  return u;
}

function finish(v: Float32Array | null, pc: Float32Array | null) {
  if (!v) return null;
  if (pc) {
    let dot = 0;
    for (let j = 0; j < v.length; j++) dot += v[j]! * pc[j]!;
    for (let j = 0; j < v.length; j++) v[j]! -= dot * pc[j]!;
  }
  let norm = 0;
  for (const x of v) norm += x * x;
  if (norm === 0) return null;
  norm = Math.sqrt(norm);
  for (let j = 0; j < v.length; j++) v[j]! /= norm;
  return v;
}

/**
 * Builds the comparisons over `vectors`; the principal component is taken
 * from `background` (e.g. the knowledge base's sentences).
 */
export function createTextSemantics(
  vectors: WordVectors,
  background: string[],
): TextSemantics {
  const raw = (text: string) => {
    const ws = contentWords(text);
    const rows = ws.map((w) => rowOf(vectors, w));
    return { ws, rows, sum: sifSum(vectors, rows) };
  };
  const pc = firstComponent(
    background.map((t) => raw(t).sum).filter((v): v is Float32Array =>
      v !== null
    ),
    vectors.dimensions,
  );
  const cache = new Map<string, Parsed>();
  const parse = (text: string): Parsed => {
    let p = cache.get(text);
    if (p) return p;
    const r = raw(text);
    p = {
      words: r.ws,
      stems: r.ws.map(canonical),
      rows: r.rows,
      vector: finish(r.sum, pc),
    };
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(text, p);
    return p;
  };
  return {
    dimensions: vectors.dimensions,
    vector: (text) => parse(text).vector,
    similarity(a, b) {
      const va = parse(a).vector;
      const vb = parse(b).vector;
      if (!va || !vb) return 0;
      let s = 0;
      for (let j = 0; j < va.length; j++) s += va[j]! * vb[j]!;
      return s;
    },
    coverage(ask, text) {
      const a = parse(ask);
      const t = parse(text);
      const seen = new Set<string>();
      let total = 0;
      let weights = 0;
      let min = 1;
      let n = 0;
      a.words.forEach((_w, i) => {
        const st = a.stems[i]!;
        if (seen.has(st)) return;
        seen.add(st);
        const r = a.rows[i]!;
        let best = 0;
        for (let k = 0; k < t.words.length && best < 1; k++) {
          if (t.stems[k] === st) best = 1;
          else if (r >= 0 && t.rows[k]! >= 0) {
            best = Math.max(best, vectors.cosine(r, t.rows[k]!));
          }
        }
        const weight = vectors.sifWeight(r);
        total += weight * best;
        weights += weight;
        min = Math.min(min, best);
        n++;
      });
      return {
        mean: weights > 0 ? total / weights : 0,
        min: n > 0 ? min : 0,
        words: n,
      };
    },
  };
}
