/**
 * The queue of the agent's drafts (draft mode) and what a person does with
 * each from the dashboard: save an edit (the Gmail draft is updated), send
 * it (the Gmail draft is sent, in the thread) or discard it (the Gmail
 * draft is deleted). The queue is read from the ledger (decisions with
 * action "draft" whose draft was made); a person's outcome and saved text
 * are kept in the draft reviews (`DraftReviewStore`). A draft is found in Gmail by the reply's
 * Message-ID each time: one sent or deleted in Gmail is never sent again,
 * and a double submit sends once (a lease while sending, then the outcome).
 * @module
 */
import { composeReply } from "../mail/compose_reply.ts";
import { AppError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { parseEmail } from "../mail/parse_email.ts";
import { MAX_REPLY_CHARS } from "./person_reply.ts";
import {
  type AccountStore,
  type AuditStore,
  type Clock,
  type DraftOutcome,
  type DraftReviewStore,
  type LeaseStore,
  type LedgerStore,
  type Mailbox,
  MessageGoneError,
  type MessageRef,
  type ThreadStateStore,
} from "../ports.ts";
import { recipientKind } from "../decide/reply_cap.ts";
import type { Account, LedgerEntry } from "../types.ts";

export type { DraftOutcome } from "../ports.ts";

/** One of the agent's drafts as the queue shows it. */
export interface DraftItem {
  entry: LedgerEntry;
  /** The draft text: the one a person saved, else the agent's. */
  text: string;
  /** True when a person saved an edit. */
  edited: boolean;
  /** Null while the draft waits for a person. */
  outcome: DraftOutcome | null;
}

/** The store ports the draft queue uses. */
export interface DraftStore {
  ledger: Pick<LedgerStore, "get" | "listActivity">;
  drafts: DraftReviewStore;
  threads: Pick<ThreadStateStore, "recordSent">;
  accounts: Pick<AccountStore, "get">;
  audit: Pick<AuditStore, "add">;
  leases: Pick<LeaseStore, "acquire" | "release">;
}

/** The mailbox calls the draft actions make. */
export type DraftMailbox = Pick<
  Mailbox,
  "getRaw" | "findDraft" | "updateDraft" | "sendDraft" | "deleteDraft"
>;

/** The ports of the draft actions. */
export interface DraftDeps {
  store: DraftStore;
  clock: Clock;
  logger: Logger;
  mailboxFor(account: Account): DraftMailbox | Promise<DraftMailbox>;
}

/** True for a ledger entry whose agent draft exists in Gmail (or did). */
function isDraftEntry(e: LedgerEntry): boolean {
  return e.decision?.action === "draft" && e.decision.reply !== null &&
    e.replyMessageId !== null && (e.state === "sent" || e.state === "done");
}

async function itemOf(
  entry: LedgerEntry,
  drafts: DraftStore["drafts"],
): Promise<DraftItem> {
  const r = await drafts.get(entry.accountId, entry.gmailId);
  return {
    entry,
    text: r.text ?? entry.decision?.reply ?? "",
    edited: r.text !== null,
    outcome: r.outcome,
  };
}

/**
 * The agent's drafts among the newest `scan` decisions, newest first:
 * `open` wait for a person, `handled` were sent, discarded or found gone.
 */
export async function listDrafts(
  store: Pick<DraftStore, "ledger" | "drafts">,
  scan = 500,
): Promise<{ open: DraftItem[]; handled: DraftItem[] }> {
  const entries = await store.ledger.listActivity({
    action: "draft",
    limit: scan,
  });
  const items = await Promise.all(
    entries.filter(isDraftEntry).map((e) => itemOf(e, store.drafts)),
  );
  return {
    open: items.filter((i) => i.outcome === null),
    handled: items.filter((i) => i.outcome !== null),
  };
}

/** One draft of the queue; throws `AppError` `not_found` when there is none. */
export async function getDraft(
  store: Pick<DraftStore, "ledger" | "drafts">,
  accountId: string,
  gmailId: string,
): Promise<DraftItem> {
  const entry = await store.ledger.get(accountId, gmailId);
  if (!entry || !isDraftEntry(entry)) {
    throw new AppError("not_found", "No such draft of the agent.");
  }
  return itemOf(entry, store.drafts);
}

/** The customer's message a draft answers, shortened; null when Gmail cannot give it. */
export async function draftExcerpt(
  entry: LedgerEntry,
  deps: Pick<DraftDeps, "store" | "mailboxFor" | "logger">,
  max = 400,
): Promise<string | null> {
  try {
    const account = await deps.store.accounts.get(entry.accountId);
    if (!account || account.status === "needs_reconnect") return null;
    const mailbox = await deps.mailboxFor(account);
    const got = await mailbox.getRaw(entry.gmailId);
    const email = await parseEmail(got.raw, {
      id: entry.gmailId,
      threadId: got.threadId,
      labelIds: got.labelIds,
    });
    const text = email.cleanText.replace(/\s+/g, " ").trim();
    return text.length > max ? text.slice(0, max - 1) + "…" : text;
  } catch (err) {
    deps.logger.warn("draft excerpt unavailable", {
      accountId: entry.accountId,
      gmailId: entry.gmailId,
      error: err,
    });
    return null;
  }
}

/** What a person does with a draft. */
export type DraftAction = "save" | "send" | "discard";

/** Input of `actOnDraft`. */
export interface DraftActionInput {
  accountId: string;
  gmailId: string;
  action: DraftAction;
  /** The draft text as the person left it (save and send). */
  text: string;
  /** The signed-in person, kept in the outcome and the audit. */
  actor: string;
}

const GONE =
  "This draft was already sent or deleted in Gmail, so nothing was sent. It has left the queue.";

function checkText(text: string): string {
  const body = text.replace(/\r\n/g, "\n").trim();
  if (body === "") throw new AppError("invalid_input", "The draft is empty.");
  if (body.length > MAX_REPLY_CHARS) {
    throw new AppError(
      "invalid_input",
      `The draft is too long: at most ${MAX_REPLY_CHARS} characters, current length is ${body.length}.`,
    );
  }
  return body;
}

function refusedFor(o: DraftOutcome): AppError {
  const who = o.actor ? ` by ${o.actor}` : "";
  return new AppError(
    "conflict",
    o.status === "sent"
      ? `This draft was already sent from the dashboard${who}; nothing was sent again.`
      : o.status === "discarded"
      ? `This draft was discarded${who}; nothing was sent.`
      : GONE,
  );
}

/**
 * Saves, sends or discards one of the agent's drafts, in Gmail first, then
 * in the records. Returns the sent message for `send`, else null. Throws
 * `AppError`: `invalid_input` (empty or too long), `not_found` (no such
 * draft, mailbox gone), `conflict` (already sent, discarded or gone in
 * Gmail; being sent right now; mailbox needs reconnecting) or
 * `unavailable` (Gmail refused: nothing was sent).
 */
export async function actOnDraft(
  input: DraftActionInput,
  deps: DraftDeps,
): Promise<MessageRef | null> {
  const { store, clock } = deps;
  const item = await getDraft(store, input.accountId, input.gmailId);
  const { entry } = item;
  if (item.outcome) throw refusedFor(item.outcome);
  const body = input.action === "discard" ? "" : checkText(input.text);
  const account = await store.accounts.get(entry.accountId);
  if (!account) {
    throw new AppError(
      "not_found",
      "The mailbox of this draft is no longer connected.",
    );
  }
  if (account.status === "needs_reconnect") {
    throw new AppError(
      "conflict",
      "The mailbox needs to be reconnected before its drafts can change (see Accounts).",
    );
  }
  const lease = `draft:${entry.accountId}:${entry.gmailId}`;
  const owner = crypto.randomUUID();
  if (!await store.leases.acquire(lease, owner, 120_000, clock.now())) {
    throw new AppError(
      "conflict",
      "This draft is being changed by another request right now; reload the page.",
    );
  }
  try {
    // Read again under the lease: a submit that just finished is seen.
    const fresh = await store.drafts.get(entry.accountId, entry.gmailId);
    if (fresh.outcome) throw refusedFor(fresh.outcome);
    return await applyAction(input, item, body, {
      account,
      deps,
    });
  } finally {
    await store.leases.release(lease, owner);
  }
}

async function applyAction(
  input: DraftActionInput,
  item: DraftItem,
  body: string,
  ctx: { account: Account; deps: DraftDeps },
): Promise<MessageRef | null> {
  const { account, deps } = ctx;
  const { store, clock } = deps;
  const { entry } = item;
  const gone = async (): Promise<never> => {
    await store.drafts.close(entry.accountId, entry.gmailId, {
      status: "gone",
      actor: null,
      at: clock.now(),
      sentId: null,
    });
    throw new AppError("conflict", GONE);
  };
  const mailbox = await deps.mailboxFor(account);
  let sent: MessageRef | null = null;
  try {
    const draft = await mailbox.findDraft(entry.replyMessageId!);
    if (!draft) return await gone();
    if (input.action !== "discard" && body !== item.text.trim()) {
      const original = await mailbox.getRaw(entry.gmailId);
      const email = await parseEmail(original.raw, {
        id: entry.gmailId,
        threadId: original.threadId,
        labelIds: original.labelIds,
      });
      const reply = await composeReply({
        account,
        original: email,
        text: body,
        now: clock.now(),
        autoSubmitted: false,
        recipient: recipientKind(entry.decision!.category),
      });
      if (reply.messageId !== entry.replyMessageId) {
        throw new Error(
          `draft Message-ID of message ${entry.gmailId} changed`,
        );
      }
      await mailbox.updateDraft(draft.draftId, reply.raw, reply.threadId);
      await store.drafts.saveText(entry.accountId, entry.gmailId, body);
    }
    if (input.action === "send") sent = await mailbox.sendDraft(draft.draftId);
    if (input.action === "discard") await mailbox.deleteDraft(draft.draftId);
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (err instanceof MessageGoneError) return await gone();
    deps.logger.error("draft action failed", {
      accountId: entry.accountId,
      gmailId: entry.gmailId,
      action: input.action,
      error: err,
    });
    throw new AppError(
      "unavailable",
      "Gmail did not accept the change. Nothing was sent; try again in a minute.",
      { cause: err },
    );
  }
  const now = clock.now();
  if (input.action !== "save") {
    const outcome: DraftOutcome = {
      status: input.action === "send" ? "sent" : "discarded",
      actor: input.actor,
      at: now,
      sentId: sent?.id ?? null,
    };
    await store.drafts.close(entry.accountId, entry.gmailId, outcome);
  }
  if (sent) {
    // The agent's reply (its Message-ID): the next poll needs no call to tell.
    await store.threads.recordSent({
      accountId: account.id,
      gmailId: sent.id,
      by: "agent",
      at: now,
    });
  }
  await store.audit.add({
    at: now,
    actor: input.actor,
    action: input.action === "send"
      ? "draft_sent"
      : input.action === "discard"
      ? "draft_discarded"
      : "draft_saved",
    target: `${entry.accountId}:${entry.gmailId}`,
    detail: {
      accountId: entry.accountId,
      threadId: entry.threadId,
      ...(sent ? { sentId: sent.id } : {}),
    },
  });
  deps.logger.info("draft action done", {
    accountId: entry.accountId,
    gmailId: entry.gmailId,
    action: input.action,
  });
  return sent;
}
