/**
 * The answer-correctness measure: runs the real `answerQuestion` over the
 * bundled knowledge base for each `{question, expect, source}` line, and
 * counts the answered replies that hold every expected substring.
 * @module
 */
import { z } from "zod";
import {
  type AnswerConfig,
  answerQuestion,
} from "../pipeline/answer/answer_question.ts";
import type { Retriever } from "../pipeline/ports.ts";
import type { ParsedEmail } from "../pipeline/types.ts";
import { textEmail } from "./text_email.ts";

const Row = z.object({
  question: z.string().min(1),
  expect: z.array(z.string().min(1)).min(1),
  source: z.string().regex(/^knowledge_base\/[\w.-]+#[\w-]+$/),
});
/** One line of an answer-facts file. */
export type FactRow = z.infer<typeof Row>;

/** Reads and validates an answer-facts JSONL file. */
export async function readFactRows(path: string): Promise<FactRow[]> {
  const lines = (await Deno.readTextFile(path)).split("\n");
  const rows: FactRow[] = [];
  lines.forEach((l, i) => {
    if (!l.trim()) return;
    const r = Row.safeParse(JSON.parse(l));
    if (!r.success) {
      throw new Error(`${path}:${i + 1}: ${r.error.issues[0]?.message}`);
    }
    rows.push(r.data);
  });
  return rows;
}

/** A test email from a customer, the question as its whole body. */
export function factEmail(text: string): ParsedEmail {
  return textEmail(text, {
    id: "e",
    threadId: "e",
    from: { address: "customer@example.com", name: "Sam Lee" },
  });
}

/** The outcome of one row. */
export interface FactCase {
  question: string;
  outcome: "correct" | "wrong" | "review";
  missing: string[];
  reply: string;
}

/** The summary the eval prints. */
export interface FactSummary {
  n: number;
  answered: number;
  fact_correct: number;
  wrong_answers: number;
  review: number;
}

/** Runs every row through `answerQuestion` and scores the replies. */
export async function runAnswerFacts(
  rows: FactRow[],
  deps: { retriever: Retriever; config: AnswerConfig },
): Promise<{ summary: FactSummary; cases: FactCase[] }> {
  const cases: FactCase[] = [];
  for (const row of rows) {
    const r = await answerQuestion(factEmail(row.question), deps);
    if (!r.ok) {
      cases.push({
        question: row.question,
        outcome: "review",
        missing: row.expect,
        reply: "",
      });
      continue;
    }
    const missing = row.expect.filter((e) => !r.reply.includes(e));
    cases.push({
      question: row.question,
      outcome: missing.length === 0 ? "correct" : "wrong",
      missing,
      reply: r.reply,
    });
  }
  const answered = cases.filter((c) => c.outcome !== "review").length;
  const correct = cases.filter((c) => c.outcome === "correct").length;
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  return {
    cases,
    summary: {
      n: rows.length,
      answered,
      fact_correct: answered ? round(correct / answered) : 0,
      wrong_answers: answered - correct,
      review: rows.length ? round((rows.length - answered) / rows.length) : 0,
    },
  };
}
