/**
 * Real third-party wording over the bundled knowledge base: the Bitext
 * sample's customer utterances (`eval/answers/bitext_dev`). Before the
 * request frame, the speller and the mishap rule, 3 of its 165 covered lines
 * were answered right and 1 of 4 answers sent was wrong.
 */
import assert from "node:assert/strict";
import { type AnswerCase, evalAnswers } from "../../app/cli/eval_answers.ts";
import { loadConfig } from "../../app/config.ts";
import { createClassifier } from "../../pipeline/classify/classifier.ts";
import {
  bundledExampleFiles,
  loadExamples,
} from "../../pipeline/classify/examples.ts";
import { loadWordVectors } from "../../pipeline/knowledge/word_vectors.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

Deno.test("Bitext customers' wording over the bundled knowledge base: at least 25 right answers, at most 1 wrong, no uncovered line answered", async () => {
  const dir = await Deno.makeTempDir({ prefix: "answer_real_wording_" });
  try {
    const cfg = loadConfig({ DATA_DIR: dir });
    assert.ok(cfg.ok);
    const cases: AnswerCase[] = [];
    const summary = await evalAnswers(
      `${ROOT}eval/answers/bitext_dev/questions.jsonl`,
      { kbDir: `${ROOT}knowledge_base` },
      {
        config: cfg.config,
        classifier: createClassifier(
          await loadExamples(bundledExampleFiles(cfg.config.EXAMPLES_FILE)),
        ),
        wordVectors: await loadWordVectors(),
        onCase: (c) => cases.push(c),
      },
    );
    const right = cases.filter((c) => c.sent && c.right === true).length;
    const wrong = cases.filter((c) => c.sent && c.right === false).length;
    assert.ok(right >= 25, `right answers: ${JSON.stringify(summary)}`);
    assert.ok(wrong <= 1, `wrong answers: ${JSON.stringify(summary)}`);
    assert.equal(summary.uncovered_answered, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
