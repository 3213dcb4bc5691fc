/**
 * `eval answers FILE [--kb DIR]`: the batch test of answers a support team
 * runs before going live, over a fresh index of the folder. Each line is
 * checked by `pipeline/decide/answers_eval.ts` (shared with the Knowledge
 * page, which runs a file against the running agent's index).
 * @module
 */
import type { Config } from "../config.ts";
import { type Logger, silentLogger } from "../ops/logger.ts";
import { createClassifier } from "../../pipeline/classify/classifier.ts";
import { loadExamples } from "../../pipeline/classify/examples.ts";
import { readJsonLines } from "../../pipeline/classify/read_jsonl.ts";
import {
  type AnswerCase,
  answerLine,
  answerLineSchema,
  type AnswersEvalSummary,
  summarizeAnswers,
} from "../../pipeline/decide/answers_eval.ts";
import { createKnowledgeBase } from "../../pipeline/knowledge/knowledge_base.ts";
import {
  loadWordVectors,
  type WordVectors,
} from "../../pipeline/knowledge/word_vectors.ts";
import type { Classifier } from "../../pipeline/ports.ts";
import { progressBar, type ProgressSink } from "./progress_bar.ts";

export {
  type AnswerCase,
  type AnswerLine,
  answerLine,
  answerLineSchema,
  type AnswersEvalSummary,
  normalizeFact,
  summarizeAnswers,
} from "../../pipeline/decide/answers_eval.ts";

/** The configuration fields `eval answers` reads. */
export type EvalAnswersConfig = Pick<
  Config,
  | "EXAMPLES_FILE"
  | "USER_EXAMPLES_FILE"
  | "KNOWLEDGE_BASE_DIR"
  | "DATA_DIR"
  | "CLASSIFY_THRESHOLD"
  | "ANSWER_THRESHOLD"
  | "SIGNATURE"
  | "SHOP_NAME"
>;

/** What `evalAnswers` uses; what is not given is built from `config`. */
export interface EvalAnswersDeps {
  config: EvalAnswersConfig;
  logger?: Logger;
  progress?: ProgressSink;
  classifier?: Classifier;
  /** Word vectors; default the bundled file. */
  wordVectors?: WordVectors | null;
  /** Called with each line's outcome (for `--verbose` style reports). */
  onCase?: (c: AnswerCase) => void;
}

/**
 * Runs every line of `path` against the knowledge base in `opts.kbDir` (or
 * KNOWLEDGE_BASE_DIR), with the classifier trained from the configured
 * examples, and returns the summary.
 */
export async function evalAnswers(
  path: string,
  opts: { kbDir?: string | null },
  deps: EvalAnswersDeps,
): Promise<AnswersEvalSummary> {
  const lines = await readJsonLines(path, answerLineSchema);
  const config = deps.config;
  const classifier = deps.classifier ?? createClassifier(
    await loadExamples([config.EXAMPLES_FILE, config.USER_EXAMPLES_FILE]),
  );
  const wordVectors = deps.wordVectors === undefined
    ? await loadWordVectors()
    : deps.wordVectors;
  const cacheDir = await Deno.makeTempDir({ prefix: "eval_answers_" });
  try {
    const kb = createKnowledgeBase({
      dir: opts.kbDir ?? config.KNOWLEDGE_BASE_DIR,
      cacheDir,
      logger: deps.logger ?? silentLogger,
      wordVectors,
    });
    await kb.reindex();
    const bar = progressBar(deps.progress, lines.length, "answers");
    const cases: AnswerCase[] = [];
    for (const [i, line] of lines.entries()) {
      const c = await answerLine(line, {
        classifier,
        retriever: kb.retriever,
        config,
      });
      cases.push(c);
      deps.onCase?.(c);
      bar.tick(i + 1);
    }
    bar.end();
    return summarizeAnswers(cases);
  } finally {
    await Deno.remove(cacheDir, { recursive: true });
  }
}
