/**
 * Shared ordering of review items (both backends): importance high first,
 * then oldest first, then id for a stable order.
 * @module
 */
import type { ReviewCursor, ReviewFilter } from "../pipeline/ports.ts";
import type { ReviewItem, ReviewStatus } from "../pipeline/types.ts";

/** Compares review items for the queue order. */
export function compareReview(a: ReviewItem, b: ReviewItem): number {
  return b.importance - a.importance ||
    a.createdAt.getTime() - b.createdAt.getTime() ||
    a.id.localeCompare(b.id);
}

/** A zeroed count per review status. */
export function emptyStatusCounts(): Record<ReviewStatus, number> {
  return { pending: 0, in_progress: 0, resolved: 0 };
}

/** True when `item` comes after `cursor` in the queue order. */
export function afterReviewCursor(item: ReviewItem, c: ReviewCursor): boolean {
  return item.importance < c.importance ||
    (item.importance === c.importance &&
      (item.createdAt.getTime() > c.createdAt.getTime() ||
        (item.createdAt.getTime() === c.createdAt.getTime() &&
          item.id.localeCompare(c.id) > 0)));
}

/** True when `item` passes the filter (all but `limit`). */
export function matchesReviewFilter(
  item: ReviewItem,
  f: ReviewFilter,
): boolean {
  if (
    f.status ? item.status !== f.status : f.open && item.status === "resolved"
  ) {
    return false;
  }
  if (f.accountId && item.accountId !== f.accountId) return false;
  if (f.after && !afterReviewCursor(item, f.after)) return false;
  const t = f.text?.toLowerCase();
  return !t || item.subject.toLowerCase().includes(t) ||
    item.sender.toLowerCase().includes(t) ||
    item.excerpt.toLowerCase().includes(t);
}
