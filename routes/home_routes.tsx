/**
 * The home page (Overview): accounts by status, review queue counts, emails
 * processed today, and the last 14 days as charts (outcomes per day,
 * automation rate, median time to first response).
 * @module
 */
import { Hono } from "hono";
import { loadOverview } from "../pipeline/dashboard/load_overview.ts";
import type { WebEnv } from "./hono_env.ts";
import { HomePage } from "./pages/home_page.tsx";
import type { WebDeps } from "./web_deps.ts";

/** Days on the Overview's charts. */
const OVERVIEW_DAYS = 14;

/** How many activity rows are scanned to count today's emails. */
const TODAY_SCAN = 2000;

/** Routes: GET /. */
export function createHomeRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.get("/", async (c) => {
    const now = deps.clock.now();
    const dayStart = new Date(now);
    dayStart.setUTCHours(0, 0, 0, 0);
    const [accounts, review, activity, overview] = await Promise.all([
      deps.store.accounts.list(),
      deps.store.review.countByStatus(),
      deps.store.ledger.listActivity({ limit: TODAY_SCAN }),
      loadOverview({ days: OVERVIEW_DAYS }, deps),
    ]);
    const today = activity.filter((e) => e.updatedAt >= dayStart);
    const byAction: Record<string, number> = {};
    for (const e of today) {
      const a = e.decision?.action ?? "in progress";
      byAction[a] = (byAction[a] ?? 0) + 1;
    }
    return c.html(
      <HomePage
        csrf={c.get("session")!.csrf}
        accounts={{
          active: accounts.filter((a) => a.status === "active").length,
          needs_reconnect: accounts.filter((a) =>
            a.status === "needs_reconnect"
          ).length,
          paused: accounts.filter((a) => a.status === "paused").length,
        }}
        review={review}
        processedToday={today.length}
        processedCapped={activity.length >= TODAY_SCAN &&
          today.length === activity.length}
        byAction={byAction}
        overview={overview}
        sandbox={deps.sandbox !== null}
      />,
    );
  });
  return app;
}
