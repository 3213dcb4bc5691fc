/**
 * The per-thread refund flow. `loadRefundContext` reads the case, the
 * order, the invalid attempts (and the earlier thread, when an order id is
 * found nowhere else) before anything is decided; `decideRefund` then turns
 * the email into an event, looks the transition up in the table
 * (`transitions.ts`) and returns a Plan, with no I/O. It changes nothing:
 * `applyEffects` carries the effects out. Both run one pure function,
 * `refundStep`, so the loader reads exactly what the decision needs.
 * @module
 */
import type { Orders, RefundStore } from "../ports.ts";
import type { InvalidRefundAttempt, Plan, RefundState } from "../types.ts";
import { hasRefundWording } from "./refund_wording.ts";
import { detectEscalation, type EscalationSignal } from "./escalation.ts";
import { findOrderIds } from "./order_ids.ts";
import {
  normaliseAddress,
  senderAuthOf,
  senderOwnsOrder,
} from "./ownership.ts";
import { checkPolicy } from "./policy.ts";
import { buildRefundPlan } from "./refund_plan.ts";
import type {
  RefundConfig,
  RefundContext,
  RefundInput,
  RefundSources,
} from "./refund_types.ts";
import type { RefundEventType } from "./transitions.ts";

export type { RefundConfig, RefundContext, RefundInput, RefundSources };

/** The ports `loadRefundContext` reads. */
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
/** States whose every later email goes to a person (escalated, or decided by one). */
const STICKY: ReadonlySet<RefundState> = new Set([
  "escalated",
  "refunded",
  "rejected_by_person",
]);
const DAY_MS = 24 * 60 * 60 * 1000;
const ATTEMPT_EXCERPT_CHARS = 160;

/** What the refund step still needs read before it can decide. */
type Need =
  | { what: "earlier_texts" }
  | { what: "order"; orderId: string }
  | { what: "invalid_attempts"; sender: string };

/** The refund step: a plan (null: not a refund matter), or what it needs. */
type Step = { plan: Plan | null } | { need: Need };

/**
 * Reads what the refund flow needs for this email, and nothing more: the
 * thread's case always; the earlier thread (one Gmail `threads.get`) only
 * when an open case needs an order id found nowhere else; the order only
 * when one id is named; the invalid-attempt counts only for an invalid
 * attempt.
 */
export async function loadRefundContext(
  input: RefundInput,
  sources: RefundSources,
  deps: RefundDeps,
): Promise<RefundContext> {
  const { email, account, now } = input;
  let ctx: RefundContext = {
    existing: await deps.refunds.getCase(account.id, email.threadId),
    threadTexts: sources.threadTexts,
    earlierTexts: sources.loadEarlierTexts ? "not_loaded" : "unavailable",
    orders: new Map(),
    invalidAttempts: null,
  };
  // Each need is read once; a fourth round would be a bug in refundStep.
  for (let round = 0; round < 4; round++) {
    const step = refundStep(input, ctx, deps.config);
    if (!("need" in step)) return ctx;
    const need = step.need;
    if (need.what === "earlier_texts") {
      ctx = { ...ctx, earlierTexts: await sources.loadEarlierTexts!() };
    } else if (need.what === "order") {
      const order = await deps.orders.get(need.orderId);
      ctx = { ...ctx, orders: new Map([[need.orderId, order]]) };
    } else {
      const [inThread, bySender] = await Promise.all([
        deps.refunds.countInvalidAttempts(
          { accountId: account.id, threadId: email.threadId },
          new Date(0),
        ),
        deps.refunds.countInvalidAttempts(
          { accountId: account.id, sender: need.sender },
          new Date(now.getTime() - DAY_MS),
        ),
      ]);
      ctx = { ...ctx, invalidAttempts: { inThread, bySender } };
    }
  }
  throw new Error("Cannot load the refund context: it kept needing more");
}

/**
 * Plans the refund flow for this email from its loaded context: null when
 * the email is neither a refund request nor part of an open refund case in
 * its thread. No I/O. Throws a TypeError when `ctx` lacks something the
 * decision needs (it was not built by `loadRefundContext`).
 */
export function decideRefund(
  input: RefundInput,
  ctx: RefundContext,
  config: RefundConfig,
): Plan | null {
  const step = refundStep(input, ctx, config);
  if ("need" in step) {
    throw new TypeError(
      `Cannot decide the refund as its context lacks ${step.need.what}: build it with loadRefundContext`,
    );
  }
  return step.plan;
}

/** The refund decision, or the first read it is missing. */
function refundStep(
  input: RefundInput,
  ctx: RefundContext,
  cfg: RefundConfig,
): Step {
  const { email, account, classification, now } = input;
  const { existing } = ctx;
  const sources = {
    subject: email.subject,
    body: email.cleanText,
    caseOrderIds: existing?.orderIds ?? [],
    threadTexts: ctx.threadTexts,
  };
  let found = findOrderIds(sources, { pattern: cfg.orderIdPattern });

  const isRefund = classification.category === "Refund";
  const confident = classification.confidence >= (cfg.minConfidence ?? 0.5);
  const ownId = found.source === "body" || found.source === "subject";
  // A first email opens a case only when it names an order or speaks of a
  // refund: the classifier calls plain questions Refund too.
  const engaged = existing === null
    ? isRefund && confident &&
      (found.ids.length > 0 ||
        hasRefundWording(`${email.subject}\n${email.cleanText}`))
    : STICKY.has(existing.state) || isRefund ||
      (OPEN_STATES.has(existing.state) && ownId);
  if (!engaged) return { plan: null };

  const sender = normaliseAddress(email.from?.address) || "(unknown sender)";
  const escalation = detectEscalation(`${email.subject}\n${email.cleanText}`);
  if (
    found.ids.length === 0 && ctx.earlierTexts !== "unavailable" &&
    !escalation && !(existing && STICKY.has(existing.state))
  ) {
    // Only now, when the case needs an id, is the whole thread worth a call.
    if (ctx.earlierTexts === "not_loaded") {
      return { need: { what: "earlier_texts" } };
    }
    found = findOrderIds(
      { ...sources, threadTexts: ctx.earlierTexts },
      { pattern: cfg.orderIdPattern },
    );
  }
  const orderId = found.ids.length === 1 ? found.ids[0] ?? null : null;
  let attempt: InvalidRefundAttempt | null = null;
  let signal: EscalationSignal | null = null;

  /** The event of an invalid attempt, or null when the counts are not read. */
  const invalid = (
    reason: InvalidRefundAttempt["reason"],
  ): RefundEventType | null => {
    if (ctx.invalidAttempts === null) return null;
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
    const { inThread, bySender } = ctx.invalidAttempts;
    return Math.max(inThread, bySender) + 1 >= cfg.maxInvalidAttempts
      ? "too_many_invalid_attempts"
      : reason;
  };

  let event: RefundEventType | null;
  let requestedAt: Date | null = null;
  if (existing?.state === "escalated") {
    event = "escalation";
  } else if (escalation) {
    event = "escalation";
    signal = escalation;
  } else if (found.ids.length === 0) {
    event = existing?.state === "awaiting_order_id"
      ? invalid("missing_order_id")
      : "missing_order_id";
  } else if (orderId === null) {
    event = "multiple_orders";
  } else if (!senderAuthOf(email).ok) {
    // Before any lookup: an unauthenticated From learns nothing, not even
    // whether the order exists, and nothing is marked.
    event = invalid("unverified_sender");
  } else {
    if (!ctx.orders.has(orderId)) return { need: { what: "order", orderId } };
    const order = ctx.orders.get(orderId) ?? null;
    if (!order) event = invalid("order_not_found");
    else if (!senderOwnsOrder(email, order.customerEmail)) {
      event = invalid("not_owner");
    } else {
      event = checkPolicy(order, now, cfg);
      requestedAt = order.refundRequestedAt;
    }
  }
  if (event === null) return { need: { what: "invalid_attempts", sender } };
  return {
    plan: buildRefundPlan({
      input,
      config: cfg,
      existing,
      event,
      orderIds: found.ids,
      sender,
      signal,
      attempt,
      requestedAt,
    }),
  };
}
