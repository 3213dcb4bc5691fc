/**
 * Pausing one account's mail for a while, when the provider says so: the
 * daily quota is used up (until it resets at midnight Pacific Time, when
 * Google resets it), or a rate limit names a retry time beyond what a call
 * may wait. The pause is kept in the sync state; the worker makes no Gmail
 * call for the account until it ends, and the mail waits (the cursor does
 * not move, nothing goes to review). The reason is recorded as the account's
 * last error, so the Accounts page shows it.
 * @module
 */
import {
  DailyQuotaExhaustedError,
  RateLimitedError,
  type SyncStateStore,
} from "../ports.ts";

/** When the account's pause ends, or null when it is not paused at `now`. */
export async function pausedUntil(
  syncState: Pick<SyncStateStore, "pausedUntil">,
  accountId: string,
  now: Date,
): Promise<Date | null> {
  const until = await syncState.pausedUntil(accountId);
  return until === null || until <= now ? null : until;
}

const pacific = new Intl.DateTimeFormat("en-US", {
  timeZone: "America/Los_Angeles",
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  hourCycle: "h23",
});

function pacificParts(d: Date): { y: number; m: number; d: number; h: number } {
  const p = Object.fromEntries(
    pacific.formatToParts(d).map((x) => [x.type, x.value]),
  );
  return { y: +p.year!, m: +p.month!, d: +p.day!, h: +p.hour! };
}

/** The next midnight in Los Angeles after `now` (when Google resets daily quota). */
export function nextPacificMidnight(now: Date): Date {
  const t = pacificParts(now);
  // Midnight of the next Pacific day is 07:00 or 08:00 UTC (PDT / PST).
  for (const offset of [7, 8]) {
    const guess = new Date(Date.UTC(t.y, t.m - 1, t.d + 1, offset));
    const g = pacificParts(guess);
    if (g.h === 0 && guess > now) return guess;
  }
  return new Date(Date.UTC(t.y, t.m - 1, t.d + 1, 8));
}

/** How long to pause for `err`, or null when it is no reason to pause. */
export function pauseFor(
  err: unknown,
  now: Date,
): { until: Date; reason: string } | null {
  if (err instanceof DailyQuotaExhaustedError) {
    const until = nextPacificMidnight(now);
    return {
      until,
      reason:
        `Gmail's daily quota is used up: mail waits until ${until.toISOString()} (midnight Pacific Time, when Google resets it)`,
    };
  }
  if (err instanceof RateLimitedError && err.retryAt && err.retryAt > now) {
    return {
      until: err.retryAt,
      reason:
        `Gmail asked to wait until ${err.retryAt.toISOString()} (rate limit): mail waits until then`,
    };
  }
  return null;
}

/** Records a pause of the account until `until`. */
export async function pauseAccount(
  syncState: Pick<SyncStateStore, "setPausedUntil">,
  accountId: string,
  until: Date,
): Promise<void> {
  await syncState.setPausedUntil(accountId, until);
}

/**
 * True for an error that ends the account's cycle at once: a rate limit or
 * the daily quota (every further call would fail too; the mail waits).
 */
export function stopsTheAccount(err: unknown): boolean {
  return err instanceof RateLimitedError ||
    err instanceof DailyQuotaExhaustedError;
}
