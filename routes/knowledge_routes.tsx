/**
 * The knowledge base page: documents and section counts (each readable as
 * the agent sees it), a question asked of the current index, and a reindex
 * button. The page refreshes itself (meta refresh, no script) while a
 * reindex runs, showing its progress.
 * @module
 */
import { type Context, Hono } from "hono";
import { AppError } from "../pipeline/errors.ts";
import type { WebEnv } from "./hono_env.ts";
import {
  type AskedAnswer,
  KnowledgeDocPage,
  KnowledgePage,
  type LastReindex,
} from "./pages/knowledge_page.tsx";
import type { WebDeps } from "./web_deps.ts";

/** A customer's plain-text email holding `question`. */
function questionEml(question: string, now: Date): Uint8Array {
  return new TextEncoder().encode([
    "From: Customer <customer@example.com>",
    "To: support@example.com",
    "Subject: Question",
    `Date: ${now.toUTCString()}`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    question.replace(/\r?\n/g, "\r\n"),
    "",
  ].join("\r\n"));
}

/** Routes: GET /knowledge, GET /knowledge/doc?id=, POST /knowledge/ask, POST /knowledge/reindex. */
export function createKnowledgeRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  let last: LastReindex | null = null;
  let running = false;

  const render = (
    c: Context<WebEnv>,
    asked: { question?: string; answer?: AskedAnswer | null } = {},
  ) => {
    const status = deps.knowledge.status();
    const building = status.building || running;
    return c.html(
      <KnowledgePage
        csrf={c.get("session")!.csrf}
        status={status}
        building={building}
        last={last}
        dir={deps.config.KNOWLEDGE_BASE_DIR}
        question={asked.question}
        answer={asked.answer}
      />,
    );
  };

  app.get("/knowledge", (c) => render(c));

  app.get("/knowledge/doc", (c) => {
    const docId = c.req.query("id") ?? "";
    const sections = deps.knowledge.sections().filter((s) =>
      s.id.slice(0, s.id.indexOf("#")).endsWith(`/${docId}`)
    );
    if (docId === "" || sections.length === 0) {
      throw new AppError("not_found", "No such document in the index.");
    }
    return c.html(
      <KnowledgeDocPage
        csrf={c.get("session")!.csrf}
        docId={docId}
        sections={sections}
      />,
    );
  });

  // A question run through the whole decision pipeline; nothing is sent.
  app.post("/knowledge/ask", async (c) => {
    const body = await c.req.parseBody();
    const question = typeof body.question === "string"
      ? body.question.trim().slice(0, 4000)
      : "";
    if (question === "") {
      throw new AppError("invalid_input", "Write a question first.");
    }
    const plan = await deps.simulate(questionEml(question, deps.clock.now()));
    const d = plan.decision;
    return render(c, {
      question,
      answer: {
        action: d.action,
        reason: d.reason,
        reply: d.reply,
        sources: d.sources,
      },
    });
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
