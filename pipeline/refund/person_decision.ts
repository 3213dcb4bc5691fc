/**
 * A person decides a refund case from the dashboard: approve (the refund
 * was paid: the amount is recorded and the customer told, from the
 * `refund_issued` template) or reject (the reason is sent to the customer
 * in the `rejected_by_person` template). The message goes in the case's
 * thread as a person's reply (a `<dashboard-…>` Message-ID derived from
 * the case and the verdict, so a double submit sends nothing); the thread
 * is then a person's (`threads.markTakenOver`), its open review items are resolved,
 * and the case gets the new state, a history event and an audit event. An
 * approval then marks the order `refunded` (`orders.markRefunded`, once), so
 * a later request for it is not granted again; an order already refunded
 * cannot be approved.
 * @module
 */
import { composeReply, domainOf } from "../mail/compose_reply.ts";
import { AppError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { parseEmail } from "../mail/parse_email.ts";
import type { Clock, Mailbox, MessageRef, Store } from "../ports.ts";
import { resolveThreadOnHumanReply } from "../dashboard/review_actions.ts";
import type { Account, Order, RefundCase, RefundState } from "../types.ts";
import { greetingName } from "./refund_plan.ts";
import { renderTemplate } from "./templates.ts";

/** What a person decided. */
export type PersonVerdict =
  | { kind: "approve"; amount: number }
  | { kind: "reject"; reason: string };

/** Input of `decideRefundAsPerson`. */
export interface PersonDecisionInput {
  accountId: string;
  threadId: string;
  verdict: PersonVerdict;
  /** The signed-in person (kept in the history and the audit). */
  actor: string;
}

/** The ports and settings it needs. */
export interface PersonDecisionDeps {
  store: Pick<
    Store,
    "accounts" | "refunds" | "orders" | "review" | "audit" | "threads"
  >;
  clock: Clock;
  logger: Logger;
  mailboxFor(
    account: { id: string; email: string },
  ): Mailbox | Promise<Mailbox>;
  templates: {
    overrides: Record<string, string>;
    signature: string;
    shopName: string;
  };
}

/** States a person can no longer change. */
const DECIDED: ReadonlySet<RefundState> = new Set([
  "refunded",
  "rejected_by_person",
]);

/** Longest rejection reason, in characters. */
export const MAX_REASON_CHARS = 500;

/**
 * Checks the verdict; throws `invalid_input` with the problem in words, or
 * `conflict` for an approval of an order already refunded.
 */
export function checkVerdict(v: PersonVerdict, order: Order | null): void {
  if (v.kind === "approve") {
    if (order?.status.trim().toLowerCase() === "refunded") {
      throw new AppError(
        "conflict",
        `Order ${order.orderId} is already refunded: it cannot be refunded twice. Reject the case to tell the customer why.`,
      );
    }
    if (!Number.isFinite(v.amount) || v.amount <= 0) {
      throw new AppError(
        "invalid_input",
        "The amount must be a number above 0, e.g. 49.99.",
      );
    }
    if (order && v.amount > order.amount) {
      throw new AppError(
        "invalid_input",
        `The amount is more than the order's: at most ${
          order.amount.toFixed(2)
        }.`,
      );
    }
    return;
  }
  const reason = v.reason.trim();
  if (reason === "") {
    throw new AppError(
      "invalid_input",
      "Write the reason: it is sent to the customer.",
    );
  }
  if (reason.length > MAX_REASON_CHARS) {
    throw new AppError(
      "invalid_input",
      `The reason is too long: at most ${MAX_REASON_CHARS} characters, current length is ${reason.length}.`,
    );
  }
}

/** The Message-ID of a person's verdict on a case: `<dashboard-<32 hex>@domain>`. */
async function verdictMessageId(
  c: RefundCase,
  kind: PersonVerdict["kind"],
  email: string,
): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(`refund-${kind}:${c.accountId}:${c.threadId}`),
  );
  const hex = Array.from(
    new Uint8Array(digest),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("").slice(0, 32);
  return `<dashboard-${hex}@${domainOf(email)}>`;
}

/**
 * Records the verdict and tells the customer; returns the saved case.
 * Throws `AppError`: `not_found` (no case or mailbox), `conflict` (already
 * decided, mailbox needs reconnecting, changed meanwhile), `invalid_input`
 * (amount or reason) or `unavailable` (Gmail refused; nothing was saved).
 */
export async function decideRefundAsPerson(
  input: PersonDecisionInput,
  deps: PersonDecisionDeps,
): Promise<RefundCase> {
  const { store } = deps;
  const c = await store.refunds.getCase(input.accountId, input.threadId);
  if (!c) throw new AppError("not_found", "No such refund case.");
  if (DECIDED.has(c.state)) {
    throw new AppError(
      "conflict",
      `This case is already decided (${c.state.replace(/_/g, " ")}).`,
    );
  }
  const orderId = c.orderIds.at(-1) ?? null;
  const order = orderId ? await store.orders.get(orderId) : null;
  checkVerdict(input.verdict, order);
  const account = await store.accounts.get(c.accountId);
  if (!account) {
    throw new AppError("not_found", "The mailbox of this case is gone.");
  }
  if (account.status === "needs_reconnect") {
    throw new AppError(
      "conflict",
      "The mailbox needs to be reconnected before it can send (see Accounts).",
    );
  }
  const last = c.history.at(-1);
  if (!last) throw new AppError("not_found", "The case has no message.");

  const v = input.verdict;
  const amount = v.kind === "approve" ? v.amount.toFixed(2) : undefined;
  const sent = await tellCustomer(c, last.gmailId, {
    account,
    kind: v.kind,
    vars: {
      order_id: orderId ?? "",
      amount,
      reason: v.kind === "reject" ? v.reason.trim() : undefined,
    },
  }, deps);

  const now = deps.clock.now();
  const to: RefundState = v.kind === "approve"
    ? "refunded"
    : "rejected_by_person";
  const next: RefundCase = {
    ...c,
    state: to,
    history: [...c.history, {
      at: now,
      from: c.state,
      to,
      gmailId: sent.id,
      orderId,
      note: v.kind === "approve"
        ? `refunded ${amount} by ${input.actor}`
        : `rejected by ${input.actor}: ${v.reason.trim()}`,
      actor: input.actor,
      ...(v.kind === "approve" ? { amount: v.amount } : {}),
    }],
    updatedAt: now,
    version: c.version + 1,
  };
  if (!(await store.refunds.saveCase(next, c.version))) {
    throw new AppError(
      "conflict",
      "The case changed meanwhile (a new email?). The message was sent; reload the page to see the case.",
    );
  }
  // Only the approval that saved the case gets here: the order is marked once.
  const marked = v.kind === "approve" && orderId
    ? await store.orders.markRefunded(orderId)
    : null;
  if (marked && !marked.ok && marked.reason === "already_refunded") {
    deps.logger.warn("refund approved for an order refunded meanwhile", {
      accountId: c.accountId,
      threadId: c.threadId,
      orderId,
    });
  }
  // A person's message, known as such, so the next poll spends no call on it.
  await store.threads.recordSent({
    accountId: account.id,
    gmailId: sent.id,
    by: "person",
    at: now,
  });
  await store.threads.markTakenOver(account.id, c.threadId, now);
  await resolveThreadOnHumanReply({
    accountId: account.id,
    threadId: c.threadId,
    actor: input.actor,
    replyGmailId: sent.id,
    now,
  }, { review: store.review, audit: store.audit });
  await store.audit.add({
    at: now,
    actor: input.actor,
    action: v.kind === "approve" ? "refund_approved" : "refund_rejected",
    target: `${c.accountId}/${c.threadId}`,
    detail: { orderId, sentId: sent.id, ...(amount ? { amount } : {}) },
  });
  return next;
}

/** Sends the verdict's template in the thread, once. */
async function tellCustomer(
  c: RefundCase,
  replyTo: string,
  p: {
    account: Account;
    kind: PersonVerdict["kind"];
    vars: { order_id: string; amount?: string; reason?: string };
  },
  deps: PersonDecisionDeps,
): Promise<MessageRef> {
  const mailbox = await deps.mailboxFor(p.account);
  try {
    const got = await mailbox.getRaw(replyTo);
    const original = await parseEmail(got.raw, {
      id: replyTo,
      threadId: got.threadId,
      labelIds: got.labelIds,
    });
    const messageId = await verdictMessageId(c, p.kind, p.account.email);
    const earlier = await mailbox.findByMessageId(messageId);
    if (earlier[0]) return earlier[0];
    const text = renderTemplate(
      p.kind === "approve" ? "refund_issued" : "rejected_by_person",
      {
        name: greetingName(original.from?.name),
        date: "",
        days: "",
        signature: deps.templates.signature,
        shop: deps.templates.shopName,
        ...p.vars,
      },
      deps.templates.overrides,
    );
    const reply = await composeReply({
      account: p.account,
      original,
      text,
      now: deps.clock.now(),
      autoSubmitted: false,
      // Refund mail goes to the order's owner, never to a Reply-To.
      recipient: "from",
      messageId,
    });
    return await mailbox.send(reply.raw, reply.threadId);
  } catch (err) {
    if (err instanceof AppError) throw err;
    deps.logger.error("refund verdict not sent", {
      accountId: c.accountId,
      threadId: c.threadId,
      error: err,
    });
    throw new AppError(
      "unavailable",
      "Gmail did not accept the message to the customer. Nothing was changed; try again in a minute.",
      { cause: err },
    );
  }
}
