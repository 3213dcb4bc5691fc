/**
 * The knowledge base page: documents and section counts, and a reindex
 * button. The page refreshes itself (meta refresh, no script) while a
 * reindex runs, showing its progress.
 * @module
 */
import { Hono } from "hono";
import type { WebEnv } from "./hono_env.ts";
import { KnowledgePage, type LastReindex } from "./pages/knowledge_page.tsx";
import type { WebDeps } from "./web_deps.ts";

/** Routes: GET /knowledge, POST /knowledge/reindex. */
export function createKnowledgeRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  let last: LastReindex | null = null;
  let running = false;

  app.get("/knowledge", (c) => {
    const status = deps.knowledge.status();
    const building = status.building || running;
    return c.html(
      <KnowledgePage
        csrf={c.get("session")!.csrf}
        status={status}
        building={building}
        last={last}
        dir={deps.config.KNOWLEDGE_BASE_DIR}
      />,
    );
  });

  app.post("/knowledge/reindex", async (c) => {
    if (!running) {
      running = true;
      const startedAt = deps.clock.now();
      await deps.store.audit.add({
        at: startedAt,
        actor: c.get("session")!.actor,
        action: "kb_reindex",
        target: null,
        detail: {},
      });
      deps.knowledge.reindex().then((r) => {
        const res = r as { documents?: number; sections?: number } | null;
        last = {
          at: deps.clock.now(),
          ok: true,
          message: res && typeof res.documents === "number"
            ? `${res.documents} documents, ${res.sections ?? "?"} sections`
            : "done",
        };
      }).catch((err: unknown) => {
        deps.logger.error("knowledge reindex failed", { error: err });
        last = {
          at: deps.clock.now(),
          ok: false,
          message: err instanceof Error ? err.message : String(err),
        };
      }).finally(() => {
        running = false;
      });
    }
    return c.redirect("/knowledge", 303);
  });

  return app;
}
