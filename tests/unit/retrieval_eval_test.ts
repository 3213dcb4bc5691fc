import assert from "node:assert/strict";
import { evalClassify, evalRetrieve } from "../../app/cli/eval_command.ts";
import { createKnowledgeBase } from "../../pipeline/knowledge/knowledge_base.ts";
import type { Classifier } from "../../pipeline/ports.ts";
import { silentLogger } from "../../app/ops/logger.ts";
import { writeAbcdKb } from "../../eval/build_abcd_kb.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

Deno.test("evalRetrieve on the bundled knowledge base reaches hit@3 >= 0.95", async () => {
  const cacheDir = await Deno.makeTempDir({ prefix: "retrieval_eval_" });
  try {
    const kb = createKnowledgeBase({
      dir: `${ROOT}knowledge_base`,
      cacheDir,
      logger: silentLogger,
    });
    let drawn = "";
    const s = await evalRetrieve(`${ROOT}eval/retrieve_queries.jsonl`, {}, {
      retriever: kb.retriever,
      cacheDir,
      logger: silentLogger,
      progress: {
        writeSync: (b) => {
          drawn += new TextDecoder().decode(b);
          return b.length;
        },
      },
    });
    assert.ok(s.n >= 60);
    assert.ok(s.hit_at_3 >= 0.95, JSON.stringify(s));
    assert.ok(s.hit_at_1 <= s.hit_at_3 && s.mrr <= 1);
    assert.match(drawn, /\[#+\] \d+\/\d+\n$/);
  } finally {
    await Deno.remove(cacheDir, { recursive: true });
  }
});

Deno.test("evalRetrieve --kb over a folder built from the ABCD passages (shared data)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "retrieval_abcd_" });
  try {
    const n = await writeAbcdKb(`${dir}/abcd`);
    assert.equal(n, 55);
    const unused = createKnowledgeBase({
      dir: `${ROOT}knowledge_base`,
      cacheDir: dir,
      logger: silentLogger,
    });
    const s = await evalRetrieve(`${ROOT}eval/abcd_queries.jsonl`, {
      kbDir: `${dir}/abcd`,
    }, {
      retriever: unused.retriever,
      cacheDir: `${dir}/cache`,
      logger: silentLogger,
    });
    assert.ok(s.n >= 40);
    assert.ok(s.hit_at_3 >= 0.85, JSON.stringify(s));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("eval commands report a bad line by its number", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "retrieval_badline_" });
  const never: Classifier = {
    classify: () => ({
      category: "Other",
      confidence: 1,
      scores: { Question: 0, Refund: 0, Other: 1 },
    }),
  };
  try {
    await t.step("retrieve", async () => {
      await Deno.writeTextFile(
        `${dir}/q.jsonl`,
        '{"query":"a","expected":"x.md"}\n{"query": }\n',
      );
      const kb = createKnowledgeBase({
        dir: `${ROOT}knowledge_base`,
        cacheDir: dir,
        logger: silentLogger,
      });
      await assert.rejects(
        evalRetrieve(`${dir}/q.jsonl`, {}, {
          retriever: kb.retriever,
          cacheDir: dir,
          logger: silentLogger,
        }),
        /line 2 is not valid JSON/,
      );
    });
    await t.step("classify", async () => {
      await Deno.writeTextFile(
        `${dir}/c.jsonl`,
        '{"subject":"","body":"hi"}\n',
      );
      await assert.rejects(
        evalClassify(`${dir}/c.jsonl`, { classifier: never }),
        /line 1: field "label"/,
      );
    });
    await t.step(
      "with only a config, both commands build what they need",
      async () => {
        const config = {
          EXAMPLES_FILE:
            `${ROOT}pipeline/classify/training/classify_examples.jsonl`,
          USER_EXAMPLES_FILE: `${dir}/none.jsonl`,
          KNOWLEDGE_BASE_DIR: `${ROOT}knowledge_base`,
          DATA_DIR: `${dir}/data`,
          EMBEDDING_MODEL: null,
        };
        await Deno.writeTextFile(
          `${dir}/cls.jsonl`,
          '{"body":"What is your refund policy?","label":"Question"}\n',
        );
        const c = await evalClassify(`${dir}/cls.jsonl`, { config });
        assert.equal(c.accuracy, 1);
        await Deno.writeTextFile(
          `${dir}/ret.jsonl`,
          '{"query":"reset my password","expected":"account.md"}\n',
        );
        const r = await evalRetrieve(`${dir}/ret.jsonl`, { kbDir: null }, {
          config,
        });
        assert.equal(r.hit_at_1, 1);
      },
    );
    await t.step("classify summary follows the contract", async () => {
      await Deno.writeTextFile(
        `${dir}/ok.jsonl`,
        '{"subject":"","body":"hi","label":"Other"}\n{"body":"x","label":"Refund"}\n',
      );
      const s = await evalClassify(`${dir}/ok.jsonl`, { classifier: never });
      assert.deepEqual(Object.keys(s), [
        "n",
        "accuracy",
        "macro_f1",
        "per_class",
        "confusion",
      ]);
      assert.equal(s.n, 2);
      assert.equal(s.accuracy, 0.5);
      assert.equal(s.confusion.Refund.Other, 1);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
