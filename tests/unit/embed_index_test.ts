import assert from "node:assert/strict";
import {
  createDenseIndex,
  reciprocalRankFusion,
} from "../../pipeline/knowledge/dense_index.ts";
import {
  base64ToFloats,
  floatsToBase64,
} from "../../pipeline/knowledge/kb_cache.ts";

Deno.test("createDenseIndex finds the most similar vector in one flat array", () => {
  const index = createDenseIndex(
    Float32Array.from([1, 0, 0, 0.6, 0.8, 0, 0, 0, 1]),
    3,
  );
  assert.equal(index.count, 3);
  const hits = index.search(Float32Array.from([0, 1, 0]), 2);
  assert.deepEqual(hits.map((h) => h.index), [1, 0]);
  assert.ok(Math.abs(hits[0]!.similarity - 0.8) < 1e-6);
  assert.throws(
    () => index.search(Float32Array.from([1, 0]), 1),
    /2 dimensions/,
  );
  assert.throws(
    () => createDenseIndex(new Float32Array(5), 3),
    /multiple of 3/,
  );
});

Deno.test("reciprocalRankFusion favours items ranked well by both lists", () => {
  const fused = reciprocalRankFusion([[1, 2, 3], [3, 1, 4]]);
  assert.deepEqual(fused.map((f) => f.index), [1, 3, 2, 4]);
});

Deno.test("vectors survive the cache's base64 round trip", () => {
  const v = Float32Array.from([0.25, -1.5, 3.125]);
  assert.deepEqual(base64ToFloats(floatsToBase64(v)), v);
});
