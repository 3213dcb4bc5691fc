/**
 * Paging cursors in URLs: the position after the last row of a page
 * (`ActivityCursor`, `ReviewCursor`), as base64url JSON checked with zod on
 * the way back. A cursor names a row, not an offset, so a new email that
 * arrives between two pages never shifts the next one.
 * @module
 */
import { z } from "zod";
import type { ActivityCursor, ReviewCursor } from "../pipeline/ports.ts";

const id = z.string().min(1).max(200);
const activitySchema = z.object({ t: z.number().int(), a: id, g: id });
const reviewSchema = z.object({
  i: z.number().int().min(1).max(5),
  t: z.number().int(),
  id,
});

function encode(v: unknown): string {
  return btoa(JSON.stringify(v)).replace(/\+/g, "-").replace(/\//g, "_")
    .replace(/=+$/, "");
}

function decode(s: string): unknown {
  try {
    return JSON.parse(atob(s.replace(/-/g, "+").replace(/_/g, "/")));
  } catch {
    return null;
  }
}

/** The URL form of an activity cursor. */
export function encodeActivityCursor(c: ActivityCursor): string {
  return encode({ t: c.at.getTime(), a: c.accountId, g: c.gmailId });
}

/** The activity cursor of a URL, or null when it is not one. */
export function decodeActivityCursor(s: string): ActivityCursor | null {
  const r = activitySchema.safeParse(decode(s));
  return r.success
    ? { at: new Date(r.data.t), accountId: r.data.a, gmailId: r.data.g }
    : null;
}

/** The URL form of a review cursor. */
export function encodeReviewCursor(c: ReviewCursor): string {
  return encode({ i: c.importance, t: c.createdAt.getTime(), id: c.id });
}

/** The review cursor of a URL, or null when it is not one. */
export function decodeReviewCursor(s: string): ReviewCursor | null {
  const r = reviewSchema.safeParse(decode(s));
  return r.success
    ? { importance: r.data.i, createdAt: new Date(r.data.t), id: r.data.id }
    : null;
}
