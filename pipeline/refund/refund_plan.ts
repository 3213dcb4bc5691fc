/**
 * From a refund event to a Plan: the next case (history appended, version
 * checked on save), the reply, and the effects. Pure.
 * @module
 */
import { scoreImportance } from "../decide/importance.ts";
import type {
  Decision,
  Effect,
  InvalidRefundAttempt,
  Plan,
  RefundCase,
} from "../types.ts";
import type { RefundConfig, RefundInput } from "./refund_types.ts";
import type { EscalationSignal } from "./escalation.ts";
import { renderTemplate } from "./templates.ts";
import { nextState, type RefundEventType } from "./transitions.ts";

/** Everything `buildRefundPlan` needs. */
export interface RefundPlanInput {
  input: RefundInput;
  config: RefundConfig;
  existing: RefundCase | null;
  event: RefundEventType;
  /** The ids the email refers to (one, several, or none). */
  orderIds: string[];
  /** Normalised From address. */
  sender: string;
  signal: EscalationSignal | null;
  attempt: InvalidRefundAttempt | null;
  /** When the order was first marked (for `already_requested`). */
  requestedAt: Date | null;
}

const EXCERPT_CHARS = 400;

/** A safe first name for the greeting: "there" unless it looks like a name. */
export function greetingName(displayName: string | null | undefined): string {
  const first = (displayName ?? "").replace(/["']/g, "").trim().split(/\s+/)[0];
  return first && /^\p{L}[\p{L}.-]{0,39}$/u.test(first) ? first : "there";
}

/** Builds the Plan for one refund event. */
export function buildRefundPlan(p: RefundPlanInput): Plan {
  const { email, account, classification, now } = p.input;
  const cfg = p.config;
  const tr = nextState(p.existing, p.event);
  const reason = tr.reason ?? p.signal?.reason ?? "escalated_tone";
  const orderId = p.orderIds.length === 1 ? p.orderIds[0] ?? null : null;

  const history = [
    ...(p.existing?.history ?? []),
    {
      at: now,
      from: p.existing?.state ?? null,
      to: tr.to,
      gmailId: email.id,
      orderId,
      note: p.signal ? `${reason} (${p.signal.signal})` : reason,
    },
  ];
  const orderIds = [...(p.existing?.orderIds ?? [])];
  if (orderId && !orderIds.includes(orderId)) orderIds.push(orderId);
  const refundCase: RefundCase = {
    accountId: account.id,
    threadId: email.threadId,
    state: tr.to,
    customerEmail: p.existing?.customerEmail ?? p.sender,
    orderIds,
    history,
    createdAt: p.existing?.createdAt ?? now,
    updatedAt: now,
    version: (p.existing?.version ?? 0) + 1,
  };

  const reply = tr.template
    ? renderTemplate(tr.template, {
      name: greetingName(email.from?.name),
      order_id: p.orderIds.join(", "),
      date: p.requestedAt ? p.requestedAt.toISOString().slice(0, 10) : "",
      days: String(cfg.windowDays),
      signature: cfg.signature,
      shop: cfg.shopName,
    }, cfg.templates)
    : null;

  let importance: { score: number; reasons: string[] } | null = null;
  if (tr.review) {
    const imp = scoreImportance({
      subject: email.subject,
      body: email.cleanText,
      senderAddress: p.sender,
      vipSenders: cfg.vipSenders,
      priorFromSender: 0,
    });
    const risky = /^(legal|fraud):/.test(p.signal?.signal ?? "");
    const reasons = [`refund:${reason}`];
    if (p.signal && !imp.reasons.includes(p.signal.signal)) {
      reasons.push(p.signal.signal);
    }
    importance = {
      score: Math.min(5, Math.max(imp.score, risky ? 4 : 3)),
      reasons: [...reasons, ...imp.reasons],
    };
  }

  const decision: Decision = {
    category: "Refund",
    confidence: classification.category === "Refund"
      ? classification.confidence
      : classification.scores.Refund,
    action: tr.action,
    reply,
    sources: [],
    order_id: orderId,
    importance: importance?.score ?? null,
    ...(importance ? { importance_reasons: importance.reasons } : {}),
    reason,
  };

  const effects: Effect[] = [];
  if (tr.mark && orderId) {
    effects.push({ type: "mark_refund_requested", orderId });
  }
  effects.push({
    type: "save_refund_case",
    refundCase,
    expectedVersion: p.existing?.version ?? 0,
  });
  if (p.attempt) {
    effects.push({ type: "log_invalid_attempt", attempt: p.attempt });
  }
  if (importance) {
    const path = history.map((h) => h.to).join(" → ");
    const ids = orderIds.length > 0 ? orderIds.join(", ") : "no order id";
    effects.push({
      type: "enqueue_review",
      item: {
        accountId: account.id,
        gmailId: email.id,
        threadId: email.threadId,
        sender: email.from?.address ?? "(unknown sender)",
        subject: email.subject,
        excerpt: `[Refund case: ${ids}; ${path}]\n${email.cleanText}`.slice(
          0,
          EXCERPT_CHARS,
        ),
        category: "Refund",
        importance: importance.score,
        importanceReasons: importance.reasons,
        reason,
      },
    });
  }
  return { decision, effects };
}
