/**
 * The recent decisions of one sender or one reply recipient, kept in one
 * Deno KV value, so the reply cap and the repeat-sender count are one read
 * (a `getMany` with the email's other keys) instead of a listing per
 * count. A mark is `[gmailId, claimedAtMs, isAutoReply]` (an auto reply, or
 * a review decision's acknowledgement); one per message
 * (a new decision replaces it). Marks older than `MARKS_WINDOW_MS` are
 * dropped at each write and at most `MAX_MARKS` (the newest) are kept; the
 * value expires a day after the window when no decision refreshes it.
 * @module
 */

/** A mark: the message, its claim time (ms) and 1 for an automatic reply. */
export type ReplyMark = [gmailId: string, atMs: number, autoReply: 0 | 1];

/** The stored value. */
export interface ReplyMarks {
  marks: ReplyMark[];
}

const DAY_MS = 86_400_000;

/** How far back marks are kept: the longest count asked for (7 days). */
export const MARKS_WINDOW_MS = 7 * DAY_MS;

/** Most marks kept per key (the value stays far below KV's 64 KiB). */
export const MAX_MARKS = 500;

/** The value's `expireIn`. */
export const MARKS_EXPIRE_MS = MARKS_WINDOW_MS + DAY_MS;

/** `v` with the mark of `gmailId` set, old marks dropped. */
export function withMark(
  v: ReplyMarks | null,
  mark: ReplyMark,
  now: Date,
): ReplyMarks {
  const from = now.getTime() - MARKS_WINDOW_MS;
  const marks = (v?.marks ?? []).filter((m) =>
    m[0] !== mark[0] && m[1] >= from
  );
  marks.push(mark);
  marks.sort((a, b) => a[1] - b[1]);
  return { marks: marks.slice(-MAX_MARKS) };
}

/** `v` without the mark of `gmailId` (its decision sends elsewhere now). */
export function withoutMark(
  v: ReplyMarks | null,
  gmailId: string,
): ReplyMarks {
  return { marks: (v?.marks ?? []).filter((m) => m[0] !== gmailId) };
}

/** Marks since `since` (all, or only automatic replies). */
export function countMarks(
  v: ReplyMarks | null,
  since: Date,
  onlyAutoReplies: boolean,
): number {
  const from = since.getTime();
  let n = 0;
  for (const [, at, reply] of v?.marks ?? []) {
    if (at >= from && (!onlyAutoReplies || reply === 1)) n++;
  }
  return n;
}
