/**
 * The per-thread refund flow: reads the case, the order and the invalid
 * attempts, turns the email into an event, looks the transition up in the
 * table (`transitions.ts`) and returns a Plan. It changes nothing itself:
 * `applyEffects` carries the effects out.
 * @module
 */
import type { Orders, RefundStore } from "../ports.ts";
import type { Plan } from "../types.ts";
import { detectEscalation, type EscalationSignal } from "./escalation.ts";
import { findOrderIds } from "./order_ids.ts";
import { normaliseAddress, senderOwnsOrder } from "./ownership.ts";
import { checkPolicy } from "./policy.ts";
import { buildRefundPlan } from "./refund_plan.ts";
import type { RefundConfig, RefundInput } from "./refund_types.ts";

export type { RefundConfig, RefundInput };
import type { RefundEventType } from "./transitions.ts";
import type { InvalidRefundAttempt, RefundState } from "../types.ts";

/** The ports `decideRefund` reads. */
export interface RefundDeps {
  refunds: Pick<RefundStore, "getCase" | "countInvalidAttempts">;
  orders: Pick<Orders, "get">;
  config: RefundConfig;
}

/** States in which a follow-up with only an order id continues the case. */
const OPEN_STATES: ReadonlySet<RefundState> = new Set([
  "awaiting_order_id",
  "rejected_not_found",
  "rejected_not_owner",
]);
const DAY_MS = 24 * 60 * 60 * 1000;
const ATTEMPT_EXCERPT_CHARS = 160;

/**
 * Plans the refund flow for this email: null when the email is neither a
 * refund request nor part of an open refund case in its thread.
 */
export async function decideRefund(
  input: RefundInput,
  deps: RefundDeps,
): Promise<Plan | null> {
  const { email, account, classification, now } = input;
  const cfg = deps.config;
  const existing = await deps.refunds.getCase(account.id, email.threadId);
  const sources = {
    subject: email.subject,
    body: email.cleanText,
    caseOrderIds: existing?.orderIds ?? [],
    threadTexts: input.threadTexts,
  };
  let found = findOrderIds(sources, { pattern: cfg.orderIdPattern });

  const isRefund = classification.category === "Refund";
  const confident = classification.confidence >= (cfg.minConfidence ?? 0.5);
  const ownId = found.source === "body" || found.source === "subject";
  const engaged = existing === null
    ? isRefund && confident
    : existing.state === "escalated" || isRefund ||
      (OPEN_STATES.has(existing.state) && ownId);
  if (!engaged) return null;

  const sender = normaliseAddress(email.from?.address) || "(unknown sender)";
  const escalation = detectEscalation(`${email.subject}\n${email.cleanText}`);
  if (
    found.ids.length === 0 && input.loadEarlierTexts && !escalation &&
    existing?.state !== "escalated"
  ) {
    // Only now, when the case needs an id, is the whole thread worth a call.
    found = findOrderIds(
      { ...sources, threadTexts: await input.loadEarlierTexts() },
      { pattern: cfg.orderIdPattern },
    );
  }
  let event: RefundEventType;
  let attempt: InvalidRefundAttempt | null = null;
  let signal: EscalationSignal | null = null;
  const orderId = found.ids.length === 1 ? found.ids[0] ?? null : null;

  const invalid = async (
    reason: InvalidRefundAttempt["reason"],
  ): Promise<RefundEventType> => {
    attempt = {
      accountId: account.id,
      threadId: email.threadId,
      gmailId: email.id,
      sender,
      orderId,
      reason,
      excerpt: email.cleanText.replace(/\s+/g, " ").trim().slice(
        0,
        ATTEMPT_EXCERPT_CHARS,
      ),
      at: now,
    };
    const [inThread, bySender] = await Promise.all([
      deps.refunds.countInvalidAttempts(
        { accountId: account.id, threadId: email.threadId },
        new Date(0),
      ),
      deps.refunds.countInvalidAttempts(
        { accountId: account.id, sender },
        new Date(now.getTime() - DAY_MS),
      ),
    ]);
    return Math.max(inThread, bySender) + 1 >= cfg.maxInvalidAttempts
      ? "too_many_invalid_attempts"
      : reason;
  };

  let requestedAt: Date | null = null;
  if (existing?.state === "escalated") {
    event = "escalation";
  } else if (escalation) {
    event = "escalation";
    signal = escalation;
  } else if (found.ids.length === 0) {
    event = existing?.state === "awaiting_order_id"
      ? await invalid("missing_order_id")
      : "missing_order_id";
  } else if (orderId === null) {
    event = "multiple_orders";
  } else {
    const order = await deps.orders.get(orderId);
    if (!order) event = await invalid("order_not_found");
    else if (!senderOwnsOrder(email, order.customerEmail)) {
      event = await invalid("not_owner");
    } else {
      event = checkPolicy(order, now, cfg);
      requestedAt = order.refundRequestedAt;
    }
  }
  return buildRefundPlan({
    input,
    config: cfg,
    existing,
    event,
    orderIds: found.ids,
    sender,
    signal,
    attempt,
    requestedAt,
  });
}
