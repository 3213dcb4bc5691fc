/**
 * `eval classify FILE` and `eval retrieve FILE [--kb DIR]`: measure the
 * classifier and the retriever on JSON-lines files. Each returns the JSON
 * summary (main.ts prints it as the last line); a progress bar goes to the
 * injected stream.
 * @module
 */
import { z } from "zod";
import type { Config } from "../config.ts";
import { type Logger, silentLogger } from "../ops/logger.ts";
import { createClassifier } from "../../pipeline/classify/classifier.ts";
import {
  bundledExampleFiles,
  loadExamples,
} from "../../pipeline/classify/examples.ts";
import { readJsonLines } from "../../pipeline/classify/read_jsonl.ts";
import { exampleSchema } from "../../pipeline/classify/examples.ts";
import { createKnowledgeBase } from "../../pipeline/knowledge/knowledge_base.ts";
import {
  loadWordVectors,
  type WordVectors,
} from "../../pipeline/knowledge/word_vectors.ts";
import type { Classifier, Embedder, Retriever } from "../../pipeline/ports.ts";
import { CATEGORIES, type Category } from "../../pipeline/types.ts";
import { progressBar, type ProgressSink } from "./progress_bar.ts";

/** Precision, recall and F1 of one class. */
export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
}

/** The `eval classify` summary (docs/cli.md, "Command line"). */
export interface ClassifyEvalSummary {
  n: number;
  accuracy: number;
  macro_f1: number;
  per_class: Record<Category, ClassScores>;
  /** confusion[expected][predicted] = count. */
  confusion: Record<Category, Record<Category, number>>;
}

/** The `eval retrieve` summary (docs/cli.md, "Command line"). */
export interface RetrieveEvalSummary {
  n: number;
  hit_at_1: number;
  hit_at_3: number;
  mrr: number;
}

const round = (x: number) => Math.round(x * 10000) / 10000;

/** The configuration fields the eval commands read. */
export type EvalConfig = Pick<
  Config,
  | "EXAMPLES_FILE"
  | "USER_EXAMPLES_FILE"
  | "KNOWLEDGE_BASE_DIR"
  | "DATA_DIR"
  | "EMBEDDING_MODEL"
>;

/** What the eval commands use; what is not given is built from `config`. */
export interface EvalDeps {
  config?: EvalConfig;
  logger?: Logger;
  /** Progress bar target, e.g. `Deno.stderr`. */
  progress?: ProgressSink;
}

/**
 * Scores the classifier on `{"subject","body","label"}` lines. Without
 * `deps.classifier`, one is trained from `EXAMPLES_FILE` + `USER_EXAMPLES_FILE`.
 */
export async function evalClassify(
  path: string,
  deps: EvalDeps & { classifier?: Classifier },
): Promise<ClassifyEvalSummary> {
  const rows = await readJsonLines(path, exampleSchema);
  let classifier = deps.classifier;
  if (!classifier) {
    if (!deps.config) {
      throw new TypeError("evalClassify needs a classifier or a config");
    }
    classifier = createClassifier(
      await loadExamples([
        ...bundledExampleFiles(deps.config.EXAMPLES_FILE),
        deps.config.USER_EXAMPLES_FILE,
      ]),
    );
  }
  const confusion = Object.fromEntries(
    CATEGORIES.map((
      a,
    ) => [a, Object.fromEntries(CATEGORIES.map((b) => [b, 0]))]),
  ) as Record<Category, Record<Category, number>>;
  const bar = progressBar(deps.progress, rows.length, "classify");
  rows.forEach((r, i) => {
    const got =
      classifier.classify({ subject: r.subject, body: r.body }).category;
    confusion[r.label][got]++;
    bar.tick(i + 1);
  });
  bar.end();
  return summarizeConfusion(confusion);
}

/** Accuracy, per-class scores and macro-F1 from a confusion matrix. */
export function summarizeConfusion(
  confusion: Record<Category, Record<Category, number>>,
): ClassifyEvalSummary {
  let n = 0;
  let correct = 0;
  const per = {} as Record<Category, ClassScores>;
  for (const c of CATEGORIES) {
    const tp = confusion[c][c];
    let fp = 0;
    let fn = 0;
    for (const o of CATEGORIES) {
      n += confusion[c][o];
      if (o === c) continue;
      fp += confusion[o][c];
      fn += confusion[c][o];
    }
    correct += tp;
    const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
    const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
    const f1 = precision + recall > 0
      ? (2 * precision * recall) / (precision + recall)
      : 0;
    per[c] = {
      precision: round(precision),
      recall: round(recall),
      f1: round(f1),
    };
  }
  const present = CATEGORIES.filter((c) =>
    CATEGORIES.some((o) => confusion[c][o] + confusion[o][c] > 0)
  );
  const macro = present.reduce((s, c) => s + per[c].f1, 0) /
    Math.max(1, present.length);
  return {
    n,
    accuracy: round(n ? correct / n : 0),
    macro_f1: round(macro),
    per_class: per,
    confusion,
  };
}

/** The retrieval line schema: expected is a KB document id or a list of them. */
export const retrieveQuerySchema = z.object({
  query: z.string().min(1, "query must not be empty"),
  expected: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
});

/**
 * Scores retrieval on `{"query","expected"}` lines: hit@1, hit@3 and MRR
 * (over the top 10). With `kbDir`, a knowledge base is built from that
 * folder; otherwise `deps.retriever`, or the configured KNOWLEDGE_BASE_DIR.
 * Indexes are cached in `DATA_DIR`. The bundled word vectors are loaded
 * (as `serve` does); when EMBEDDING_MODEL is set (and no `embedder` is
 * given) the dense model is loaded too.
 */
export async function evalRetrieve(
  path: string,
  opts: { kbDir?: string | null },
  deps: EvalDeps & {
    retriever?: Retriever;
    embedder?: Embedder | null;
    cacheDir?: string;
    /** Word vectors for the semantic ranking; default the bundled file, null = BM25 only. */
    wordVectors?: WordVectors | null;
  },
): Promise<RetrieveEvalSummary> {
  const rows = await readJsonLines(path, retrieveQuerySchema);
  let retriever = opts.kbDir ? undefined : deps.retriever;
  let dispose: (() => Promise<void>) | null = null;
  if (!retriever) {
    const dir = opts.kbDir ?? deps.config?.KNOWLEDGE_BASE_DIR;
    const cacheDir = deps.cacheDir ?? deps.config?.DATA_DIR;
    if (!dir || !cacheDir) {
      throw new TypeError(
        "evalRetrieve needs a retriever, or a config / kbDir and cacheDir",
      );
    }
    let embedder = deps.embedder ?? null;
    const model = deps.config?.EMBEDDING_MODEL ?? null;
    if (deps.embedder === undefined && model) {
      const { createTransformersEmbedder } = await import(
        "../../pipeline/knowledge/transformers_embedder.ts"
      );
      const e = await createTransformersEmbedder(model, {
        cacheDir: `${cacheDir}/models`,
      });
      embedder = e;
      dispose = e.dispose;
    }
    const kb = createKnowledgeBase({
      dir,
      cacheDir,
      logger: deps.logger ?? silentLogger,
      embedder,
      embedderId: model ?? undefined,
      wordVectors: deps.wordVectors === undefined
        ? await loadWordVectors()
        : deps.wordVectors,
    });
    await kb.reindex();
    retriever = kb.retriever;
  }
  try {
    return await scoreRetrieval(rows, retriever, deps.progress);
  } finally {
    await dispose?.();
  }
}

async function scoreRetrieval(
  rows: Array<z.infer<typeof retrieveQuerySchema>>,
  retriever: Retriever,
  progress: ProgressSink | undefined,
): Promise<RetrieveEvalSummary> {
  let h1 = 0;
  let h3 = 0;
  let rr = 0;
  const bar = progressBar(progress, rows.length, "retrieve");
  for (const [i, r] of rows.entries()) {
    const expected = new Set(
      Array.isArray(r.expected) ? r.expected : [r.expected],
    );
    const hits = await retriever.search(r.query, 10);
    const rank = hits.findIndex((h) =>
      expected.has(h.docId) || expected.has(`${h.docId}#${h.id.split("#")[1]}`)
    );
    if (rank === 0) h1++;
    if (rank >= 0 && rank < 3) h3++;
    if (rank >= 0) rr += 1 / (rank + 1);
    bar.tick(i + 1);
  }
  bar.end();
  const n = rows.length;
  return {
    n,
    hit_at_1: round(n ? h1 / n : 0),
    hit_at_3: round(n ? h3 / n : 0),
    mrr: round(n ? rr / n : 0),
  };
}
