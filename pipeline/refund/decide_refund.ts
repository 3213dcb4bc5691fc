/**
 * PLACEHOLDER (owned by the refunds work): the per-thread refund flow.
 * @module
 */
import type { Classification, Orders, RefundStore } from "../ports.ts";
import type { Account, ParsedEmail, Plan } from "../types.ts";

/** Refund policy and templates. */
export interface RefundConfig {
  windowDays: number;
  eligibleStatuses: string[];
  autoLimit: number;
  maxInvalidAttempts: number;
  orderIdPattern: string | null;
  vipSenders: string[];
  /** Reply templates by name; missing names use the defaults. */
  templates: Record<string, string>;
  signature: string;
  shopName: string;
}

/** Input of `decideRefund`. */
export interface RefundInput {
  email: ParsedEmail;
  account: Account;
  classification: Classification;
  /** Text of earlier messages in the thread, oldest first (for order ids). */
  threadTexts: string[];
  now: Date;
}

/**
 * Plans the refund flow for this email: null when the email is neither a
 * refund request nor part of an open refund case in its thread.
 */
export function decideRefund(
  input: RefundInput,
  deps: { refunds: RefundStore; orders: Orders; config: RefundConfig },
): Promise<Plan | null> {
  void deps;
  if (input.classification.category !== "Refund") return Promise.resolve(null);
  return Promise.resolve({
    decision: {
      category: "Refund",
      confidence: input.classification.confidence,
      action: "review",
      reply: null,
      sources: [],
      order_id: null,
      importance: 3,
      reason: "refund_review",
    },
    effects: [],
  });
}
