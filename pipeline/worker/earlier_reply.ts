/**
 * A retry's look for the reply an earlier attempt already made, so a crash
 * between send (or draft) and `markSent` never gives the customer a second
 * one. First `rfc822msgid:` with the reply's recorded Message-ID
 * (`messages.list`, 5 units). If nothing has it (a provider that replaced
 * our Message-ID) and the original has a Message-ID, one `threads.get`
 * (metadata: 40 units, 10 on the legacy cost table) looks for a message of the thread that replies to
 * the original (`In-Reply-To`) and is labelled SENT (auto mode) or DRAFT
 * or SENT (draft mode). Only retries call this: a first attempt costs
 * nothing.
 *
 * A person's own reply to the same email, sent from Gmail, counts as
 * "already answered" too: the customer is never answered twice. It is not
 * recorded as the agent's; the sync's SENT handling (sent_messages.ts)
 * marks it as the person's takeover when history shows it.
 * @module
 */
import type { Mailbox, ThreadStateStore } from "../ports.ts";
import type { ParsedEmail } from "../types.ts";
import { repliesTo, sameAutoSubmitted } from "./reply_match.ts";

/** A reply found in Gmail; `ours` when the agent made it. */
export interface EarlierReply {
  id: string;
  ours: boolean;
}

/** What `findEarlierReplies` needs. */
export interface EarlierReplyDeps {
  accountId: string;
  mailbox: Pick<Mailbox, "findByMessageId" | "getThread">;
  threads: Pick<ThreadStateStore, "sentBy">;
  /** Now, for the sent-reply markers' expiry. */
  now: Date;
}

/**
 * The replies already made to `original` for this retry: by the recorded
 * Message-ID `replyId`, else by the thread's In-Reply-To. Empty: none.
 */
export async function findEarlierReplies(
  original: ParsedEmail,
  replyId: string,
  action: "reply" | "draft",
  deps: EarlierReplyDeps,
): Promise<EarlierReply[]> {
  const byId = await deps.mailbox.findByMessageId(replyId);
  if (byId.length > 0) return byId.map((m) => ({ id: m.id, ours: true }));
  const getThread = deps.mailbox.getThread?.bind(deps.mailbox);
  if (original.messageId === null || !getThread) return [];
  const labels = action === "reply" ? ["SENT"] : ["DRAFT", "SENT"];
  const thread = await getThread(original.threadId);
  const out: EarlierReply[] = [];
  for (const m of repliesTo(thread, original.messageId, labels)) {
    if (m.id !== original.id) {
      out.push({ id: m.id, ours: await isOurs(m, action, deps) });
    }
  }
  return out;
}

/**
 * The agent's reply: recorded as the agent's; or marked Auto-Submitted
 * (the agent's auto replies carry it, a person's Gmail reply does not); or
 * a draft in draft mode (the agent drafts there). A person's, when the sync
 * already noted it as one.
 */
async function isOurs(
  m: { id: string; labelIds: string[]; autoSubmitted?: string | null },
  action: "reply" | "draft",
  deps: EarlierReplyDeps,
): Promise<boolean> {
  const recorded = await deps.threads.sentBy(deps.accountId, m.id, deps.now);
  if (recorded !== null) return recorded === "agent";
  if (action === "draft") return m.labelIds.includes("DRAFT");
  return sameAutoSubmitted(m, "auto-replied");
}
