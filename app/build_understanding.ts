/**
 * Builds the understanding parts from the configuration: the classifier
 * (trained at startup from the bundled and the user's labelled examples) and
 * the knowledge base (BM25, plus dense embeddings when EMBEDDING_MODEL is set).
 * @module
 */
import { join } from "node:path";
import type { Config } from "../config/config.ts";
import type { Logger } from "../ops/logger.ts";
import {
  createClassifier,
  type TrainedClassifier,
} from "../pipeline/classify/classifier.ts";
import { loadExamples } from "../pipeline/classify/examples.ts";
import {
  createKnowledgeBase,
  type KnowledgeBase,
} from "../pipeline/knowledge/knowledge_base.ts";
import type { Clock, Embedder } from "../pipeline/ports.ts";

export type { KnowledgeBase };

/** The classifier and the knowledge base. */
export interface Understanding {
  classifier: TrainedClassifier;
  knowledge: KnowledgeBase;
  /** Resolves when the first index build is done (started on first call). */
  ready(): Promise<void>;
}

/** Trains the classifier and creates the knowledge base (built lazily). */
export async function buildUnderstanding(
  config: Config,
  opts: { logger: Logger; clock: Clock; embedder?: Embedder | null },
): Promise<Understanding> {
  const examples = await loadExamples([
    config.EXAMPLES_FILE,
    config.USER_EXAMPLES_FILE,
  ]);
  const classifier = createClassifier(examples);
  opts.logger.info("classifier trained", {
    examples: classifier.info.examples,
    ms: Math.round(classifier.info.trainMs),
  });
  const embedder = opts.embedder !== undefined
    ? opts.embedder
    : config.EMBEDDING_MODEL
    ? await loadEmbedder(
      config.EMBEDDING_MODEL,
      join(config.DATA_DIR, "models"),
    )
    : null;
  const knowledge = createKnowledgeBase({
    dir: config.KNOWLEDGE_BASE_DIR,
    cacheDir: config.DATA_DIR,
    embedder,
    embedderId: config.EMBEDDING_MODEL ?? undefined,
    logger: opts.logger,
    clock: opts.clock,
  });
  let first: Promise<void> | null = null;
  return {
    classifier,
    knowledge,
    ready: () =>
      first ??= knowledge.reindex().then((r) => {
        opts.logger.info("knowledge base indexed", { ...r });
      }),
  };
}

async function loadEmbedder(
  model: string,
  cacheDir: string,
): Promise<Embedder> {
  const { createTransformersEmbedder } = await import(
    "../pipeline/knowledge/transformers_embedder.ts"
  );
  return await createTransformersEmbedder(model, { cacheDir });
}
