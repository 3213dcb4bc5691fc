/**
 * CLI `poll --once`: one polling cycle over every active account. Returns
 * the summary line of docs/cli.md, "Command line", with exactly its keys in
 * its order; `main.ts` prints it.
 * @module
 */
import type { PollSummary, Worker } from "../../pipeline/worker/worker.ts";

/** Runs one cycle and returns `{accounts, fetched, replied, drafted, queued, ignored, errors}`. */
export async function pollCommand(
  worker: Pick<Worker, "pollOnce">,
): Promise<PollSummary> {
  const s = await worker.pollOnce();
  // Exactly the contract's keys, in the contract's order.
  return {
    accounts: s.accounts,
    fetched: s.fetched,
    replied: s.replied,
    drafted: s.drafted,
    queued: s.queued,
    ignored: s.ignored,
    errors: s.errors,
  };
}
