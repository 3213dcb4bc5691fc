/**
 * Readiness of the long-lived parts that `/readyz` reports: the knowledge-base
 * index and the polling scheduler. `app/build_agent.ts` creates it and marks
 * them (`startKnowledgeBase`, `schedulerRegistered`, which `app/serve.ts`
 * calls); the health routes (`routes/health.ts`) read them.
 * @module
 */

/** The parts tracked besides the store (which `/readyz` pings itself). */
export type ReadinessPart = "kb" | "scheduler";

/** Readiness flags, set once a part is up. */
export interface Readiness {
  /** Marks `part` ready (or not). */
  set(part: ReadinessPart, ready: boolean): void;
  /**
   * Marks `part` ready when `work` resolves; it stays not ready when `work`
   * rejects (the rejection is passed on to the returned promise).
   */
  watch<T>(part: ReadinessPart, work: Promise<T>): Promise<T>;
  /** The current flags (what `createHealthRoutes`' `isReady` returns). */
  isReady(): { kb: boolean; scheduler: boolean };
}

/** Creates readiness flags, all false. */
export function createReadiness(): Readiness {
  const state = { kb: false, scheduler: false };
  return {
    set(part, ready) {
      state[part] = ready;
    },
    async watch(part, work) {
      state[part] = false;
      const value = await work;
      state[part] = true;
      return value;
    },
    isReady: () => ({ ...state }),
  };
}
