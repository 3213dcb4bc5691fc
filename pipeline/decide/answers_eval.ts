/**
 * The `eval answers` check of one email line, shared by the CLI
 * (`app/cli/eval_answers.ts`) and the Knowledge page: each line
 * (`{"id","subject"?,"body","expect":"answer"|"person","facts"?}`) goes
 * through what `decide` does with a question: classify, no person asked
 * for, then (`question_route.ts`) a sure Question, or an Other or unsure
 * email that asks something, is answered from the knowledge base or left
 * to a person; a Refund takes its own flow and is never answered here. A sent answer is right when it
 * contains one of `facts` (case-insensitive, whitespace runs as one space).
 * @module
 */
import { z } from "zod";
import { answerQuestion } from "../answer/answer_question.ts";
import { cleanBody } from "../mail/clean_body.ts";
import { textEmail } from "../mail/text_email.ts";
import type { Classifier, Retriever } from "../ports.ts";
import { asksForHuman } from "./decide.ts";
import { questionRoute } from "./question_route.ts";

/** One line of an answers file. */
export const answerLineSchema = z.object({
  id: z.string().min(1, "id must not be empty"),
  subject: z.string().optional(),
  body: z.string().min(1, "body must not be empty"),
  expect: z.enum(["answer", "person"]),
  facts: z.array(z.string().min(1)).optional(),
}).refine(
  (l) => l.expect === "person" || (l.facts?.length ?? 0) > 0,
  'an "expect":"answer" line needs "facts"',
);
/** A parsed line of an answers file. */
export type AnswerLine = z.infer<typeof answerLineSchema>;

/** The `eval answers` summary (docs/cli.md, "Command line"); shares are 0–1. */
export interface AnswersEvalSummary {
  n: number;
  covered: number;
  /** Right answers / covered lines. */
  answered_right: number;
  /** Wrong answers / answers sent on covered lines. */
  answered_wrong: number;
  uncovered: number;
  /** Answers sent / uncovered lines. */
  uncovered_answered: number;
}

/** What happened to one line. */
export interface AnswerCase {
  id: string;
  expect: "answer" | "person";
  sent: boolean;
  /** For a sent answer to a covered line: whether it holds a fact. */
  right: boolean | null;
  reason: string;
  reply: string | null;
}

/** The thresholds and words a line is decided with (the agent's `Config` fits). */
export interface AnswerLineConfig {
  CLASSIFY_THRESHOLD: number;
  ANSWER_THRESHOLD: number;
  SIGNATURE: string;
  SHOP_NAME: string;
}

/** How replies and facts are compared: lower case, whitespace runs as one space. */
export function normalizeFact(text: string): string {
  return text.toLowerCase().replace(/\s+/g, " ").trim();
}

const round = (x: number) => Math.round(x * 10000) / 10000;

/** The summary of the outcomes. */
export function summarizeAnswers(cases: AnswerCase[]): AnswersEvalSummary {
  const covered = cases.filter((c) => c.expect === "answer");
  const uncovered = cases.filter((c) => c.expect === "person");
  const sent = covered.filter((c) => c.sent);
  const right = sent.filter((c) => c.right).length;
  const share = (a: number, b: number) => round(b ? a / b : 0);
  return {
    n: cases.length,
    covered: covered.length,
    answered_right: share(right, covered.length),
    answered_wrong: share(sent.length - right, sent.length),
    uncovered: uncovered.length,
    uncovered_answered: share(
      uncovered.filter((c) => c.sent).length,
      uncovered.length,
    ),
  };
}

/** Decides one line as `decide` would for a question; returns its outcome. */
export async function answerLine(
  line: AnswerLine,
  deps: {
    classifier: Classifier;
    retriever: Retriever;
    config: AnswerLineConfig;
  },
): Promise<AnswerCase> {
  const body = cleanBody(line.body).text;
  const subject = line.subject ?? "";
  const base = { id: line.id, expect: line.expect, right: null, reply: null };
  const c = deps.classifier.classify({ subject, body });
  if (asksForHuman(body)) {
    return { ...base, sent: false, reason: "human_requested" };
  }
  const route = questionRoute(c, deps.config.CLASSIFY_THRESHOLD, {
    subject,
    body,
  });
  const notSent = route.route === "question"
    ? "no_kb_match"
    : c.category === "Question"
    ? route.reason
    : `classified_${c.category}`;
  if (route.route === null) return { ...base, sent: false, reason: notSent };
  const email = textEmail(body, {
    id: line.id,
    threadId: line.id,
    subject,
    text: line.body,
    from: { address: "customer@example.com", name: "" },
  });
  const r = await answerQuestion(email, {
    retriever: deps.retriever,
    config: {
      answerThreshold: deps.config.ANSWER_THRESHOLD,
      signature: deps.config.SIGNATURE,
      shopName: deps.config.SHOP_NAME,
    },
  });
  if (!r.ok) return { ...base, sent: false, reason: notSent };
  const reply = normalizeFact(r.reply);
  const right = line.expect === "answer"
    ? (line.facts ?? []).some((f) => reply.includes(normalizeFact(f)))
    : null;
  return { ...base, sent: true, right, reason: "answered", reply: r.reply };
}
