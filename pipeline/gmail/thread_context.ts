/**
 * What `decide` knows about an email's thread: earlier text (Gmail snippets
 * of earlier messages plus the quoted part of the email itself) and whether
 * a person has replied in it (a SENT message that is not an agent reply).
 * @module
 */
import type { ThreadContext } from "../decide.ts";
import { isAgentMessageId } from "../compose_reply.ts";
import type { Mailbox } from "../ports.ts";
import type { ParsedEmail } from "../types.ts";

const MAX_QUOTED_CHARS = 4000;

/**
 * Builds the thread context. A first message (thread id = message id, no
 * In-Reply-To) costs nothing; a follow-up costs one `threads.get`.
 */
export async function buildThreadContext(
  email: ParsedEmail,
  mailbox: Pick<Mailbox, "getThread">,
): Promise<ThreadContext> {
  const texts: string[] = [];
  let humanTakeover = false;
  const followUp = email.threadId !== email.id || email.inReplyTo !== null;
  if (followUp && mailbox.getThread) {
    const messages = await mailbox.getThread(email.threadId);
    for (const m of messages) {
      if (m.id === email.id) break; // only earlier messages
      if (m.labelIds.includes("DRAFT")) continue;
      if (m.labelIds.includes("SENT") && !isAgentMessageId(m.messageId)) {
        humanTakeover = true;
      }
      if (m.snippet.trim() !== "") texts.push(m.snippet);
    }
  }
  const quoted = quotedPart(email);
  if (quoted !== "") texts.push(quoted);
  return { humanTakeover, threadTexts: texts };
}

/** The text of the email that is not its new part (usually the quote). */
function quotedPart(email: ParsedEmail): string {
  const fresh = email.cleanText.trim();
  let rest = email.text;
  if (fresh !== "") {
    const at = rest.indexOf(fresh);
    if (at >= 0) rest = rest.slice(0, at) + rest.slice(at + fresh.length);
  }
  rest = rest.replace(/^[ \t]*>+[ \t]?/gm, "").trim();
  return rest.slice(0, MAX_QUOTED_CHARS);
}
