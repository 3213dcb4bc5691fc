/**
 * One email's plan, in three steps: read everything it needs
 * (`loadDecideContext`), decide with no I/O (`decide`), then let the
 * optional model rephrase an answer (`rewritePlan`). The worker (and its
 * retry after a conflict) and `simulate` all plan through here.
 * @module
 */
import { decide, type DecideConfig } from "./decide.ts";
import {
  type ContextStores,
  type LoadContextInput,
  loadDecideContext,
} from "./load_context.ts";
import type { Llm } from "../llm/llm_port.ts";
import type { Logger } from "../log.ts";
import type { Classifier, Retriever } from "../ports.ts";
import { rewritePlan } from "./rewrite_step.ts";
import type { ParsedEmail, Plan } from "../types.ts";

/** The understanding parts of planning: classifier, retriever, settings, model. */
export interface PlanServices {
  classifier: Classifier;
  retriever: Retriever;
  config: DecideConfig;
  /** Optional model that may rephrase grounded answers (never invents them). */
  llm?: Llm | null;
}

/** What `planEmail` needs. */
export interface PlanDeps extends PlanServices {
  store: ContextStores;
  logger?: Logger;
}

/** Loads the email's context, decides, and rewrites the answer if a model is set. */
export async function planEmail(
  email: ParsedEmail,
  input: LoadContextInput,
  deps: PlanDeps,
): Promise<Plan> {
  const ctx = await loadDecideContext(email, input, deps);
  const plan = await decide(email, ctx, deps);
  return await rewritePlan(plan, email, {
    llm: deps.llm,
    signature: deps.config.answer.signature,
    logger: deps.logger,
  });
}
