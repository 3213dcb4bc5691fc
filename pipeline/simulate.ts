/**
 * `simulate`: the whole decision pipeline on one raw message, with nothing
 * sent and nothing stored. The plan's effects are returned, not applied.
 * @module
 */
import { decide, type DecideDeps } from "./decide.ts";
import { parseEmail } from "./parse_email.ts";
import type { Account, Plan } from "./types.ts";

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

/** Runs parse → decide on `raw` and returns the plan. */
export async function simulate(
  raw: Uint8Array,
  ctx: { account: Account | null; now: Date },
  deps: DecideDeps,
): Promise<Plan> {
  const email = await parseEmail(raw, {
    id: "simulated",
    threadId: "simulated",
    labelIds: ["INBOX"],
  });
  const account = ctx.account ?? simulatedAccount(ctx.now);
  return await decide(email, {
    account,
    thread: { humanTakeover: false, threadTexts: [] },
    now: ctx.now,
  }, deps);
}
