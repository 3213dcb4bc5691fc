/**
 * The refund flow's input and policy types, shared by `decide_refund.ts`
 * (the decision) and `refund_plan.ts` (the plan it builds).
 * @module
 */
import type { Classification } from "../ports.ts";
import type { Account, ParsedEmail } from "../types.ts";

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
  /**
   * Least classifier confidence to open a new case (pass
   * CLASSIFY_THRESHOLD). Below it the email is left to the normal flow.
   * Default 0.5.
   */
  minConfidence?: number;
}

/** Input of `decideRefund`. */
export interface RefundInput {
  email: ParsedEmail;
  account: Account;
  classification: Classification;
  /** Text of earlier messages in the thread, oldest first (for order ids). */
  threadTexts: string[];
  /**
   * All earlier text of the thread (includes `threadTexts`), fetched when
   * called; used only when a case needs an order id found nowhere else.
   */
  loadEarlierTexts?: () => Promise<string[]>;
  now: Date;
}
