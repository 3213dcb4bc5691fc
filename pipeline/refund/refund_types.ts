/**
 * The refund flow's input and policy types, shared by `decide_refund.ts`
 * (the decision) and `refund_plan.ts` (the plan it builds).
 * @module
 */
import type { Classification } from "../ports.ts";
import type { Account, Order, ParsedEmail, RefundCase } from "../types.ts";

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

/** The email `decideRefund` plans for, and what is known of it. */
export interface RefundInput {
  email: ParsedEmail;
  account: Account;
  classification: Classification;
  now: Date;
}

/** Where `loadRefundContext` looks for order ids besides the email. */
export interface RefundSources {
  /** Text of earlier messages in the thread, oldest first (the quoted part). */
  threadTexts: string[];
  /**
   * All earlier text of the thread (includes `threadTexts`), fetched when
   * called; used only when a case needs an order id found nowhere else.
   */
  loadEarlierTexts?: () => Promise<string[]>;
}

/**
 * Everything the refund flow reads, loaded before it decides
 * (`loadRefundContext`): plain data, so `decideRefund` does no I/O.
 */
export interface RefundContext {
  /** The thread's case, or null. */
  existing: RefundCase | null;
  /** Text of earlier messages in the thread (the quoted part). */
  threadTexts: string[];
  /**
   * The whole earlier thread, fetched only when the case needs an order id
   * found nowhere else; "unavailable" when it cannot be fetched (a first
   * email, or a mailbox without `getThread`); "not_loaded" when not needed.
   */
  earlierTexts: string[] | "unavailable" | "not_loaded";
  /** The orders looked up, by id; null: no such order. */
  orders: ReadonlyMap<string, Order | null>;
  /**
   * Earlier invalid attempts (in the thread ever, by the sender in the last
   * 24 hours), read only when this email is an invalid attempt; else null.
   */
  invalidAttempts: { inThread: number; bySender: number } | null;
}
