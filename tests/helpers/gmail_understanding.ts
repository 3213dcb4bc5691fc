/**
 * Classifier and retriever for the Gmail end-to-end tests: the real ones
 * (the classifier trained on the bundled examples, from the test cache of
 * `test_classifier.ts`; BM25 over the bundled knowledge base), built once
 * per test process.
 * @module
 */
import { silentLogger } from "../../app/ops/logger.ts";
import { testClassifier } from "./test_classifier.ts";
import { createKnowledgeBase } from "../../pipeline/knowledge/knowledge_base.ts";
import type { Classifier, Retriever } from "../../pipeline/ports.ts";

const ROOT = new URL("../../", import.meta.url);

let built: Promise<{ classifier: Classifier; retriever: Retriever }> | null =
  null;

async function build(): Promise<
  { classifier: Classifier; retriever: Retriever }
> {
  const classifier = await testClassifier();
  const cacheDir = await Deno.makeTempDir({ prefix: "gmail_e2e_kb_" });
  try {
    const kb = createKnowledgeBase({
      dir: new URL("knowledge_base", ROOT).pathname,
      cacheDir,
      logger: silentLogger,
    });
    await kb.reindex();
    return { classifier, retriever: kb.retriever };
  } finally {
    await Deno.remove(cacheDir, { recursive: true });
  }
}

/** The real classifier and retriever (trained and indexed once). */
export function understandingForTests(): Promise<
  { classifier: Classifier; retriever: Retriever }
> {
  return built ??= build();
}
