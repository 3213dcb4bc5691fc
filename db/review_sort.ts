/**
 * Shared ordering of review items (both backends): importance high first,
 * then oldest first, then id for a stable order.
 * @module
 */
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
