/**
 * What a person's reply does to the review queue. When someone answers a
 * thread by hand (from Gmail, or from the dashboard), its open review items
 * are resolved and an audit event is written, and the thread is marked as
 * taken over (`store.threads.markTakenOver`, by the caller). From then on
 * the context loader reads that mark and passes `humanTakeover = true` to
 * `decide()`, which keeps the agent out of that thread (every later email
 * goes to review as `human_takeover`).
 * @module
 */
import type { AuditStore, ReviewStore } from "../ports.ts";

/** Input of `resolveThreadOnHumanReply`. */
export interface HumanReplyInput {
  accountId: string;
  threadId: string;
  /** Who replied: an admin user name, or "gmail" for a reply sent in Gmail. */
  actor: string;
  /** The Gmail id of the person's reply, when known (kept in the audit). */
  replyGmailId?: string | null;
  now: Date;
}

/**
 * Resolves the thread's open review items (a note is added when the item
 * has none) and audits it. Idempotent: a second call finds nothing open.
 * Returns how many items it resolved.
 */
export async function resolveThreadOnHumanReply(
  input: HumanReplyInput,
  deps: {
    review: Pick<ReviewStore, "openForThread" | "update">;
    audit: Pick<AuditStore, "add">;
  },
): Promise<number> {
  const open = await deps.review.openForThread(input.accountId, input.threadId);
  for (const item of open) {
    await deps.review.update(item.id, {
      status: "resolved",
      ...(item.note ? {} : { note: `Answered by ${input.actor}` }),
    }, input.now);
  }
  if (open.length > 0) {
    await deps.audit.add({
      at: input.now,
      actor: input.actor,
      action: "review.resolved_by_reply",
      target: `${input.accountId}/${input.threadId}`,
      detail: {
        items: open.map((i) => i.id),
        replyGmailId: input.replyGmailId ?? null,
      },
    });
  }
  return open.length;
}
