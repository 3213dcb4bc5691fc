/**
 * Public operational routes: `/healthz` (liveness), `/readyz` (the store
 * answers, the knowledge-base index is built, the scheduler is registered)
 * and `/metrics` (Prometheus text). Mounted before sign-in.
 * @module
 */
import { Hono } from "hono";
import type { Clock, Store } from "../pipeline/ports.ts";

/** The metrics the `/metrics` route serves (the agent's `Metrics` fits). */
export interface MetricsText {
  /** Prometheus text; gauges read from `source` when given. */
  render(
    source?: { store: Pick<Store, "review" | "accounts">; now: Date },
  ): Promise<string>;
  /** Counts an error of this kind. */
  error(kind: string): void;
  /** The Content-Type of `render`'s output. */
  readonly contentType: string;
}

/** What the health routes need. */
export interface HealthDeps {
  store: Pick<Store, "kind" | "ping" | "review" | "accounts">;
  /** Whether the KB index is built and the scheduler registered. */
  isReady: () => { kb: boolean; scheduler: boolean };
  metrics: MetricsText;
  clock: Clock;
  /** Longest wait for the store's ping, in ms. Default 2000. */
  pingTimeoutMs?: number;
}

/** Resolves true when `ping` answers within `ms`, false otherwise. */
async function answers(
  ping: () => Promise<void>,
  ms: number,
): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([ping().then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Creates the `/healthz`, `/readyz` and `/metrics` routes. */
export function createHealthRoutes(deps: HealthDeps): Hono {
  const pingTimeoutMs = deps.pingTimeoutMs ?? 2000;
  const app = new Hono();

  app.get(
    "/healthz",
    (c) =>
      c.json({ status: "ok", store: deps.store.kind }, 200, {
        "cache-control": "no-store",
      }),
  );

  app.get("/readyz", async (c) => {
    const parts = deps.isReady();
    const checks = {
      store: await answers(() => deps.store.ping(), pingTimeoutMs),
      kb: parts.kb,
      scheduler: parts.scheduler,
    };
    const notReady = Object.entries(checks).filter(([, ok]) => !ok).map((
      [name],
    ) => name);
    const ready = notReady.length === 0;
    return c.json(
      {
        status: ready ? "ready" : "not_ready",
        store: deps.store.kind,
        checks,
        ...(ready ? {} : { not_ready: notReady }),
      },
      ready ? 200 : 503,
      { "cache-control": "no-store" },
    );
  });

  app.get("/metrics", async (c) => {
    let text: string;
    try {
      text = await deps.metrics.render({
        store: deps.store,
        now: deps.clock.now(),
      });
    } catch {
      // The store did not answer: still serve the counters.
      deps.metrics.error("metrics_scrape");
      text = await deps.metrics.render();
    }
    return c.body(text, 200, {
      "content-type": deps.metrics.contentType,
      "cache-control": "no-store",
    });
  });

  return app;
}
