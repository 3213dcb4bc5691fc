/**
 * Builds the understanding parts from the configuration: the classifier
 * (trained at startup from the bundled and the user's labelled examples, or
 * loaded from its cache in DATA_DIR when they did not change:
 * `classifier_cache.ts`) and
 * the knowledge base (BM25 fused with the bundled word vectors, plus dense
 * embeddings when EMBEDDING_MODEL is set).
 * @module
 */
import { join } from "node:path";
import type { Config } from "./config.ts";
import type { Logger } from "./ops/logger.ts";
import type { TrainedClassifier } from "../pipeline/classify/classifier.ts";
import { trainOrLoadClassifier } from "./classifier_cache.ts";
import {
  bundledExampleFiles,
  loadExamples,
} from "../pipeline/classify/examples.ts";
import {
  createKnowledgeBase,
  type KnowledgeBase,
} from "../pipeline/knowledge/knowledge_base.ts";
import type { Classifier, Clock, Embedder } from "../pipeline/ports.ts";
import {
  loadWordVectors,
  type WordVectors,
} from "../pipeline/knowledge/word_vectors.ts";

export type { KnowledgeBase };

/** The classifier and the knowledge base. */
export interface Understanding {
  /** Usable once `ready()` has resolved. */
  classifier: Classifier;
  knowledge: KnowledgeBase;
  /** The bundled word vectors (read from the repository file at startup). */
  wordVectors: WordVectors;
  /** Trains the classifier and builds the first index (once); resolves when both are done. */
  ready(): Promise<void>;
}

/**
 * Creates the classifier and the knowledge base. Training and indexing run
 * on the first `ready()`, so the server can listen at once.
 */
export async function buildUnderstanding(
  config: Config,
  opts: { logger: Logger; clock: Clock; embedder?: Embedder | null },
): Promise<Understanding> {
  const embedder = opts.embedder !== undefined
    ? opts.embedder
    : config.EMBEDDING_MODEL
    ? await loadEmbedder(
      config.EMBEDDING_MODEL,
      join(config.DATA_DIR, "models"),
    )
    : null;
  const started = performance.now();
  const wordVectors = await loadWordVectors();
  opts.logger.info("word vectors loaded", {
    words: wordVectors.size,
    ms: Math.round(performance.now() - started),
  });
  const knowledge = createKnowledgeBase({
    dir: config.KNOWLEDGE_BASE_DIR,
    cacheDir: config.DATA_DIR,
    wordVectors,
    embedder,
    embedderId: config.EMBEDDING_MODEL ?? undefined,
    logger: opts.logger,
    clock: opts.clock,
  });
  let trained: TrainedClassifier | null = null;
  const classifier: Classifier = {
    classify(input) {
      if (!trained) {
        throw new Error(
          "the classifier is not trained yet: await ready() first",
        );
      }
      return trained.classify(input);
    },
  };
  const train = async () => {
    const examples = await loadExamples([
      ...bundledExampleFiles(config.EXAMPLES_FILE),
      config.USER_EXAMPLES_FILE,
    ]);
    const t0 = performance.now();
    const { classifier: c, cached } = await trainOrLoadClassifier(examples, {
      cacheDir: config.DATA_DIR,
      logger: opts.logger,
    });
    trained = c;
    opts.logger.info(cached ? "classifier loaded" : "classifier trained", {
      examples: c.info.examples,
      ms: Math.round(performance.now() - t0),
    });
  };
  const index = async () => {
    await knowledge.reindex();
  };
  let first: Promise<void> | null = null;
  return {
    classifier,
    knowledge,
    wordVectors,
    ready: () => first ??= train().then(index),
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
