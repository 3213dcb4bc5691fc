/**
 * The refund state machine: an explicit transition table from (state,
 * event) to the next state, the action, the reply template and the effects
 * to plan. Pure: `decideRefund` turns an email into an event, this table
 * says what follows.
 *
 * `escalated` is sticky: every later email in that thread goes to a person
 * and gets no automatic reply. So are the states a person sets from the
 * dashboard (`refunded`, `rejected_by_person`): the case is decided.
 * @module
 */
import type { RefundCase, RefundState } from "../types.ts";
import type { TemplateName } from "./templates.ts";

/** What an email amounts to, once read against the case and the order. */
export type RefundEventType =
  /** Angry tone, legal/chargeback/fraud words, or a person asked for. */
  | "escalation"
  /** No order id in the email, the case or the thread. */
  | "missing_order_id"
  /** More than one order id: ask which. */
  | "multiple_orders"
  /**
   * Gmail did not authenticate the From address: nothing about any order
   * is looked up or told (the same neutral reply as `not_owner`).
   */
  | "unverified_sender"
  | "order_not_found"
  | "not_owner"
  /** An invalid attempt that reaches `MAX_INVALID_REFUND_ATTEMPTS`. */
  | "too_many_invalid_attempts"
  | "outside_window"
  | "ineligible_status"
  /** Owner, eligible, but the amount is above `REFUND_AUTO_LIMIT`. */
  | "over_limit"
  | "already_requested"
  /** Owner, eligible, within the limit: mark the order. */
  | "eligible";

/** All event types, in a fixed order. */
export const REFUND_EVENTS: readonly RefundEventType[] = [
  "escalation",
  "missing_order_id",
  "multiple_orders",
  "unverified_sender",
  "order_not_found",
  "not_owner",
  "too_many_invalid_attempts",
  "outside_window",
  "ineligible_status",
  "over_limit",
  "already_requested",
  "eligible",
];

/** A state before the first refund email of a thread. */
export type FromState = RefundState | "new";

/** All from-states, in a fixed order. */
export const FROM_STATES: readonly FromState[] = [
  "new",
  "awaiting_order_id",
  "requested",
  "rejected_not_found",
  "rejected_not_owner",
  "rejected_policy",
  "escalated",
  "refunded",
  "rejected_by_person",
];

/** One row of the table. */
export interface Transition {
  to: RefundState;
  /** `reply` sends `template`; `review` sends nothing. */
  action: "reply" | "review";
  /** The reply template, or null when no reply is sent. */
  template: TemplateName | null;
  /** Decision reason; null: the escalation signal's own reason. */
  reason: string | null;
  /** Plan `mark_refund_requested` for the order. */
  mark: boolean;
  /** Put the case in front of a person (review item). */
  review: boolean;
}

const t = (
  to: RefundState,
  template: TemplateName | null,
  reason: string | null,
  extra: Partial<Transition> = {},
): Transition => ({
  to,
  action: template ? "reply" : "review",
  template,
  reason,
  mark: false,
  review: template === null,
  ...extra,
});

/** Rows shared by every state that is not escalated. */
const ACTIVE: Record<RefundEventType, Transition> = {
  escalation: t("escalated", null, null),
  missing_order_id: t("awaiting_order_id", "ask_order_id", "awaiting_order_id"),
  multiple_orders: t("awaiting_order_id", "ask_which_order", "multiple_orders"),
  order_not_found: t(
    "rejected_not_found",
    "order_not_found",
    "order_not_found",
  ),
  not_owner: t("rejected_not_owner", "not_owner", "not_owner"),
  unverified_sender: t("rejected_not_owner", "not_owner", "unverified_sender"),
  too_many_invalid_attempts: t("escalated", null, "too_many_invalid_attempts"),
  outside_window: t("rejected_policy", "outside_window", "outside_window"),
  ineligible_status: t(
    "rejected_policy",
    "ineligible_status",
    "ineligible_status",
  ),
  // Acknowledged to the customer, and handed to a person with the case.
  over_limit: t("escalated", "over_limit", "over_limit", { review: true }),
  already_requested: t("requested", "already_requested", "already_requested"),
  eligible: t("requested", "refund_requested", "refund_requested", {
    mark: true,
  }),
};

/** Every later email of an escalated thread: a person, no reply. */
const STAY_ESCALATED = t("escalated", null, "escalated_case");

/** Every later email of a case a person decided: a person, no reply. */
function stay(state: RefundState): Record<RefundEventType, Transition> {
  const row = t(state, null, "decided_case");
  return Object.fromEntries(REFUND_EVENTS.map((e) => [e, row])) as Record<
    RefundEventType,
    Transition
  >;
}

/** The transition table: TABLE[from][event]. */
export const TABLE: Record<FromState, Record<RefundEventType, Transition>> = {
  new: ACTIVE,
  awaiting_order_id: {
    ...ACTIVE,
    // Asked already: ask again (the attempt is logged by decideRefund).
    missing_order_id: t(
      "awaiting_order_id",
      "ask_order_id_again",
      "awaiting_order_id",
    ),
  },
  requested: ACTIVE,
  rejected_not_found: ACTIVE,
  rejected_not_owner: ACTIVE,
  rejected_policy: ACTIVE,
  escalated: Object.fromEntries(
    REFUND_EVENTS.map((e) => [e, STAY_ESCALATED]),
  ) as Record<RefundEventType, Transition>,
  refunded: stay("refunded"),
  rejected_by_person: stay("rejected_by_person"),
};

/** The transition for `event` from the case's state ("new" without a case). */
export function nextState(
  current: Pick<RefundCase, "state"> | null,
  event: RefundEventType,
): Transition {
  return TABLE[current?.state ?? "new"][event];
}
