/**
 * What the context loader knows about an email's thread, at no Gmail
 * cost: whether a person has taken the thread over (`store.threads`, marked
 * by a reply from Gmail or from the dashboard) and the quoted part of the
 * email itself. The earlier messages (`threads.get`: 40 units, 10 on the
 * legacy cost table) are fetched only when asked for, through
 * `loadEarlierTexts`.
 * @module
 */
import type { Mailbox, ThreadStateStore } from "../ports.ts";
import type { ParsedEmail } from "../types.ts";

const MAX_QUOTED_CHARS = 4000;

/** What is known about the email's thread before deciding. */
export interface ThreadContext {
  /** A person has replied in this thread from Gmail or the dashboard. */
  humanTakeover: boolean;
  /**
   * The takeover was found on an earlier thread of the conversation, not on
   * this one (the customer changed the subject and Gmail started a new
   * thread): the plan carries a `mark_taken_over` effect that copies the
   * mark here. Default false.
   */
  takeoverInherited?: boolean;
  /** Text of earlier messages in the thread, oldest first. */
  threadTexts: string[];
  /**
   * All earlier text of the thread, oldest first (includes `threadTexts`),
   * fetched when called (a Gmail `threads.get`). Optional.
   */
  loadEarlierTexts?: () => Promise<string[]>;
}

/** What `buildThreadContext` reads. */
export interface ThreadContextDeps {
  accountId: string;
  mailbox:
    & Pick<Mailbox, "getThread">
    & Partial<Pick<Mailbox, "findByMessageId">>;
  /** Only read: the copy of an inherited takeover is a planned effect. */
  threads: Pick<ThreadStateStore, "isTakenOver">;
}

/** Most earlier Message-IDs looked up for a conversation that changed thread. */
const MAX_REFERENCE_LOOKUPS = 3;

/**
 * Gmail starts a new thread when the customer changes the subject, so a
 * takeover mark keyed by thread id would be lost. An email that starts a
 * thread yet replies to earlier mail (In-Reply-To/References) is checked
 * against the threads of the messages it names (`rfc822msgid:`, 5 units
 * each, at most three, only for such emails); when one of them is taken
 * over, so is the new thread. Nothing is written here: the plan carries the
 * copy of the mark (`takeoverInherited`, then a `mark_taken_over` effect).
 */
async function takenOverByReference(
  email: ParsedEmail,
  deps: ThreadContextDeps,
): Promise<boolean> {
  const find = deps.mailbox.findByMessageId?.bind(deps.mailbox);
  if (!find || email.threadId !== email.id) return false;
  const refs = [
    ...(email.inReplyTo ? [email.inReplyTo] : []),
    ...[...email.references].reverse(),
  ].filter((r, i, all) => all.indexOf(r) === i)
    .slice(0, MAX_REFERENCE_LOOKUPS);
  for (const ref of refs) {
    for (const m of await find(ref)) {
      if (m.threadId === email.threadId) continue;
      if (await deps.threads.isTakenOver(deps.accountId, m.threadId)) {
        return true;
      }
    }
  }
  return false;
}

/**
 * Builds the thread context: one store read, no Gmail call. A follow-up
 * (thread id ≠ message id, or an In-Reply-To) gets a lazy, memoised
 * `loadEarlierTexts` that costs one `threads.get` when called.
 */
export async function buildThreadContext(
  email: ParsedEmail,
  deps: ThreadContextDeps,
): Promise<ThreadContext> {
  const marked = await deps.threads.isTakenOver(
    deps.accountId,
    email.threadId,
  );
  const takeoverInherited = !marked &&
    await takenOverByReference(email, deps);
  const humanTakeover = marked || takeoverInherited;
  const quoted = quotedPart(email);
  const threadTexts = quoted !== "" ? [quoted] : [];
  const followUp = email.threadId !== email.id || email.inReplyTo !== null;
  const getThread = deps.mailbox.getThread?.bind(deps.mailbox);
  if (!followUp || !getThread) {
    return { humanTakeover, takeoverInherited, threadTexts };
  }
  let loaded: Promise<string[]> | null = null;
  const load = async (): Promise<string[]> => {
    const texts: string[] = [];
    for (const m of await getThread(email.threadId)) {
      if (m.id === email.id) break; // only earlier messages
      if (m.labelIds.includes("DRAFT")) continue;
      if (m.snippet.trim() !== "") texts.push(m.snippet);
    }
    return [...texts, ...threadTexts];
  };
  return {
    humanTakeover,
    takeoverInherited,
    threadTexts,
    loadEarlierTexts: () => {
      // A failed fetch is not kept: the next call tries again.
      loaded ??= load().catch((err) => {
        loaded = null;
        throw err;
      });
      return loaded;
    },
  };
}

/** The text of the email that is not its new part (usually the quote). */
export function quotedPart(email: ParsedEmail): string {
  const fresh = email.cleanText.trim();
  let rest = email.text;
  if (fresh !== "") {
    const at = rest.indexOf(fresh);
    if (at >= 0) rest = rest.slice(0, at) + rest.slice(at + fresh.length);
  }
  rest = rest.replace(/^[ \t]*>+[ \t]?/gm, "").trim();
  return rest.slice(0, MAX_QUOTED_CHARS);
}
