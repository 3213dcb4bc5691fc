/**
 * The account's own sent mail, seen in `history.list`: the agent's replies
 * (recorded when it sends them) change nothing, while a person's reply from
 * Gmail marks the thread as taken over (`store.threads`, the same mark the
 * dashboard sets) and resolves the thread's open review items at once,
 * without waiting for the customer to write again. A SENT message is never
 * processed as inbound mail.
 * @module
 */
import { isAgentMessageId } from "../mail/compose_reply.ts";
import {
  type Mailbox,
  MessageGoneError,
  type MessageRef,
  type Store,
} from "../ports.ts";
import { resolveThreadOnHumanReply } from "../dashboard/review_actions.ts";
import type { Account } from "../types.ts";
import { headerMessageId } from "./reply_match.ts";

/** True for a listed message the account sent that is not also inbound. */
export function isOwnSent(ref: MessageRef): boolean {
  const labels = ref.labelIds;
  return labels !== undefined && labels.includes("SENT") &&
    !labels.includes("INBOX");
}

/** What a sent message turned out to be. */
export type SentOutcome = "agent" | "person" | "seen" | "gone";

/**
 * Handles one SENT message. Free when the agent recorded it; otherwise one
 * `messages.get` (metadata: 20 units, 5 on the legacy cost table) reads its
 * Message-ID, so an agent
 * reply whose record was lost (a crash right after the send) or a draft
 * the agent wrote and a person sent is still known as the agent's.
 * Idempotent: a person's message is handled once.
 */
export async function noteSentMessage(
  ref: MessageRef,
  ctx: { account: Account; mailbox: Mailbox },
  deps: { store: Pick<Store, "threads" | "review" | "audit">; now: Date },
  /** The message's Message-ID when the caller already read it (no call). */
  known?: { messageId: string | null },
): Promise<SentOutcome> {
  const { account, mailbox } = ctx;
  const { threads } = deps.store;
  const recorded = await threads.sentBy(account.id, ref.id, deps.now);
  if (recorded === "agent") return "agent";
  if (recorded === "person") return "seen";
  let messageId: string | null;
  try {
    messageId = known
      ? known.messageId
      : mailbox.getMessageIdHeader
      ? await mailbox.getMessageIdHeader(ref.id)
      : headerMessageId((await mailbox.getRaw(ref.id)).raw);
  } catch (err) {
    // Deleted in Gmail before we could read it: nothing to tell.
    if (err instanceof MessageGoneError) return "gone";
    throw err;
  }
  if (isAgentMessageId(messageId)) {
    await threads.recordSent({
      accountId: account.id,
      gmailId: ref.id,
      by: "agent",
      at: deps.now,
    });
    return "agent";
  }
  await threads.markTakenOver(account.id, ref.threadId, deps.now);
  await resolveThreadOnHumanReply({
    accountId: account.id,
    threadId: ref.threadId,
    actor: "gmail",
    replyGmailId: ref.id,
    now: deps.now,
  }, { review: deps.store.review, audit: deps.store.audit });
  await threads.recordSent({
    accountId: account.id,
    gmailId: ref.id,
    by: "person",
    at: deps.now,
  });
  return "person";
}
