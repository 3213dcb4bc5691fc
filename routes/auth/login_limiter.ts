/**
 * Sign-in back-off, in memory with the injected clock. Each client address
 * (an IPv6 address counts by its /64) gets a few free failures; after that
 * every further failure makes it wait twice as long as the last, up to a
 * cap. Only that address waits: there is no global lockout, so a flood of
 * failures from elsewhere never keeps the right password out, and the
 * one-time link is not limited at all (login_routes.tsx). An address's
 * failures are forgotten after a sign-in from it, or after `forgetAfterMs`
 * without a failure.
 * @module
 */

/** Options of `createLoginLimiter`. */
export interface LoginLimiterOptions {
  /** Failures per address before the first wait (after the fifth, by default). Default 5. */
  freeFailures?: number;
  /** The first wait. Default 1 second. */
  baseDelayMs?: number;
  /** The longest wait. Default 15 minutes. */
  maxDelayMs?: number;
  /** Failures are forgotten after this long without one. Default 24 hours. */
  forgetAfterMs?: number;
  /** Addresses remembered at most (oldest dropped first). Default 10,000. */
  maxAddresses?: number;
}

/** Outcome of `check`. */
export type LimitResult = { ok: true } | { ok: false; retryAfterSec: number };

/** A sign-in rate limiter. */
export interface LoginLimiter {
  /** Whether `ip` may try a password now. */
  check(ip: string, now: Date): LimitResult;
  /** Records a failed attempt from `ip`. */
  fail(ip: string, now: Date): void;
  /** Forgets the address's failures after a successful sign-in. */
  succeed(ip: string): void;
}

interface Record {
  failures: number;
  last: number;
}

/** The key an address is counted under: IPv4 as is, IPv6 by its /64. */
export function addressKey(ip: string): string {
  if (!ip.includes(":")) return ip;
  const v4 = ip.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i);
  if (v4) return v4[1]!;
  const [head = "", tail = ""] = ip.toLowerCase().split("::");
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = ip.includes("::")
    ? [...h, ...Array(Math.max(0, 8 - h.length - t.length)).fill("0"), ...t]
    : h;
  return groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":") +
    "::/64";
}

/** Creates a limiter. */
export function createLoginLimiter(
  opts: LoginLimiterOptions = {},
): LoginLimiter {
  const free = opts.freeFailures ?? 5;
  const base = opts.baseDelayMs ?? 1000;
  const max = opts.maxDelayMs ?? 15 * 60 * 1000;
  const forget = opts.forgetAfterMs ?? 24 * 60 * 60 * 1000;
  const cap = opts.maxAddresses ?? 10_000;
  const byKey = new Map<string, Record>();
  const delay = (failures: number) =>
    failures < free ? 0 : Math.min(max, base * 2 ** (failures - free));
  const current = (key: string, t: number) => {
    const r = byKey.get(key);
    if (r && t - r.last >= forget) {
      byKey.delete(key);
      return undefined;
    }
    return r;
  };
  return {
    check(ip, now) {
      const t = now.getTime();
      const r = current(addressKey(ip), t);
      if (!r) return { ok: true };
      const until = r.last + delay(r.failures);
      return t >= until ? { ok: true } : {
        ok: false,
        retryAfterSec: Math.max(1, Math.ceil((until - t) / 1000)),
      };
    },
    fail(ip, now) {
      const key = addressKey(ip);
      const t = now.getTime();
      const failures = (current(key, t)?.failures ?? 0) + 1;
      byKey.delete(key); // re-insert: the Map keeps the newest last
      byKey.set(key, { failures, last: t });
      while (byKey.size > cap) {
        const oldest = byKey.keys().next().value;
        if (oldest === undefined) break;
        byKey.delete(oldest);
      }
    },
    succeed(ip) {
      byKey.delete(addressKey(ip));
    },
  };
}
