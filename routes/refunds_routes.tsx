/**
 * Refund cases (state and history) and invalid refund attempts.
 * @module
 */
import { Hono } from "hono";
import type { WebEnv } from "./hono_env.ts";
import { RefundsPage } from "./pages/refunds_page.tsx";
import type { WebDeps } from "./web_deps.ts";

/** Routes: GET /refunds. */
export function createRefundsRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.get("/refunds", async (c) => {
    const [cases, attempts, accounts] = await Promise.all([
      deps.store.refunds.listCases({ limit: 200 }),
      deps.store.refunds.listInvalidAttempts(100),
      deps.store.accounts.list(),
    ]);
    return c.html(
      <RefundsPage
        csrf={c.get("session")!.csrf}
        cases={cases}
        attempts={attempts}
        accountEmails={new Map(accounts.map((a) => [a.id, a.email]))}
      />,
    );
  });
  return app;
}
