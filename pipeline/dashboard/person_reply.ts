/**
 * A person replies from the dashboard to a review item: fetch the original through
 * the Mailbox, compose a threaded reply (to the From address, or to a
 * differing Reply-To only when the person chose it), send it in the thread, mark the
 * thread as taken over by a person and resolve its open items. The reply
 * carries a person's Message-ID (`<dashboard-…>`, not the agent's
 * `<agent-…>`) and is recorded as a person's (`threads.recordSent`), so the
 * worker never takes it for the agent's when history lists it, and the
 * conversation view shows it as a person's; the Message-ID is deterministic
 * per original message, so a double submit sends nothing.
 * @module
 */
import { composeReply, domainOf } from "../mail/compose_reply.ts";
import { AppError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { parseEmail } from "../mail/parse_email.ts";
import type {
  AccountStore,
  AuditStore,
  Clock,
  Mailbox,
  MessageRef,
  ReviewStore,
  ThreadStateStore,
} from "../ports.ts";
import { resolveThreadOnHumanReply } from "./review_actions.ts";
import { normaliseAddress } from "../refund/ownership.ts";
import type { Account, Address, ParsedEmail, ReviewItem } from "../types.ts";

/** The Message-ID of a dashboard reply to `gmailId`: `<dashboard-<32 hex>@domain>`. */
export async function dashboardMessageId(
  accountId: string,
  gmailId: string,
  accountEmail: string,
): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(`dashboard:${accountId}:${gmailId}`),
  );
  const hex = Array.from(
    new Uint8Array(digest),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("").slice(0, 32);
  return `<dashboard-${hex}@${domainOf(accountEmail)}>`;
}

/**
 * Replaces the Message-ID header of a composed message. Only the header
 * block (ASCII, RFC 2047 encoded) is rewritten; the body bytes are kept.
 */
export function withMessageId(
  raw: Uint8Array,
  from: string,
  to: string,
): Uint8Array {
  let end = raw.length;
  for (let i = 0; i + 3 < raw.length; i++) {
    if (
      raw[i] === 13 && raw[i + 1] === 10 && raw[i + 2] === 13 &&
      raw[i + 3] === 10
    ) {
      end = i;
      break;
    }
  }
  const lines = String.fromCharCode(...raw.subarray(0, end)).split("\r\n");
  const at = lines.indexOf(`Message-ID: ${from}`);
  if (at < 0) {
    throw new TypeError(
      `Cannot set the reply's Message-ID as the header was not found: expected ${from}`,
    );
  }
  lines[at] = `Message-ID: ${to}`;
  const head = Uint8Array.from(lines.join("\r\n"), (ch) => ch.charCodeAt(0));
  const out = new Uint8Array(head.length + raw.length - end);
  out.set(head, 0);
  out.set(raw.subarray(end), head.length);
  return out;
}

/** Longest reply accepted from the dashboard, in characters. */
export const MAX_REPLY_CHARS = 20_000;

/** A person's reply to a review item. */
export interface PersonReplyInput {
  item: ReviewItem;
  /** The reply text as typed (CRLF or LF); trimmed, at most `MAX_REPLY_CHARS`. */
  text: string;
  /** Who replies (the signed-in admin), kept in the audit. */
  actor: string;
  /**
   * Who gets it: "from" (the default: the address the email came from) or
   * "reply_to" (the Reply-To, chosen by the person after a warning; the
   * From when there is none).
   */
  to?: "from" | "reply_to";
}

/** Where a person's reply can go. */
export interface ReplyAddresses {
  /** The From address (the default recipient), or null when there is none. */
  from: Address | null;
  /** The Reply-To when it names another address than the From, else null. */
  replyTo: Address | null;
}

/** The From and a differing Reply-To of `email`. Pure. */
export function replyAddresses(
  email: Pick<ParsedEmail, "from" | "replyTo">,
): ReplyAddresses {
  const from = email.from && email.from.address !== "" ? email.from : null;
  const r = email.replyTo;
  const differs = r !== null && r.address !== "" &&
    normaliseAddress(r.address) !== normaliseAddress(from?.address);
  return { from, replyTo: differs ? r : null };
}

/** The mailbox calls a person's reply makes. */
export type PersonReplyMailbox = Pick<
  Mailbox,
  "getRaw" | "findByMessageId" | "send"
>;

/** The ports `sendPersonReply` needs. */
export interface PersonReplyDeps {
  store: {
    accounts: Pick<AccountStore, "get">;
    review: Pick<ReviewStore, "update" | "openForThread">;
    audit: Pick<AuditStore, "add">;
    threads: Pick<ThreadStateStore, "recordSent" | "markTakenOver">;
  };
  clock: Clock;
  logger: Logger;
  /** The authorised mailbox of an account. */
  mailboxFor(
    account: Account,
  ): PersonReplyMailbox | Promise<PersonReplyMailbox>;
}

/**
 * The addresses a reply to `item` can go to, read from the original in
 * Gmail; null when it cannot be read (mailbox gone or Gmail failing).
 */
export async function personReplyAddresses(
  item: ReviewItem,
  deps: Pick<PersonReplyDeps, "store" | "mailboxFor" | "logger">,
): Promise<ReplyAddresses | null> {
  try {
    const account = await deps.store.accounts.get(item.accountId);
    if (!account || account.status === "needs_reconnect") return null;
    const mailbox = await deps.mailboxFor(account);
    const original = await mailbox.getRaw(item.gmailId);
    return replyAddresses(
      await parseEmail(original.raw, {
        id: item.gmailId,
        threadId: original.threadId,
        labelIds: original.labelIds,
      }),
    );
  } catch (err) {
    deps.logger.warn("reply addresses unavailable", {
      reviewId: item.id,
      error: err,
    });
    return null;
  }
}

/** The reply text with LF line ends, trimmed; `invalid_input` when empty or too long. */
function replyBody(text: string): string {
  const body = text.replace(/\r\n/g, "\n").trim();
  if (body === "") throw new AppError("invalid_input", "The reply is empty.");
  if (body.length > MAX_REPLY_CHARS) {
    throw new AppError(
      "invalid_input",
      `The reply is too long: at most ${MAX_REPLY_CHARS} characters, current length is ${body.length}.`,
    );
  }
  return body;
}

/** The account that sends the reply; `conflict` or `not_found` when it cannot. */
async function sendingAccount(
  item: ReviewItem,
  deps: PersonReplyDeps,
): Promise<Account> {
  if (item.status === "resolved") {
    throw new AppError(
      "conflict",
      "This item is already resolved. Reopen it to reply.",
    );
  }
  const account = await deps.store.accounts.get(item.accountId);
  if (!account) {
    throw new AppError(
      "not_found",
      "The mailbox of this item is no longer connected.",
    );
  }
  if (account.status === "needs_reconnect") {
    throw new AppError(
      "conflict",
      "The mailbox needs to be reconnected before it can send (see Accounts).",
    );
  }
  return account;
}

/**
 * Composes the reply to the original and sends it in its thread under the
 * dashboard Message-ID; `conflict` when that Message-ID was already sent.
 */
async function composeAndSend(
  account: Account,
  input: PersonReplyInput & { body: string },
  mailbox: PersonReplyMailbox,
  clock: Clock,
): Promise<MessageRef> {
  const { item } = input;
  const original = await mailbox.getRaw(item.gmailId);
  const parsed = await parseEmail(original.raw, {
    id: item.gmailId,
    threadId: original.threadId,
    labelIds: original.labelIds,
  });
  const reply = await composeReply({
    account,
    original: parsed,
    text: input.body,
    now: clock.now(),
    autoSubmitted: false,
    // The From unless the person chose the Reply-To: a stranger's
    // Reply-To must not receive an answer about someone else's order.
    recipient: input.to === "reply_to" ? "reply_to" : "from",
  });
  const messageId = await dashboardMessageId(
    account.id,
    item.gmailId,
    account.email,
  );
  const earlier = await mailbox.findByMessageId(messageId);
  if (earlier.length > 0) {
    throw new AppError(
      "conflict",
      "A reply to this email was already sent from the dashboard.",
    );
  }
  return await mailbox.send(
    withMessageId(reply.raw, reply.messageId, messageId),
    reply.threadId,
  );
}

/** `composeAndSend`, with a Gmail failure turned into `unavailable`. */
async function sendInThread(
  account: Account,
  input: PersonReplyInput & { body: string },
  deps: PersonReplyDeps,
): Promise<MessageRef> {
  const mailbox = await deps.mailboxFor(account);
  try {
    return await composeAndSend(account, input, mailbox, deps.clock);
  } catch (err) {
    if (err instanceof AppError) throw err;
    deps.logger.error("dashboard reply failed", {
      reviewId: input.item.id,
      accountId: account.id,
      error: err,
    });
    throw new AppError(
      "unavailable",
      "Gmail did not accept the reply. Nothing was sent; try again in a minute.",
      { cause: err },
    );
  }
}

/**
 * After the send: the reply recorded as a person's, the thread taken over,
 * its open items and this one resolved, the reply audited.
 */
async function recordPersonReply(
  account: Account,
  input: PersonReplyInput,
  sent: MessageRef,
  deps: PersonReplyDeps,
): Promise<void> {
  const { item, actor } = input;
  const now = deps.clock.now();
  // Recorded as a person's message already handled, so the next poll does
  // not spend a Gmail call to tell who sent it.
  await deps.store.threads.recordSent({
    accountId: account.id,
    gmailId: sent.id,
    by: "person",
    at: now,
  });
  await deps.store.threads.markTakenOver(account.id, item.threadId, now);
  await resolveThreadOnHumanReply({
    accountId: account.id,
    threadId: item.threadId,
    actor,
    replyGmailId: sent.id,
    now,
  }, { review: deps.store.review, audit: deps.store.audit });
  await deps.store.review.update(item.id, { status: "resolved" }, now);
  await deps.store.audit.add({
    at: now,
    actor,
    action: "review_replied",
    target: item.id,
    detail: {
      accountId: account.id,
      threadId: item.threadId,
      sentId: sent.id,
      to: input.to === "reply_to" ? "reply_to" : "from",
    },
  });
}

/**
 * Sends the reply in the item's thread, marks the thread as taken over by a
 * person and resolves its open items; returns the sent message. Throws
 * `AppError`: `invalid_input` (empty or too long), `conflict` (resolved
 * item, mailbox needs reconnecting, already replied), `not_found` (mailbox
 * gone) or `unavailable` (Gmail refused; nothing was sent).
 */
export async function sendPersonReply(
  input: PersonReplyInput,
  deps: PersonReplyDeps,
): Promise<MessageRef> {
  const body = replyBody(input.text);
  const account = await sendingAccount(input.item, deps);
  const sent = await sendInThread(account, { ...input, body }, deps);
  await recordPersonReply(account, input, sent, deps);
  deps.logger.info("dashboard reply sent", {
    reviewId: input.item.id,
    accountId: account.id,
  });
  return sent;
}
