/**
 * One conversation (a Gmail thread) as a support person reads it: every
 * message in order, who wrote it (the customer, the agent, a person), the
 * agent's decision on each customer message and the exact text that was
 * sent. Messages are read from Gmail (`threads.get` then `messages.get`
 * per message); when Gmail cannot be read (the mailbox needs reconnecting,
 * the sandbox restarted) the activity log alone tells the story: each
 * decision and the reply text it recorded.
 * @module
 */
import { isAgentMessageId } from "../mail/compose_reply.ts";
import { parseEmail } from "../mail/parse_email.ts";
import type { Clock, Mailbox, Store } from "../ports.ts";
import type {
  Account,
  Decision,
  LedgerEntry,
  RefundCase,
  ReviewItem,
} from "../types.ts";

/** Who wrote a message of the conversation. */
export type Author = "customer" | "agent" | "person";

/** One message of a conversation. */
export interface ConversationMessage {
  /** The Gmail id, or null for a reply known only from the activity log. */
  gmailId: string | null;
  author: Author;
  /** `draft`: a Gmail draft not sent yet. */
  state: "received" | "sent" | "draft";
  from: string | null;
  date: Date | null;
  /**
   * The text: for a sent message or draft, its whole body (the exact text
   * sent); for a customer message, its new part (quotes and signature cut).
   */
  text: string;
  /** The whole body when it differs from `text` (a customer's quotes). */
  fullText: string | null;
  /** The agent's decision on a customer message it processed. */
  decision: Decision | null;
  /** For a person's message: sent from the dashboard or from Gmail. */
  via: "dashboard" | "gmail" | null;
  /** The text comes from the activity log, not from the Gmail thread. */
  fromLog?: boolean;
  /**
   * The agent's acknowledgement (the thread went to a person), not an
   * answer.
   */
  acknowledgement?: boolean;
}

/** A conversation and what is attached to its thread. */
export interface Conversation {
  account: Account;
  threadId: string;
  subject: string;
  messages: ConversationMessage[];
  /** Where the messages were read: Gmail, or the activity log only. */
  source: "gmail" | "log";
  /** Why Gmail could not be read (for the page), when `source` is "log". */
  gmailProblem: string | null;
  /** The thread's review items that are not resolved. */
  openReviewItems: ReviewItem[];
  refundCase: RefundCase | null;
}

/** What `loadConversation` reads. */
export interface ConversationDeps {
  store: Pick<Store, "accounts" | "ledger" | "review" | "refunds" | "threads">;
  mailboxFor(account: Account): Mailbox | Promise<Mailbox>;
  /** For the sent-reply markers' expiry. */
  clock: Clock;
}

/** The Message-ID prefix of a reply a person sent from the dashboard. */
const DASHBOARD_ID = /^<dashboard-[0-9a-f]{32}@[^>]+>$/i;

/**
 * Loads the conversation of `threadId` in the account; null when the
 * account does not exist or neither Gmail nor the log knows the thread.
 */
export async function loadConversation(
  input: { accountId: string; threadId: string },
  deps: ConversationDeps,
): Promise<Conversation | null> {
  const account = await deps.store.accounts.get(input.accountId);
  if (!account) return null;
  const [entries, openReviewItems, refundCase] = await Promise.all([
    deps.store.ledger.listThread(account.id, input.threadId),
    deps.store.review.openForThread(account.id, input.threadId),
    deps.store.refunds.getCase(account.id, input.threadId),
  ]);
  const base = {
    account,
    threadId: input.threadId,
    openReviewItems,
    refundCase,
  };
  let problem: string;
  if (account.status === "needs_reconnect") {
    problem = "The mailbox needs to be reconnected, so Gmail cannot be read.";
  } else {
    try {
      const messages = await fromGmail(account, input.threadId, entries, deps);
      if (messages !== null) {
        return {
          ...base,
          subject: subjectOf(entries, messages),
          messages,
          source: "gmail",
          gmailProblem: null,
        };
      }
      problem = "Gmail no longer has this thread.";
    } catch {
      problem =
        "Gmail could not give this thread: it may be deleted, the sandbox may have restarted, or Gmail is unreachable.";
    }
  }
  if (entries.length === 0) return null;
  return {
    ...base,
    subject: subjectOf(entries, []),
    messages: fromLog(entries),
    source: "log",
    gmailProblem: problem,
  };
}

function subjectOf(
  entries: LedgerEntry[],
  messages: Array<ConversationMessage & { subject?: string }>,
): string {
  return messages.find((m) => m.subject)?.subject ??
    entries.find((e) => e.subject)?.subject ?? "(no subject)";
}

/** The messages as Gmail has them; null when the thread is gone. */
async function fromGmail(
  account: Account,
  threadId: string,
  entries: LedgerEntry[],
  deps: ConversationDeps,
): Promise<Array<ConversationMessage & { subject: string }> | null> {
  const mailbox = await deps.mailboxFor(account);
  if (!mailbox.getThread) return null;
  const thread = await mailbox.getThread(threadId);
  if (thread.length === 0) return null;
  const byGmailId = new Map(entries.map((e) => [e.gmailId, e]));
  const replyIds = new Set(
    entries.map((e) => e.replyMessageId).filter((x): x is string => x !== null),
  );
  const ackIds = new Set(
    entries.filter((e) => isAcknowledgement(e.decision)).map((e) =>
      e.replyMessageId
    ),
  );
  const inThread = new Set(thread.map((m) => m.messageId));
  const entryByMessageId = new Map<string, LedgerEntry>();
  // Customer emails the agent's messages in this thread answer (known by
  // their sent-reply markers when Gmail replaced the agent's Message-ID).
  const agentAnswered = new Set<string>();
  for (const m of thread) {
    const e = byGmailId.get(m.id);
    if (e && m.messageId) entryByMessageId.set(m.messageId, e);
    if (m.inReplyTo && m.labelIds.includes("SENT")) {
      const by = await deps.store.threads.sentBy(
        account.id,
        m.id,
        deps.clock.now(),
      );
      if (by === "agent") agentAnswered.add(m.inReplyTo);
    }
  }
  const out: Array<ConversationMessage & { subject: string }> = [];
  for (const m of thread) {
    const got = await mailbox.getRaw(m.id);
    const email = await parseEmail(got.raw, {
      id: m.id,
      threadId,
      labelIds: got.labelIds,
    });
    const labels = got.labelIds;
    const draft = labels.includes("DRAFT");
    const ours = draft ||
      (labels.includes("SENT") && !labels.includes("INBOX"));
    const entry = byGmailId.get(m.id);
    const messageId = email.messageId;
    const common = {
      gmailId: m.id,
      from: email.from
        ? (email.from.name
          ? `${email.from.name} <${email.from.address}>`
          : email.from.address)
        : null,
      date: email.date,
      subject: email.subject,
    };
    if (ours) {
      // Gmail may replace the Message-ID the agent set: its sent-reply
      // marker (by Gmail id) still says who sent it, and the customer email
      // it answers says whether it was an acknowledgement.
      const byId = messageId !== null &&
        (replyIds.has(messageId) || isAgentMessageId(messageId));
      const agent = byId ||
        await deps.store.threads.sentBy(account.id, m.id, deps.clock.now()) ===
          "agent";
      const answered = email.inReplyTo === null
        ? undefined
        : entryByMessageId.get(email.inReplyTo);
      const ack = agent &&
        (ackIds.has(messageId) ||
          (!byId && answered !== undefined &&
            isAcknowledgement(answered.decision)));
      out.push({
        ...common,
        author: agent ? "agent" : "person",
        state: draft ? "draft" : "sent",
        text: email.text,
        fullText: null,
        decision: null,
        via: agent
          ? null
          : messageId !== null && DASHBOARD_ID.test(messageId)
          ? "dashboard"
          : "gmail",
        ...(ack ? { acknowledgement: true } : {}),
      });
      continue;
    }
    const decision = entry?.decision && entry.decision.reason !== "own_address"
      ? entry.decision
      : null;
    const fresh = email.cleanText.trim();
    const whole = email.text.trim();
    out.push({
      ...common,
      author: "customer",
      state: "received",
      text: fresh || whole,
      fullText: fresh !== "" && fresh !== whole ? whole : null,
      decision,
      via: null,
    });
    // Gmail threads a reply only when its headers match: a reply it put in
    // another thread (the original had no Message-ID) is told from the log.
    const logged = entry ? replyFromLog(entry) : null;
    const answeredHere = email.messageId !== null &&
      agentAnswered.has(email.messageId);
    if (logged && !inThread.has(entry!.replyMessageId) && !answeredHere) {
      out.push({ ...logged, subject: email.subject });
    }
  }
  return out;
}

/** True when the decision carries the acknowledgement of a review. */
function isAcknowledgement(d: Decision | null): boolean {
  return d !== null && d.action === "review" &&
    typeof d.acknowledgement === "string";
}

/**
 * The agent's reply (or acknowledgement) of a log entry, when it sent (or
 * drafted) one: the entry has a reply Message-ID and got past the send.
 */
function replyFromLog(e: LedgerEntry): ConversationMessage | null {
  const d = e.decision;
  if (d === null || (e.state !== "sent" && e.state !== "done")) return null;
  if (isAcknowledgement(d) && e.replyMessageId !== null) {
    return {
      ...logged(e, d.acknowledgement!, "sent"),
      acknowledgement: true,
    };
  }
  const replied = d.reply !== null &&
    (d.action === "reply" || d.action === "draft");
  if (!replied) return null;
  return logged(e, d.reply!, d.action === "draft" ? "draft" : "sent");
}

function logged(
  e: LedgerEntry,
  text: string,
  state: "sent" | "draft",
): ConversationMessage {
  return {
    gmailId: null,
    author: "agent",
    state,
    from: null,
    date: e.updatedAt,
    text,
    fullText: null,
    decision: null,
    via: null,
    fromLog: true,
  };
}

/** The conversation from the activity log alone. */
function fromLog(entries: LedgerEntry[]): ConversationMessage[] {
  const out: ConversationMessage[] = [];
  for (const e of entries) {
    const d = e.decision;
    if (d?.reason === "own_address") continue;
    out.push({
      gmailId: e.gmailId,
      author: "customer",
      state: "received",
      from: e.sender,
      date: e.claimedAt,
      text: "",
      fullText: null,
      decision: d,
      via: null,
    });
    const logged = replyFromLog(e);
    if (logged) out.push(logged);
  }
  return out;
}
