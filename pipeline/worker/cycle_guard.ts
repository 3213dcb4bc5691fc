/**
 * One account cycle's hold on its account: the lease is taken under the
 * cycle's own attempt id (never a process's), renewed while the cycle runs,
 * and the cycle is stopped when it loses the lease or overruns its
 * deadline. Time is read from the injected clock between steps; a real
 * timer is only a backstop for a step that hangs, so tests stay exact.
 * @module
 */
import type { Clock, LeaseStore } from "../ports.ts";

/** Why a cycle stopped early. */
export type StopReason = "deadline" | "lease_lost";

/** Thrown by `CycleGuard.check` once the cycle must stop. */
export class CycleStoppedError extends Error {
  constructor(readonly reason: StopReason, message: string) {
    super(message);
    this.name = "CycleStoppedError";
  }
}

/** Timer functions (tests may pass ones that never fire). */
export interface Timers {
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: number): void;
}

/** Real timers that do not keep the process alive. */
export const realTimers: Timers = {
  setTimeout(fn, ms) {
    const id = setTimeout(fn, ms) as unknown as number;
    Deno.unrefTimer(id);
    return id;
  },
  clearTimeout: (id) => clearTimeout(id),
};

/** Settings of a guard. */
export interface CycleGuardOptions {
  leases: LeaseStore;
  clock: Clock;
  /** Lease name, e.g. `poll:<account id>`. */
  lease: string;
  /** This cycle's attempt id (the lease owner and ledger claimant). */
  attemptId: string;
  /** Lease time to live; renewed every third of it. */
  ttlMs: number;
  /** The cycle stops (cleanly) after this long. */
  deadlineMs: number;
  /** Also take a live lease whose owner starts with this (this instance's, before a restart). */
  reclaimFrom?: string;
  timers?: Timers;
}

/** A running cycle's lease and deadline. */
export interface CycleGuard {
  readonly attemptId: string;
  readonly lease: string;
  /** Throws CycleStoppedError when the cycle must stop; renews when due. */
  check(): Promise<void>;
  /** Set once the cycle must stop, else null. */
  stopped(): StopReason | null;
  /** Releases the lease and the timers. */
  end(): Promise<void>;
}

/**
 * Takes the lease for a new attempt; null when another attempt holds it
 * (another cycle of this account runs somewhere).
 */
export async function startCycleGuard(
  o: CycleGuardOptions,
): Promise<CycleGuard | null> {
  const timers = o.timers ?? realTimers;
  const startedAt = o.clock.now().getTime();
  const taken = await o.leases.acquire(
    o.lease,
    o.attemptId,
    o.ttlMs,
    o.clock.now(),
    { reclaimFrom: o.reclaimFrom },
  );
  if (!taken) {
    return null;
  }
  let renewedAt = startedAt;
  let stop: StopReason | null = null;
  let renewing: Promise<void> | null = null;
  let ended = false;

  const renew = (): Promise<void> => {
    renewing ??= (async () => {
      const now = o.clock.now();
      try {
        const ok = await o.leases.renew(o.lease, o.attemptId, o.ttlMs, now);
        if (ok) renewedAt = now.getTime();
        else stop ??= "lease_lost";
      } catch {
        // The store did not answer: the lease may lapse; stop before it does.
        if (o.clock.now().getTime() - renewedAt >= o.ttlMs * 2 / 3) {
          stop ??= "lease_lost";
        }
      } finally {
        renewing = null;
      }
    })();
    return renewing;
  };

  // Backstops for a step that hangs in real time.
  let renewTimer = 0;
  const scheduleRenew = () => {
    renewTimer = timers.setTimeout(() => {
      renew().finally(() => {
        if (!ended && stop === null) scheduleRenew();
      });
    }, o.ttlMs / 3);
  };
  scheduleRenew();
  const deadlineTimer = timers.setTimeout(() => {
    stop ??= "deadline";
  }, o.deadlineMs);

  return {
    attemptId: o.attemptId,
    lease: o.lease,
    async check() {
      const now = o.clock.now().getTime();
      if (now - startedAt >= o.deadlineMs) stop ??= "deadline";
      else if (stop === null && now - renewedAt >= o.ttlMs / 3) await renew();
      if (stop !== null) {
        throw new CycleStoppedError(
          stop,
          stop === "deadline"
            ? `the cycle overran its deadline of ${
              Math.round(o.deadlineMs / 1000)
            } s`
            : "the cycle lost its lease on the account",
        );
      }
    },
    stopped: () => stop,
    async end() {
      ended = true;
      timers.clearTimeout(renewTimer);
      timers.clearTimeout(deadlineTimer);
      await renewing;
      await o.leases.release(o.lease, o.attemptId);
    },
  };
}
