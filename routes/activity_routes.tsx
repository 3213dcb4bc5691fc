/**
 * The activity log: each processed email with category, confidence, action
 * and reason, filtered by account, category, action and reason, searched
 * by subject or sender (`q`), in pages of `limit` with a stable cursor
 * (`after`).
 * @module
 */
import { Hono } from "hono";
import { z } from "zod";
import { AppError } from "../pipeline/errors.ts";
import type { WebEnv } from "./hono_env.ts";
import { decodeActivityCursor, encodeActivityCursor } from "./page_cursor.ts";
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
  q: z.string().trim().max(200).optional().transform((v) => v || undefined),
  after: z.string().max(400).optional().transform((v, ctx) => {
    if (!v) return undefined;
    const c = decodeActivityCursor(v);
    if (!c) {
      ctx.addIssue({ code: "custom", message: "bad cursor" });
      return z.NEVER;
    }
    return c;
  }),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/** Rows on one activity page. */
export const ACTIVITY_PAGE_SIZE = 50;

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
    const size = f.limit ?? ACTIVITY_PAGE_SIZE;
    const [rows, accounts] = await Promise.all([
      // One more than the page: tells whether there is a next page.
      deps.store.ledger.listActivity({
        accountId: f.account,
        category: f.category,
        action: f.action,
        reason: f.reason,
        text: f.q,
        after: f.after,
        limit: size + 1,
      }),
      deps.store.accounts.list(),
    ]);
    const entries = rows.slice(0, size);
    const last = entries.at(-1);
    const next = rows.length > size && last
      ? encodeActivityCursor({
        at: last.claimedAt,
        accountId: last.accountId,
        gmailId: last.gmailId,
      })
      : null;
    return c.html(
      <ActivityPage
        csrf={c.get("session")!.csrf}
        entries={entries}
        accounts={accounts}
        filter={f}
        next={next}
        paged={f.after !== undefined}
      />,
    );
  });
  return app;
}
