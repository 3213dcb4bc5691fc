/**
 * A message that keeps failing for a non-transient reason (a bug, a
 * malformed message the pipeline cannot handle) must not hold the sync
 * cursor back forever. After a few failed cycles it is handed to a person
 * (review queue, reason `processing_failed`) and marked done with the error.
 * Transient mailbox failures (`MailError.transient`: rate limits, outages,
 * network) never count.
 * @module
 */
import { isTransientMailError, type MessageRef, type Store } from "../ports.ts";
import type { Account } from "../types.ts";

/**
 * The back-off before a failed email is claimed again: `baseMs` after its
 * first failure, doubled with each further one (`retries` failures before
 * this one), at most `maxMs`.
 */
export function retryBackoff(
  retries: number,
  o: { baseMs: number; maxMs: number },
): number {
  const n = Math.max(0, Math.min(retries, 30));
  return Math.min(o.maxMs, o.baseMs * 2 ** n);
}

/** Default failed cycles before a message is handed to a person. */
export const DEFAULT_MAX_MESSAGE_FAILURES = 5;

/**
 * Counts a failure of `ref`; returns "gave_up" when the message was handed
 * to review and marked done, else "retry".
 */
export async function recordMessageFailure(
  ref: MessageRef,
  account: Account,
  err: unknown,
  deps: { store: Store; now: Date; maxFailures: number },
): Promise<"retry" | "gave_up"> {
  if (isTransientMailError(err)) return "retry";
  const { store, now } = deps;
  const n = await store.failures.increment({
    accountId: account.id,
    gmailId: ref.id,
    at: now,
  });
  if (n < deps.maxFailures) return "retry";
  const entry = await store.ledger.get(account.id, ref.id);
  if (entry === null || entry.state === "done") return "retry";
  // A reply may already be out: never hand a sent message back as unanswered.
  const reason = entry.state === "sent" ? "finish_failed" : "processing_failed";
  await store.review.add({
    accountId: account.id,
    gmailId: ref.id,
    threadId: entry.threadId,
    sender: entry.senderAddress ?? "(unknown sender)",
    subject: entry.subject ?? "(could not be read)",
    excerpt: "",
    category: entry.decision?.category ?? "Other",
    importance: 3,
    importanceReasons: [],
    reason,
  }, now);
  const message = err instanceof Error ? err.message : String(err);
  await store.ledger.markDone(
    account.id,
    ref.id,
    now,
    `${reason} after ${n} attempts: ${message.slice(0, 200)}`,
  );
  return "gave_up";
}
