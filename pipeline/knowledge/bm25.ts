/**
 * An in-memory BM25 index over pre-tokenized documents. Besides the BM25
 * ranking it reports, per hit, the idf-weighted share of the query's terms
 * the document contains (`coverage`, in [0, 1]): a normalised score that a
 * threshold can be set on.
 * @module
 */

/** One ranked hit. */
export interface Bm25Hit {
  index: number;
  bm25: number;
  coverage: number;
}

/** BM25 parameters; defaults k1 = 1.2, b = 0.75. */
export interface Bm25Options {
  k1?: number;
  b?: number;
}

/** A built BM25 index. */
export interface Bm25Index {
  readonly size: number;
  /** Top `k` documents for the query terms, best first (only documents with a match). */
  search(queryTerms: string[], k: number): Bm25Hit[];
}

/** Builds the index; `docs[i]` is the token list of document i. */
export function buildBm25(docs: string[][], opts: Bm25Options = {}): Bm25Index {
  const k1 = opts.k1 ?? 1.2;
  const b = opts.b ?? 0.75;
  const n = docs.length;
  const vocab = new Map<string, number>();
  const postDocs: number[][] = [];
  const postTf: number[][] = [];
  const lengths = new Float64Array(n);
  let total = 0;
  for (let d = 0; d < n; d++) {
    const toks = docs[d] ?? [];
    lengths[d] = toks.length;
    total += toks.length;
    const tf = new Map<number, number>();
    for (const t of toks) {
      let id = vocab.get(t);
      if (id === undefined) {
        id = postDocs.length;
        vocab.set(t, id);
        postDocs.push([]);
        postTf.push([]);
      }
      tf.set(id, (tf.get(id) ?? 0) + 1);
    }
    for (const [id, c] of tf) {
      postDocs[id]!.push(d);
      postTf[id]!.push(c);
    }
  }
  const avgdl = n > 0 ? total / n : 1;
  const idf = postDocs.map((p) =>
    Math.log(1 + (n - p.length + 0.5) / (p.length + 0.5))
  );
  /** Idf of a term no document has: the most informative possible. */
  const idfUnknown = Math.log(1 + (n + 0.5) / 0.5);
  const norm = new Float64Array(n);
  for (let d = 0; d < n; d++) {
    norm[d] = k1 * (1 - b + b * (lengths[d]! / avgdl));
  }
  const scores = new Float64Array(n);
  const cover = new Float64Array(n);

  return {
    size: n,
    search(queryTerms, k) {
      const uniq = [...new Set(queryTerms)];
      let idfSum = 0;
      const touched: number[] = [];
      for (const t of uniq) {
        const id = vocab.get(t);
        if (id === undefined) {
          idfSum += idfUnknown;
          continue;
        }
        const w = idf[id]!;
        idfSum += w;
        const ds = postDocs[id]!;
        const tfs = postTf[id]!;
        for (let i = 0; i < ds.length; i++) {
          const d = ds[i]!;
          const f = tfs[i]!;
          if (cover[d] === 0) touched.push(d);
          scores[d]! += w * (f * (k1 + 1)) / (f + norm[d]!);
          cover[d]! += w;
        }
      }
      const hits: Bm25Hit[] = touched.map((d) => ({
        index: d,
        bm25: scores[d]!,
        coverage: idfSum > 0 ? cover[d]! / idfSum : 0,
      }));
      for (const d of touched) {
        scores[d] = 0;
        cover[d] = 0;
      }
      hits.sort((x, y) => y.bm25 - x.bm25 || x.index - y.index);
      return hits.slice(0, k);
    },
  };
}
