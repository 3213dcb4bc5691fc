/**
 * Every store call with a deadline: a call that does not settle in time
 * rejects with `StoreUnavailableError` (the driver may still be retrying a
 * lost connection: postgres.js 3.4.9 reconnects in a loop when its database
 * disappears), and an error that says the database is gone is turned into
 * the same error, so the worker stops its cycle instead of failing email
 * after email. `close()` is bounded too. Works over any sub-store shape.
 * @module
 */
import { type Store, StoreUnavailableError } from "../pipeline/ports.ts";

/** Timer functions (tests pass ones they fire by hand). */
export interface DeadlineTimers {
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: number): void;
}

const unrefTimers: DeadlineTimers = {
  setTimeout(fn, ms) {
    const id = setTimeout(fn, ms) as unknown as number;
    Deno.unrefTimer(id);
    return id;
  },
  clearTimeout: (id) => clearTimeout(id),
};

/** Options of `withDeadlines` (`close()` waits at most 5 s). */
export interface DeadlineOptions {
  /** Longest a store call may take. */
  timeoutMs: number;
  /** True for a driver error meaning the database is gone. Default: none. */
  isUnavailable?: (err: unknown) => boolean;
  timers?: DeadlineTimers;
}

/** The store with a deadline on every call (see the module doc). */
export function withDeadlines(store: Store, opts: DeadlineOptions): Store {
  const timers = opts.timers ?? unrefTimers;
  const seconds = Math.round(opts.timeoutMs / 100) / 10;

  const bounded = <T>(
    what: string,
    call: () => Promise<T>,
    timeoutMs = opts.timeoutMs,
  ): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const timer = timers.setTimeout(() => {
        reject(
          new StoreUnavailableError(
            `the ${store.kind} store did not answer within ${seconds} s (${what})`,
          ),
        );
      }, timeoutMs);
      call().then((v) => {
        timers.clearTimeout(timer);
        resolve(v);
      }, (err) => {
        timers.clearTimeout(timer);
        reject(
          opts.isUnavailable?.(err)
            ? new StoreUnavailableError(
              `the ${store.kind} store is unavailable (${what}): ${
                err instanceof Error ? err.message.split("\n")[0] : String(err)
              }`,
              { cause: err },
            )
            : err,
        );
      });
    });

  const wrap = (name: string, sub: object): object => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(sub)) {
      out[k] = typeof v === "function"
        ? (...args: unknown[]) =>
          bounded(`${name}.${k}`, () => v.apply(sub, args))
        : v;
    }
    return out;
  };

  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(store)) {
    if (k === "close") {
      // Bounded, and never an error: the process is ending anyway.
      out.close = () =>
        bounded("close", () => store.close(), Math.min(opts.timeoutMs, 5000))
          .catch(() => {});
    } else if (typeof v === "function") {
      out[k] = (...args: unknown[]) =>
        bounded(k, () => (v as (...a: unknown[]) => Promise<unknown>)(...args));
    } else if (v !== null && typeof v === "object") {
      out[k] = wrap(k, v);
    } else out[k] = v;
  }
  return out as unknown as Store;
}
