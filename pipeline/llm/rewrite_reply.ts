/**
 * The optional LLM step of a question's reply: the model rephrases the
 * sentences the extractive answer quoted, `rewriteAnswer` verifies the text,
 * and the reply is rebuilt with the same template (greeting, text, sources,
 * the "human" line, signature). On any failure the caller keeps the
 * extractive reply.
 * @module
 */
import { extractAsks } from "../answer/asks.ts";
import { greeting, renderAnswer } from "../answer/answer_template.ts";
import type { ParsedEmail } from "../types.ts";
import { type Logger, silentLogger } from "../log.ts";
import { rewriteAnswer } from "./grounded_rewrite.ts";
import type { Llm } from "./llm_port.ts";

/** Input of `rewriteReply`: the email and what the extractive answer used. */
export interface RewriteReplyInput {
  email: ParsedEmail;
  /** The quoted knowledge-base sentences, one paragraph per ask. */
  paragraphs: string[][];
  /** Titles of the answer's sources, as in the extractive reply. */
  sourceTitles: string[];
  /** The configured signature (SIGNATURE). */
  signature: string;
}

/** A rebuilt reply, or why the extractive one stays (a code). */
export type RewriteReplyResult =
  | { ok: true; reply: string }
  | { ok: false; reason: string };

/** The first name the template greets by, or null. */
export function customerFirstName(email: ParsedEmail): string | null {
  return /^Hi (.+),$/.exec(greeting(email.from))?.[1] ?? null;
}

/** Rewrites the answer with the model and rebuilds the reply; see the module doc. */
export async function rewriteReply(
  input: RewriteReplyInput,
  deps: { llm: Llm; logger?: Logger },
): Promise<RewriteReplyResult> {
  const { email } = input;
  const asks = extractAsks(email.subject, email.cleanText || email.text);
  const result = await rewriteAnswer({
    question: asks.length > 0 ? asks.join("\n") : email.subject,
    customerName: customerFirstName(email),
    facts: input.paragraphs.flat(),
  }, { llm: deps.llm });
  const log = deps.logger ?? silentLogger;
  if (!result.ok) {
    log.info("llm rewrite not used", {
      gmailId: email.id,
      outcome: result.reason,
    });
    return result;
  }
  log.debug("llm rewrite used", { gmailId: email.id });
  return {
    ok: true,
    reply: renderAnswer({
      from: email.from,
      paragraphs: [[result.text]],
      sourceTitles: input.sourceTitles,
      signature: input.signature,
    }),
  };
}
