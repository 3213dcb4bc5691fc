/**
 * A flat dense-vector index: all vectors in one Float32Array, searched by
 * dot product (the vectors are normalised, so this is cosine similarity).
 * @module
 */

/** One dense hit. */
export interface DenseHit {
  index: number;
  similarity: number;
}

/** A flat index of `count` vectors of `dimensions` floats. */
export interface DenseIndex {
  readonly dimensions: number;
  readonly count: number;
  readonly data: Float32Array;
  search(query: Float32Array, k: number): DenseHit[];
}

/** Builds the index from one flat array (row i at `i * dimensions`). */
export function createDenseIndex(
  data: Float32Array,
  dimensions: number,
): DenseIndex {
  if (dimensions <= 0 || data.length % dimensions !== 0) {
    throw new RangeError(
      `Cannot build a dense index: ${data.length} floats is not a multiple of ${dimensions} dimensions`,
    );
  }
  const count = data.length / dimensions;
  return {
    dimensions,
    count,
    data,
    search(query, k) {
      if (query.length !== dimensions) {
        throw new RangeError(
          `Cannot search the dense index: the query has ${query.length} dimensions, the index ${dimensions}`,
        );
      }
      const hits: DenseHit[] = [];
      for (let i = 0; i < count; i++) {
        let s = 0;
        const off = i * dimensions;
        for (let j = 0; j < dimensions; j++) s += data[off + j]! * query[j]!;
        hits.push({ index: i, similarity: s });
      }
      hits.sort((a, b) => b.similarity - a.similarity || a.index - b.index);
      return hits.slice(0, k);
    },
  };
}

/** Reciprocal rank fusion of ranked index lists: score = Σ 1 / (k + rank). */
export function reciprocalRankFusion(
  lists: number[][],
  k = 60,
): Array<{ index: number; score: number }> {
  const acc = new Map<number, number>();
  for (const list of lists) {
    list.forEach((idx, rank) =>
      acc.set(idx, (acc.get(idx) ?? 0) + 1 / (k + rank + 1))
    );
  }
  return [...acc].map(([index, score]) => ({ index, score }))
    .sort((a, b) => b.score - a.score || a.index - b.index);
}
