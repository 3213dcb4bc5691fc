/**
 * The `poll --once` summary and how one processed email counts in it. A
 * reply or draft counts only when this cycle made it: a retry that found
 * the reply an earlier attempt already sent (a recovered send) is fetched,
 * not replied.
 * @module
 */
import type { Decision } from "../types.ts";

/** The `poll --once` summary (docs/cli.md, "Command line"). */
export interface PollSummary {
  accounts: number;
  fetched: number;
  replied: number;
  drafted: number;
  queued: number;
  ignored: number;
  errors: number;
}

/** An all-zero summary. */
export function emptySummary(): PollSummary {
  return {
    accounts: 0,
    fetched: 0,
    replied: 0,
    drafted: 0,
    queued: 0,
    ignored: 0,
    errors: 0,
  };
}

/** The field-wise sum of two summaries. */
export function addSummaries(a: PollSummary, b: PollSummary): PollSummary {
  return {
    accounts: a.accounts + b.accounts,
    fetched: a.fetched + b.fetched,
    replied: a.replied + b.replied,
    drafted: a.drafted + b.drafted,
    queued: a.queued + b.queued,
    ignored: a.ignored + b.ignored,
    errors: a.errors + b.errors,
  };
}

/**
 * Counts one processed email; `sent` tells whether this attempt sent (or
 * drafted) its reply.
 */
export function countProcessed(
  s: PollSummary,
  d: Decision,
  sent: boolean,
): void {
  s.fetched++;
  if (d.action === "reply") {
    if (sent) s.replied++;
  } else if (d.action === "draft") {
    if (sent) s.drafted++;
  } else if (d.action === "review") s.queued++;
  else s.ignored++;
}
