/**
 * The optional LLM step after `decide()`: with a model configured, an
 * answered question's reply may be rephrased (`rewriteReply`); the model's
 * text is used only when every sentence checks out against the quoted
 * facts. Its own failure path: whatever goes wrong here (a refusal, an
 * outage, a bug) keeps the extractive reply and never fails the email.
 * @module
 */
import type { DecidedPlan } from "./decide.ts";
import type { Llm } from "../llm/llm_port.ts";
import { rewriteReply } from "../llm/rewrite_reply.ts";
import { type Logger, silentLogger } from "../log.ts";
import type { ParsedEmail, Plan } from "../types.ts";

/** What the rewrite step needs. */
export interface RewriteStepDeps {
  /** The model; null or absent: the step changes nothing. */
  llm?: Llm | null;
  /** The configured signature (SIGNATURE). */
  signature: string;
  logger?: Logger;
}

/** The plan with its reply rephrased when the model's text checks out. */
export async function rewritePlan(
  plan: DecidedPlan,
  email: ParsedEmail,
  deps: RewriteStepDeps,
): Promise<Plan> {
  const { answer, ...decided } = plan;
  if (!deps.llm || !answer || decided.decision.reply === null) return decided;
  const log = deps.logger ?? silentLogger;
  try {
    const r = await rewriteReply({
      email,
      paragraphs: answer.paragraphs,
      sourceTitles: answer.sourceTitles,
      signature: deps.signature,
    }, { llm: deps.llm, logger: log });
    if (!r.ok) return decided;
    return { ...decided, decision: { ...decided.decision, reply: r.reply } };
  } catch (err) {
    log.warn("llm rewrite failed; the extractive reply is kept", {
      gmailId: email.id,
      error: err,
    });
    return decided;
  }
}
