import assert from "node:assert/strict";
import { type AnswerCase, evalAnswers } from "../../app/cli/eval_answers.ts";
import { loadConfig } from "../../app/config.ts";
import { createClassifier } from "../../pipeline/classify/classifier.ts";
import {
  bundledExampleFiles,
  loadExamples,
} from "../../pipeline/classify/examples.ts";
import { loadWordVectors } from "../../pipeline/knowledge/word_vectors.ts";
import { rewriteLine } from "../../eval/rewrite_set.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** The dev set's lines, bare or each inside its email shell. */
async function lines(set: string, shelled: boolean): Promise<string> {
  const raw = (await Deno.readTextFile(
    `${ROOT}eval/answers/${set}/questions.jsonl`,
  )).split("\n").filter((l) => l.trim()).map((l) =>
    JSON.parse(l) as { body: string; subject?: string }
  );
  return raw.map((j, i) =>
    JSON.stringify(shelled ? rewriteLine(j, i, "--shells") : j)
  ).join("\n") + "\n";
}

Deno.test("an ask wrapped in a greeting, a pleasantry or a sign-off is answered as it is bare", async () => {
  const dir = await Deno.makeTempDir({ prefix: "answer_shells_" });
  try {
    const cfg = loadConfig({ DATA_DIR: dir });
    assert.ok(cfg.ok);
    const classifier = createClassifier(
      await loadExamples(bundledExampleFiles(cfg.config.EXAMPLES_FILE)),
    );
    const wordVectors = await loadWordVectors();
    for (const set of ["dev_hotel", "dev_gym"]) {
      const run = async (shelled: boolean) => {
        const file = `${dir}/${set}_${shelled}.jsonl`;
        await Deno.writeTextFile(file, await lines(set, shelled));
        const cases: AnswerCase[] = [];
        const summary = await evalAnswers(file, {
          kbDir: `${ROOT}eval/answers/${set}/kb`,
        }, {
          config: cfg.config,
          classifier,
          wordVectors,
          onCase: (c) => cases.push(c),
        });
        return { summary, cases };
      };
      const bare = await run(false);
      const wrapped = await run(true);
      const rightIds = (cases: AnswerCase[]) =>
        cases.filter((c) => c.sent && c.right).map((c) => c.id);
      const lost = rightIds(bare.cases).filter((id) =>
        !rightIds(wrapped.cases).includes(id)
      );
      // One line may fall either side of the threshold with a new subject.
      assert.ok(lost.length <= 1, `${set}: lost inside shells: ${lost}`);
      assert.ok(
        wrapped.summary.answered_wrong <= bare.summary.answered_wrong,
        `${set}: wrong answers inside shells ${
          JSON.stringify(wrapped.summary)
        }`,
      );
      assert.ok(
        wrapped.summary.uncovered_answered <=
          bare.summary.uncovered_answered,
        `${set}: uncovered answered inside shells`,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
