/**
 * Sign-in rate limit, in memory with the injected clock: at most `perIp`
 * failures per client per window, and at most `global` failures in all per
 * window (a backoff against distributed guessing).
 * @module
 */

/** Options of `createLoginLimiter`. */
export interface LoginLimiterOptions {
  /** Failures allowed per IP per window. Default 5. */
  perIp?: number;
  /** Failures allowed from everyone per window. Default 50. */
  global?: number;
  /** Window length. Default 15 minutes. */
  windowMs?: number;
}

/** Outcome of `check`. */
export type LimitResult = { ok: true } | { ok: false; retryAfterSec: number };

/** A sign-in rate limiter. */
export interface LoginLimiter {
  check(ip: string, now: Date): LimitResult;
  fail(ip: string, now: Date): void;
  /** Forgets the IP's failures after a successful sign-in. */
  succeed(ip: string): void;
}

/** Creates a limiter. */
export function createLoginLimiter(
  opts: LoginLimiterOptions = {},
): LoginLimiter {
  const perIp = opts.perIp ?? 5;
  const global = opts.global ?? 50;
  const windowMs = opts.windowMs ?? 15 * 60 * 1000;
  const byIp = new Map<string, number[]>();
  let all: number[] = [];
  const prune = (list: number[], t: number) =>
    list.filter((x) => x > t - windowMs);
  const retry = (list: number[], t: number) =>
    Math.max(1, Math.ceil(((list[0] ?? t) + windowMs - t) / 1000));
  return {
    check(ip, now) {
      const t = now.getTime();
      all = prune(all, t);
      const mine = prune(byIp.get(ip) ?? [], t);
      if (mine.length === 0) byIp.delete(ip);
      else byIp.set(ip, mine);
      if (mine.length >= perIp) {
        return { ok: false, retryAfterSec: retry(mine, t) };
      }
      if (all.length >= global) {
        return { ok: false, retryAfterSec: retry(all, t) };
      }
      return { ok: true };
    },
    fail(ip, now) {
      const t = now.getTime();
      byIp.set(ip, [...prune(byIp.get(ip) ?? [], t), t]);
      all.push(t);
    },
    succeed(ip) {
      byIp.delete(ip);
    },
  };
}
