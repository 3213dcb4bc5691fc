/**
 * `simulate`: the whole decision pipeline on one raw message, with nothing
 * sent and nothing stored. The plan's effects are returned, not applied.
 * @module
 */
import { parseEmail } from "../mail/parse_email.ts";
import { type PlanDeps, planEmail } from "./plan_email.ts";
import type { Account, Plan } from "../types.ts";

/** The account a simulation pretends to be, when none is given. */
export function simulatedAccount(now: Date): Account {
  return {
    id: "simulate",
    email: "support@localhost",
    status: "active",
    statusReason: null,
    replyMode: null,
    sandbox: false,
    createdAt: now,
    lastSyncAt: null,
    lastError: null,
  };
}

/**
 * Runs parse → load → decide → rewrite on `raw` and returns the plan. The
 * store is only read (orders, refund cases, the sender's history).
 */
export async function simulate(
  raw: Uint8Array,
  ctx: { account: Account | null; now: Date },
  deps: PlanDeps,
): Promise<Plan> {
  const email = await parseEmail(raw, {
    id: "simulated",
    threadId: "simulated",
    labelIds: ["INBOX"],
  });
  const account = ctx.account ?? simulatedAccount(ctx.now);
  return await planEmail(email, {
    account,
    now: ctx.now,
    thread: { humanTakeover: false, threadTexts: [] },
  }, deps);
}
