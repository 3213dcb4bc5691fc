/**
 * Retention: finished ledger entries (the activity log, with their sender
 * and time indexes) and audit events older than `RETENTION_DAYS`, and
 * sent-reply markers past their own retention, are deleted by a daily job. The review queue and refund cases are kept: they
 * are a person's work, not a record of processing. A pruned message is not
 * processed again: Gmail keeps its `Agent/Processed` label, which every
 * full sync excludes, and history never lists it again.
 * @module
 */
import type { Store } from "../ports.ts";

/** When the daily prune runs (`Deno.cron`, UTC): 03:17. */
export const PRUNE_SCHEDULE = "17 3 * * *";

/** How many records one store call deletes. */
const BATCH = 500;

/** What one prune deleted. */
export interface PruneResult {
  ledger: number;
  audit: number;
  /** Sent-reply markers past their own retention (SENT_REPLY_MARKER_DAYS). */
  sentMarkers: number;
}

/**
 * Deletes the records older than `retentionDays` before `now`, batch by
 * batch, until none is left.
 */
export async function pruneOldRecords(
  store: Pick<Store, "ledger" | "audit" | "threads">,
  opts: { now: Date; retentionDays: number },
): Promise<PruneResult> {
  const before = new Date(opts.now.getTime() - opts.retentionDays * 86_400_000);
  const out: PruneResult = { ledger: 0, audit: 0, sentMarkers: 0 };
  for (;;) {
    const n = await store.ledger.prune(before, BATCH);
    out.ledger += n;
    if (n < BATCH) break;
  }
  for (;;) {
    const n = await store.audit.prune(before, BATCH);
    out.audit += n;
    if (n < BATCH) break;
  }
  for (;;) {
    // Their retention is their own: expired now, whatever RETENTION_DAYS.
    const n = await store.threads.pruneSent(opts.now, BATCH);
    out.sentMarkers += n;
    if (n < BATCH) break;
  }
  return out;
}
