/**
 * Classifier and retriever for the Gmail end-to-end tests: a tiny
 * deterministic pair implementing the ports.
 * @module
 */
import type {
  Classification,
  Classifier,
  RetrievedSection,
  Retriever,
} from "../../pipeline/ports.ts";

/** Keyword classifier: refund words → Refund, a question → Question, else Other. */
export const keywordClassifier = {
  classify({ subject, body }): Classification {
    const t = `${subject}\n${body}`.toLowerCase();
    const category = /refund|money back|return my/.test(t)
      ? "Refund"
      : /\?|how |where |when /.test(t)
      ? "Question"
      : "Other";
    const scores = { Question: 0.05, Refund: 0.05, Other: 0.05 };
    scores[category] = 0.9;
    return { category, confidence: 0.9, scores };
  },
} satisfies Classifier;

const SHIPPING: RetrievedSection = {
  id: "knowledge_base/shipping.md#delivery-times",
  docId: "shipping.md",
  title: "Shipping",
  heading: "Delivery times",
  text: "Standard delivery takes 3 to 5 business days.",
  score: 0.9,
};

/** Returns the shipping section for shipping questions, nothing otherwise. */
export const keywordRetriever = {
  search(query: string, k: number): Promise<RetrievedSection[]> {
    return Promise.resolve(
      /ship|deliver/i.test(query) ? [SHIPPING].slice(0, k) : [],
    );
  },
} satisfies Retriever;

/** The classifier and retriever the e2e tests use. */
export function understandingForTests(): Promise<
  { classifier: Classifier; retriever: Retriever }
> {
  return Promise.resolve({
    classifier: keywordClassifier,
    retriever: keywordRetriever,
  });
}
