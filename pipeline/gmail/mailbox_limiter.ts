/**
 * A client-side limiter per mailbox: before each Gmail call, `take(method)`
 * waits until the method's units fit in the user's per-minute budget (a
 * sliding 60 s window, as Google counts it), so the agent stays under the
 * limit instead of collecting 429s. `pauseUntil` holds every call back until
 * a time Google named (Retry-After, "Retry after <time>"). The clock and the
 * sleep are injected: tests never wait on the wall clock.
 * @module
 */
import type { Clock } from "../ports.ts";

/** Options of `createMailboxLimiter`. */
export interface MailboxLimiterOptions {
  /** Units per method (quota_costs.ts); a method not listed costs `defaultCost`. */
  costs: Readonly<Record<string, number>>;
  /** The per-user budget of one window. */
  unitsPerMinute: number;
  clock: Clock;
  /** Waits `ms`. Tests pass one that moves their clock. */
  sleep: (ms: number) => Promise<void>;
  /** Window length in ms. Default 60,000. */
  windowMs?: number;
  /** Units of a method missing from `costs`. Default 5. */
  defaultCost?: number;
}

/** The limiter of one mailbox. */
export interface MailboxLimiter {
  /**
   * Waits (injected sleep) until `method` fits, then counts its units; call
   * the returned `done` when the call has ended. A call counts from its
   * start until a window after it ended (Google counts it on arrival,
   * between the two): calls in flight never leave the window, so calls
   * made at the same time never pass the budget together.
   */
  take(method: string): Promise<() => void>;
  /** No call starts before `at` (Google's retry time). */
  pauseUntil(at: Date): void;
  /** Units counted in the current window. */
  used(): number;
  /** The units `method` costs. */
  cost(method: string): number;
}

/** Creates a limiter. Concurrent `take` calls are served in order. */
export function createMailboxLimiter(
  opts: MailboxLimiterOptions,
): MailboxLimiter {
  if (!(opts.unitsPerMinute > 0)) {
    throw new RangeError(
      `Cannot limit Gmail calls as unitsPerMinute must be positive: current value is ${opts.unitsPerMinute}`,
    );
  }
  const windowMs = opts.windowMs ?? 60_000;
  /** Calls counted: `at` is their start, then their end once done. */
  let spent: { at: number; units: number; inFlight: boolean }[] = [];
  let pausedUntil = 0;
  let queue: Promise<unknown> = Promise.resolve();
  /** Resolved (and replaced) each time a call in flight ends. */
  let ended = Promise.withResolvers<void>();

  const cost = (method: string) => opts.costs[method] ?? opts.defaultCost ?? 5;
  const prune = (now: number) => {
    spent = spent.filter((s) => s.inFlight || s.at > now - windowMs);
  };
  const used = (now: number) => {
    prune(now);
    return spent.reduce((n, s) => n + s.units, 0);
  };

  /**
   * Milliseconds to wait before `units` fit at `now`, 0 when they do, or
   * "call_ends" when only the end of a call in flight can free them.
   */
  const waitFor = (units: number, now: number): number | "call_ends" => {
    if (now < pausedUntil) return pausedUntil - now;
    let total = used(now);
    // A call dearer than the whole budget goes alone in an empty window.
    const need = Math.min(units, opts.unitsPerMinute);
    if (total + need <= opts.unitsPerMinute) return 0;
    const leaving = spent.filter((s) => !s.inFlight)
      .sort((a, b) => a.at - b.at);
    for (const s of leaving) {
      total -= s.units;
      if (total + need <= opts.unitsPerMinute) {
        return Math.max(1, s.at + windowMs - now);
      }
    }
    return spent.some((s) => s.inFlight) ? "call_ends" : windowMs;
  };

  const takeNow = async (method: string): Promise<() => void> => {
    const units = cost(method);
    for (;;) {
      const now = opts.clock.now().getTime();
      const ms = waitFor(units, now);
      if (ms === 0) {
        const entry = { at: now, units, inFlight: true };
        spent.push(entry);
        return () => {
          if (!entry.inFlight) return;
          entry.inFlight = false;
          entry.at = Math.max(entry.at, opts.clock.now().getTime());
          ended.resolve();
          ended = Promise.withResolvers<void>();
        };
      }
      if (ms === "call_ends") await ended.promise;
      else await opts.sleep(ms);
    }
  };

  return {
    take(method) {
      const turn = queue.then(() => takeNow(method));
      queue = turn.catch(() => {});
      return turn;
    },
    pauseUntil(at) {
      pausedUntil = Math.max(pausedUntil, at.getTime());
    },
    used: () => used(opts.clock.now().getTime()),
    cost,
  };
}
