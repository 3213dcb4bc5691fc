/**
 * Carries out a Plan's effects on the store, idempotently: the worker calls
 * it after recording the decision and before sending, and a retry after a
 * crash calls it again with the same (stored) effects.
 *
 * Order: `mark_refund_requested` first, then `save_refund_case` and
 * `resolve_thread_reviews`, then the rest as listed (`PHASE`). On `{ conflict: true }` nothing after the conflicting
 * effect was applied, and the worker must decide again (fresh reads).
 * @module
 */
import type { Store } from "../ports.ts";
import type { Effect, RefundCase, RefundEvent } from "../types.ts";
import { parseEffects } from "./effect_schema.ts";

/** The ports `applyEffects` writes through. */
export interface ApplyDeps {
  store: Pick<Store, "orders" | "refunds" | "review" | "threads">;
  now: Date;
}

const PHASE: Record<Effect["type"], number> = {
  mark_refund_requested: 0,
  save_refund_case: 1,
  log_invalid_attempt: 2,
  enqueue_review: 2,
  // Before enqueue_review: a takeover resolves the old items, not the new one.
  resolve_thread_reviews: 1,
  mark_taken_over: 2,
};

/** The case event a planned effect list records for marking `orderId`. */
function plannedMark(
  effects: Effect[],
  orderId: string,
): RefundEvent | null {
  for (const e of effects) {
    if (e.type !== "save_refund_case") continue;
    const last = e.refundCase.history[e.refundCase.history.length - 1];
    if (last && last.orderId === orderId && last.to === "requested") {
      return last;
    }
  }
  return null;
}

/**
 * The planned case's last event put on top of the stored case: used when
 * this plan already marked the order (that cannot be undone, so the event
 * must be recorded) but another message of the thread saved first. An
 * escalated case stays escalated.
 */
function rebase(stored: RefundCase, planned: RefundCase): RefundCase {
  const last = planned.history[planned.history.length - 1]!;
  const to = stored.state === "escalated" ? "escalated" : last.to;
  return {
    ...stored,
    state: to,
    orderIds: [...new Set([...stored.orderIds, ...planned.orderIds])],
    history: [...stored.history, { ...last, from: stored.state, to }],
    updatedAt: planned.updatedAt,
    version: stored.version + 1,
  };
}

/** True when the stored case already holds the planned case's last event. */
function alreadySaved(stored: RefundCase | null, planned: RefundCase): boolean {
  const last = planned.history[planned.history.length - 1];
  if (!stored || !last) return false;
  return stored.history.some((h) =>
    h.gmailId === last.gmailId && h.to === last.to && h.note === last.note &&
    h.orderId === last.orderId
  );
}

/**
 * Saves the case; on a version mismatch, true when the event is already
 * stored (a retry), or, when this plan marked the order, after rebasing the
 * event onto the stored case (a few tries).
 */
async function saveCase(
  store: ApplyDeps["store"],
  planned: RefundCase,
  expectedVersion: number,
  marked: boolean,
): Promise<boolean> {
  if (await store.refunds.saveCase(planned, expectedVersion)) return true;
  for (let i = 0; i < 5; i++) {
    const stored = await store.refunds.getCase(
      planned.accountId,
      planned.threadId,
    );
    if (alreadySaved(stored, planned)) return true;
    if (!marked || !stored) return false;
    const next = rebase(stored, planned);
    if (await store.refunds.saveCase(next, stored.version)) return true;
  }
  return false;
}

/**
 * Applies `effects`. Idempotent: a case event already stored is skipped, an
 * order this plan already marked (same time stamp) counts as marked, invalid
 * attempts and review items are unique per gmailId. Returns
 * `{ conflict: true }` when another worker got there first: the case's
 * version moved on, or the order was marked by someone else (or refunded
 * meanwhile: deciding again answers `ineligible_status`). Once this plan
 * has marked the order, its case event is always recorded (rebased onto a
 * case another message saved meanwhile), so the mark is never lost from the
 * history.
 */
export async function applyEffects(
  effects: Effect[],
  deps: ApplyDeps,
): Promise<{ conflict: boolean }> {
  const list = parseEffects(effects)
    .map((e, i) => ({ e, i }))
    .sort((a, b) => PHASE[a.e.type] - PHASE[b.e.type] || a.i - b.i)
    .map((x) => x.e);
  const { store, now } = deps;
  let marked = false;
  for (const e of list) {
    switch (e.type) {
      case "mark_refund_requested": {
        const planned = plannedMark(list, e.orderId);
        const at = planned?.at ?? now;
        const res = await store.orders.markRefundRequested(e.orderId, at);
        const ours = res.ok || (res.reason === "already_requested" &&
          planned !== null && res.requestedAt.getTime() === at.getTime());
        if (!ours) return { conflict: true };
        marked = true;
        break;
      }
      case "save_refund_case": {
        if (!(await saveCase(store, e.refundCase, e.expectedVersion, marked))) {
          return { conflict: true };
        }
        break;
      }
      case "log_invalid_attempt":
        await store.refunds.addInvalidAttempt(e.attempt);
        break;
      case "enqueue_review":
        await store.review.add(e.item, now);
        break;
      case "resolve_thread_reviews": {
        const open = await store.review.openForThread(e.accountId, e.threadId);
        for (const item of open) {
          await store.review.update(item.id, { status: "resolved" }, now);
        }
        break;
      }
      case "mark_taken_over":
        await store.threads.markTakenOver(e.accountId, e.threadId, now);
        break;
    }
  }
  return { conflict: false };
}
