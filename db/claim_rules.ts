/**
 * The claim rules of the ledger, shared by both backends' reads (the
 * Postgres claim applies the same rules in SQL): an unfinished entry may be
 * claimed by the attempt that holds it; when released, once its back-off is
 * over; with a held lease, from any other attempt (which cannot hold the
 * lease); else once its claim is stale.
 * @module
 */
import type { ClaimerInput, ClaimStatus } from "../pipeline/ports.ts";
import type { LedgerEntry } from "../pipeline/types.ts";

/** True when the unfinished entry `e` may be claimed by `input`'s attempt. */
export function claimable(e: LedgerEntry, input: ClaimerInput): boolean {
  if (e.claimedBy === input.workerId) return true;
  const now = input.now.getTime();
  if (e.claimedBy === null) return (e.retryAt?.getTime() ?? 0) <= now;
  if (input.lease !== undefined) return true;
  return now - e.claimedAt.getTime() >= input.staleAfterMs;
}

/** What a claim of `e` by `input`'s attempt would do. */
export function claimStatus(
  e: LedgerEntry | null,
  input: ClaimerInput,
): ClaimStatus {
  if (e === null) return "new";
  if (e.state === "done") return "done";
  return claimable(e, input) ? "claimable" : "busy";
}
