/**
 * The activity log: each processed email with category, confidence, action
 * and reason, filtered by account, category, action and reason.
 * @module
 */
import { Hono } from "hono";
import { z } from "zod";
import { AppError } from "../pipeline/errors.ts";
import type { WebEnv } from "./hono_env.ts";
import { ActivityPage } from "./pages/activity_page.tsx";
import type { WebDeps } from "./web_deps.ts";

const word = z.string().trim().max(80).regex(/^[A-Za-z0-9_.:-]*$/)
  .optional().transform((v) => (v ? v : undefined));

/** The activity filter from the query string. */
export const activityQuery = z.object({
  account: word,
  category: z.enum(["Question", "Refund", "Other", ""]).optional()
    .transform((v) => (v ? v : undefined)),
  action: z.enum(["reply", "draft", "review", "ignore", ""]).optional()
    .transform((v) => (v ? v : undefined)),
  reason: word,
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/** Routes: GET /activity. */
export function createActivityRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.get("/activity", async (c) => {
    const q = activityQuery.safeParse(c.req.query());
    if (!q.success) {
      throw new AppError(
        "invalid_input",
        "The activity filter is not valid: category must be Question, Refund or Other, action one of reply, draft, review, ignore.",
      );
    }
    const f = q.data;
    const [entries, accounts] = await Promise.all([
      deps.store.ledger.listActivity({
        accountId: f.account,
        category: f.category,
        action: f.action,
        reason: f.reason,
        limit: f.limit ?? 200,
      }),
      deps.store.accounts.list(),
    ]);
    return c.html(
      <ActivityPage
        csrf={c.get("session")!.csrf}
        entries={entries}
        accounts={accounts}
        filter={f}
      />,
    );
  });
  return app;
}
