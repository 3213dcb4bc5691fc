/**
 * The JSON API (signed-in admin; state changes carry the `x-csrf-token`
 * header): accounts, activity, review queue, and simulate.
 * @module
 */
import { Hono } from "hono";
import { z } from "zod";
import { AppError } from "../pipeline/errors.ts";
import { activityQuery } from "./activity_routes.tsx";
import type { WebEnv } from "./hono_env.ts";
import type { WebDeps } from "./web_deps.ts";

const reviewPatch = z.object({
  status: z.enum(["pending", "in_progress", "resolved"]).optional(),
  assignee: z.string().trim().max(100).nullable().optional(),
  note: z.string().max(2000).nullable().optional(),
}).strict();

/** Routes under /api. */
export function createApiRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  app.get("/accounts", async (c) => c.json(await deps.store.accounts.list()));

  app.get("/activity", async (c) => {
    const q = activityQuery.safeParse(c.req.query());
    if (!q.success) {
      throw new AppError("invalid_input", "The activity filter is not valid.");
    }
    const f = q.data;
    return c.json(
      await deps.store.ledger.listActivity({
        accountId: f.account,
        category: f.category,
        action: f.action,
        reason: f.reason,
        text: f.q,
        after: f.after,
        limit: f.limit ?? 200,
      }),
    );
  });

  app.get("/review", async (c) => {
    const s = c.req.query("status");
    const status = z.enum(["pending", "in_progress", "resolved"]).optional()
      .safeParse(s);
    if (!status.success) {
      throw new AppError(
        "invalid_input",
        "status must be pending, in_progress or resolved.",
      );
    }
    return c.json(
      await deps.store.review.list({ status: status.data, limit: 500 }),
    );
  });

  app.post("/review/:id", async (c) => {
    const body = await c.req.json().catch(() => {
      throw new AppError("invalid_input", "The body must be JSON.");
    });
    const patch = reviewPatch.safeParse(body);
    if (!patch.success) {
      throw new AppError(
        "invalid_input",
        `The review change is not valid: ${
          patch.error.issues.map((i) =>
            `${i.path.join(".") || "body"}: ${i.message}`
          ).join("; ")
        }`,
      );
    }
    const updated = await deps.store.review.update(
      c.req.param("id"),
      patch.data,
      deps.clock.now(),
    );
    if (!updated) throw new AppError("not_found", "No such review item.");
    await deps.store.audit.add({
      at: deps.clock.now(),
      actor: c.get("session")!.actor,
      action: "review_updated",
      target: updated.id,
      detail: { fields: Object.keys(patch.data) },
    });
    return c.json(updated);
  });

  app.post("/simulate", async (c) => {
    const raw = new Uint8Array(await c.req.arrayBuffer());
    if (raw.length === 0) {
      throw new AppError(
        "invalid_input",
        "Send the raw message as the body.",
      );
    }
    return c.json((await deps.simulate(raw)).decision);
  });

  return app;
}
