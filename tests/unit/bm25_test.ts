import assert from "node:assert/strict";
import { buildBm25 } from "../../pipeline/knowledge/bm25.ts";
import { stem, tokenize } from "../../pipeline/knowledge/tokenize.ts";

Deno.test("tokenize lower-cases, drops stop words and folds word forms", () => {
  assert.deepEqual(tokenize("How do I track my Shipments?"), ["track", "ship"]);
  assert.equal(stem("refunded"), stem("refunds"));
  assert.equal(stem("cancelled"), stem("cancellation"));
  assert.deepEqual(tokenize("I want my money back"), ["refund"]);
});

Deno.test("buildBm25 ranks the document that matches the rare terms first", async (t) => {
  const docs = [
    "shipping costs standard express shipping",
    "refund policy refund window thirty days",
    "shipping to canada international shipping costs",
    "password reset link email",
  ].map(tokenize);
  const index = buildBm25(docs);

  await t.step("rare term beats common term", () => {
    const hits = index.search(tokenize("shipping to Canada"), 3);
    assert.equal(hits[0]?.index, 2);
    assert.equal(hits.length, 2);
  });

  await t.step(
    "coverage is the idf share of query terms found, in [0, 1]",
    () => {
      const [full] = index.search(tokenize("password reset"), 1);
      assert.equal(full?.index, 3);
      assert.equal(full?.coverage, 1);
      const [part] = index.search(tokenize("password for bicycles"), 1);
      assert.ok(
        part && part.coverage > 0 && part.coverage < 0.5,
        `coverage ${part?.coverage}`,
      );
    },
  );

  await t.step("no match gives no hits", () => {
    assert.deepEqual(index.search(tokenize("bicycles"), 3), []);
  });
});
