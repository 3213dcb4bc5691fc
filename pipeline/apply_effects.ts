/**
 * Carries out a Plan's effects on the store, idempotently: the worker calls
 * it after recording the decision and before sending, and a retry after a
 * crash calls it again with the same (stored) effects.
 *
 * Order: `mark_refund_requested` first, then `save_refund_case`, then the
 * rest as listed. On `{ conflict: true }` nothing after the conflicting
 * effect was applied, and the worker must decide again (fresh reads).
 * @module
 */
import type { Store } from "./ports.ts";
import type { Effect, RefundCase, RefundEvent } from "./types.ts";
import { parseEffects } from "./effect_schema.ts";

/** The ports `applyEffects` writes through. */
export interface ApplyDeps {
  store: Pick<Store, "orders" | "refunds" | "review">;
  now: Date;
}

const PHASE: Record<Effect["type"], number> = {
  mark_refund_requested: 0,
  save_refund_case: 1,
  log_invalid_attempt: 2,
  enqueue_review: 2,
  resolve_thread_reviews: 2,
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
 * Applies `effects`. Idempotent: a case event already stored is skipped, an
 * order this plan already marked (same time stamp) counts as marked, invalid
 * attempts and review items are unique per gmailId. Returns
 * `{ conflict: true }` when another worker got there first: the case's
 * version moved on, or the order was marked by someone else.
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
  for (const e of list) {
    switch (e.type) {
      case "mark_refund_requested": {
        const planned = plannedMark(list, e.orderId);
        const at = planned?.at ?? now;
        const res = await store.orders.markRefundRequested(e.orderId, at);
        if (res.ok) break;
        const ours = res.reason === "already_requested" && planned !== null &&
          res.requestedAt.getTime() === at.getTime();
        if (!ours) return { conflict: true };
        break;
      }
      case "save_refund_case": {
        if (await store.refunds.saveCase(e.refundCase, e.expectedVersion)) {
          break;
        }
        const stored = await store.refunds.getCase(
          e.refundCase.accountId,
          e.refundCase.threadId,
        );
        if (!alreadySaved(stored, e.refundCase)) return { conflict: true };
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
    }
  }
  return { conflict: false };
}
