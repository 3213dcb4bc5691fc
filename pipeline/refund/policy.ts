/**
 * The refund policy for an order its owner asks about. Pure.
 * @module
 */
import type { Order } from "../types.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The policy settings (from `REFUND_*`). */
export interface RefundPolicy {
  /** `REFUND_WINDOW_DAYS`: calendar days (UTC) after the order date. */
  windowDays: number;
  /** `REFUND_ELIGIBLE_STATUSES`, compared case-insensitively. */
  eligibleStatuses: string[];
  /** `REFUND_AUTO_LIMIT`: amounts above it go to a person. */
  autoLimit: number;
}

/** The policy's verdict on one order. */
export type PolicyOutcome =
  | "already_requested"
  | "ineligible_status"
  | "outside_window"
  | "over_limit"
  | "eligible";

/** Whole UTC calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: Date, to: Date): number {
  const day = (d: Date) =>
    Math.floor(
      Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) / DAY_MS,
    );
  return day(to) - day(from);
}

/**
 * Checks, in this order: refunded already (status `refunded`, whatever
 * the eligible statuses say: a person approved it, or it was imported so;
 * never granted twice), already requested (the order's
 * `refundRequestedAt`), status, window (order day + windowDays, inclusive),
 * then the amount (strictly above the limit escalates).
 */
export function checkPolicy(
  order: Order,
  now: Date,
  policy: RefundPolicy,
): PolicyOutcome {
  const status = order.status.trim().toLowerCase();
  if (status === "refunded") return "ineligible_status";
  if (order.refundRequestedAt) return "already_requested";
  const eligible = policy.eligibleStatuses.map((s) => s.trim().toLowerCase());
  if (!eligible.includes(status)) return "ineligible_status";
  if (daysBetween(order.orderDate, now) > policy.windowDays) {
    return "outside_window";
  }
  if (order.amount > policy.autoLimit) return "over_limit";
  return "eligible";
}
