/**
 * Dense retrieval with a real (tiny) transformers.js model. Run by
 * `dense_retrieval_test.ts` in its own `deno test --no-lock` process:
 * transformers.js is fetched from npm on first use (it is no dependency of
 * the default install), and `--no-lock` keeps it out of the repository's
 * deno.lock.
 */
import assert from "node:assert/strict";
import { createKnowledgeBase } from "../../pipeline/knowledge/knowledge_base.ts";
import { createTransformersEmbedder } from "../../pipeline/knowledge/transformers_embedder.ts";
import { silentLogger } from "../../app/ops/logger.ts";
import { writeTinyModel } from "../helpers/tiny_model.ts";

const DOCS: Record<string, string> = {
  "account.md":
    "---\ntitle: Account\n---\n## Credentials\nUse the reset link on the sign-in page for new credentials.\n",
  "money.md":
    "---\ntitle: Money\n---\n## Repayment\nThe repayment reaches your card within 5 days.\n",
  "hours.md":
    "---\ntitle: Hours\n---\n## Schedule\nOur schedule is 9 to 5 on weekdays.\n",
};

Deno.test("dense retrieval with a real (tiny) transformers.js ONNX model, fused with BM25", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "dense_retrieval_" });
  const kbDir = `${dir}/kb`;
  await Deno.mkdir(kbDir);
  for (const [name, text] of Object.entries(DOCS)) {
    await Deno.writeTextFile(`${kbDir}/${name}`, text);
  }
  const modelDir = await writeTinyModel(`${dir}/models`, "tiny-embedder", [
    "use",
    "the",
    "reset",
    "link",
  ]);
  const embedder = await createTransformersEmbedder(modelDir);
  try {
    await t.step(
      "the model loads from a local folder and returns normalised vectors",
      async () => {
        const [a, b, c] = await embedder.embed([
          "login",
          "credentials",
          "schedule",
        ]);
        assert.equal(a?.length, embedder.dimensions);
        const dot = (x: Float32Array, y: Float32Array) =>
          x.reduce((s, v, i) => s + v * y[i]!, 0);
        assert.ok(Math.abs(dot(a!, a!) - 1) < 1e-4);
        assert.ok(dot(a!, b!) > 0.5, "synonyms are close");
        assert.ok(Math.abs(dot(a!, c!)) < 0.1, "unrelated words are far");
      },
    );

    await t.step(
      "a query with no shared word is found by the dense side only",
      async () => {
        const lexical = createKnowledgeBase({
          dir: kbDir,
          cacheDir: `${dir}/lex`,
          logger: silentLogger,
        });
        assert.deepEqual(
          await lexical.retriever.search("reimbursement", 3),
          [],
        );
        const hybrid = createKnowledgeBase({
          dir: kbDir,
          cacheDir: `${dir}/dense`,
          logger: silentLogger,
          embedder,
          embedderId: "tiny-embedder",
        });
        const r = await hybrid.reindex();
        assert.equal(r.built, 3);
        const [hit] = await hybrid.retriever.search("reimbursement", 3);
        assert.equal(hit?.id, "kb/money.md#repayment");
        assert.equal(hit?.score, 0, "a dense-only hit has no lexical coverage");
      },
    );

    await t.step(
      "fusion keeps the lexical match first when both agree",
      async () => {
        const hybrid = createKnowledgeBase({
          dir: kbDir,
          cacheDir: `${dir}/dense`,
          logger: silentLogger,
          embedder,
          embedderId: "tiny-embedder",
        });
        const r = await hybrid.reindex();
        assert.deepEqual(
          [r.reused, r.built],
          [3, 0],
          "vectors come from the cache",
        );
        const [hit] = await hybrid.retriever.search("what is your schedule", 3);
        assert.equal(hit?.id, "kb/hours.md#schedule");
        assert.ok((hit?.score ?? 0) > 0.5);
      },
    );

    await t.step("another embedder id re-embeds every section", async () => {
      const other = createKnowledgeBase({
        dir: kbDir,
        cacheDir: `${dir}/dense`,
        logger: silentLogger,
        embedder,
        embedderId: "another-model",
      });
      const r = await other.reindex();
      assert.equal(r.built, 3);
    });
  } finally {
    await embedder.dispose();
    await Deno.remove(dir, { recursive: true });
  }
});
