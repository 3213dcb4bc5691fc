/**
 * PLACEHOLDER (owned by the understanding work): grounded, extractive answers.
 * @module
 */
import type { Retriever } from "../ports.ts";
import type { ParsedEmail } from "../types.ts";

/** Settings of `answerQuestion`. */
export interface AnswerConfig {
  answerThreshold: number;
  signature: string;
  shopName: string;
}

/** An answer, or why there is none. */
export type AnswerResult =
  | { ok: true; reply: string; sources: string[]; confidence: number }
  | { ok: false; reason: "no_kb_match"; sources: string[]; confidence: number };

/** Answers a question from the knowledge base, or says it cannot. */
export function answerQuestion(
  email: ParsedEmail,
  deps: { retriever: Retriever; config: AnswerConfig },
): Promise<AnswerResult> {
  void email;
  void deps;
  return Promise.resolve({
    ok: false,
    reason: "no_kb_match",
    sources: [],
    confidence: 0,
  });
}
