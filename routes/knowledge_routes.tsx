/**
 * The knowledge base page: documents and section counts (each readable as
 * the agent sees it), files changed on disk since the index was built (with
 * a reindex button), a question asked of the current index, an `eval
 * answers` file run against it, and a document uploaded into the folder.
 * The page refreshes itself (meta refresh, no script) while a reindex runs;
 * a form's bad input is shown on the form (`knowledge_forms.ts`).
 * @module
 */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError } from "../pipeline/errors.ts";
import { suggestReply } from "../pipeline/dashboard/suggest_reply.ts";
import {
  type AnswerCase,
  summarizeAnswers,
} from "../pipeline/decide/answers_eval.ts";
import type { KbChanges } from "../pipeline/knowledge/kb_folder.ts";
import { kbUploadName } from "../pipeline/knowledge/kb_upload.ts";
import type { WebEnv } from "./hono_env.ts";
import {
  MAX_EVAL_BYTES,
  MAX_EVAL_LINES,
  readAskForm,
  readEvalForm,
  readUploadForm,
} from "./knowledge_forms.ts";
import {
  type AskedAnswer,
  KnowledgeDocPage,
  KnowledgePage,
  type KnowledgePageProps,
  type LastReindex,
} from "./pages/knowledge_page.tsx";
import type { WebDeps } from "./web_deps.ts";

type KnowledgeContext = Context<WebEnv>;

/** What the page remembers between requests: the last reindex it started. */
interface ReindexState {
  last: LastReindex | null;
  running: boolean;
}

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

/** The reindex result in words. */
function summary(r: unknown): string {
  const res = r as { documents?: number; sections?: number } | null;
  return res && typeof res.documents === "number"
    ? `${res.documents} documents, ${res.sections ?? "?"} sections`
    : "done";
}

/** The folder's changes since the index, or null when unknown. */
async function changesNow(deps: WebDeps): Promise<KbChanges | null> {
  try {
    return await deps.knowledge.changes();
  } catch (err) {
    deps.logger.warn("knowledge folder check failed", { error: err });
    return null;
  }
}

async function render(
  deps: WebDeps,
  state: ReindexState,
  c: KnowledgeContext,
  extra: Partial<KnowledgePageProps> = {},
  status: ContentfulStatusCode = 200,
) {
  const kb = deps.knowledge.status();
  const building = kb.building || state.running;
  return c.html(
    <KnowledgePage
      csrf={c.get("session")!.csrf}
      status={kb}
      building={building}
      last={state.last}
      dir={deps.config.KNOWLEDGE_BASE_DIR}
      changes={building ? null : await changesNow(deps)}
      maxEvalLines={MAX_EVAL_LINES}
      {...extra}
    />,
    status,
  );
}

function showIndex(deps: WebDeps, state: ReindexState, c: KnowledgeContext) {
  const added = kbUploadName.safeParse(c.req.query("added") ?? "");
  return render(deps, state, c, {
    notice: added.success
      ? `${added.data} was added to the knowledge base and the index rebuilt.`
      : null,
    added: added.success ? added.data : null,
  });
}

function showDocument(deps: WebDeps, c: KnowledgeContext) {
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
}

/** A question run through the whole decision pipeline; nothing is sent. */
async function postAsk(
  deps: WebDeps,
  state: ReindexState,
  c: KnowledgeContext,
) {
  const body = await c.req.parseBody();
  const form = readAskForm(body);
  if (!form.ok) {
    return render(deps, state, c, {
      question: typeof body.question === "string" ? body.question : "",
      askError: form.message,
    }, 400);
  }
  const question = form.value;
  const d =
    (await deps.simulate(questionEml(question, deps.clock.now()))).decision;
  const handedOver = d.action === "review" || d.reply === null;
  const suggestion = handedOver
    ? suggestReply({
      decision: d,
      sections: deps.knowledge.sections(),
      signature: deps.signature,
    })
    : null;
  const answer: AskedAnswer = {
    category: d.category,
    confidence: d.confidence,
    action: d.action,
    reason: d.reason,
    reply: d.reply,
    sources: d.sources,
    suggestion: suggestion?.text ?? null,
    suggestionSources: suggestion?.sources ?? [],
  };
  return render(deps, state, c, { question, answer });
}

/** An `eval answers` file against the current index; nothing is sent. */
async function postEval(
  deps: WebDeps,
  state: ReindexState,
  c: KnowledgeContext,
) {
  const body = await c.req.parseBody();
  const pasted = typeof body.lines === "string" ? body.lines : "";
  const evalText = pasted.length <= MAX_EVAL_BYTES ? pasted : "";
  const form = await readEvalForm(body);
  if (!form.ok) {
    return render(deps, state, c, { evalText, evalError: form.message }, 400);
  }
  const cases: AnswerCase[] = [];
  for (const line of form.value.lines) {
    cases.push(await deps.evalAnswerLine(line));
  }
  return render(deps, state, c, {
    evalText,
    evalRun: { name: form.value.name, summary: summarizeAnswers(cases), cases },
  });
}

/** A document written into the folder, then the index rebuilt. */
async function postUpload(
  deps: WebDeps,
  state: ReindexState,
  c: KnowledgeContext,
) {
  const kbName = deps.config.KNOWLEDGE_BASE_DIR.replace(/\/+$/, "")
    .split("/").pop() || "knowledge_base";
  const form = await readUploadForm(await c.req.parseBody(), kbName);
  if (!form.ok) {
    return render(deps, state, c, { uploadError: form.message }, 400);
  }
  const doc = form.value;
  try {
    const r = await deps.knowledge.addDocument(doc.name, doc.text, {
      replace: doc.replace,
    });
    state.last = { at: deps.clock.now(), ok: true, message: summary(r) };
  } catch (err) {
    if (err instanceof AppError && err.code !== "internal") {
      return render(
        deps,
        state,
        c,
        { uploadError: err.message },
        err.code === "conflict" ? 409 : 400,
      );
    }
    deps.logger.error("knowledge upload failed", { error: err });
    const message = err instanceof Error ? err.message : String(err);
    state.last = { at: deps.clock.now(), ok: false, message };
    return render(deps, state, c, {
      uploadError: `${doc.name} could not be indexed: ${message}`,
    }, 500);
  }
  await deps.store.audit.add({
    at: deps.clock.now(),
    actor: c.get("session")!.actor,
    action: "kb_document_added",
    target: doc.name,
    detail: { replace: doc.replace, sections: doc.sections.length },
  });
  return c.redirect(`/knowledge?added=${encodeURIComponent(doc.name)}`, 303);
}

/** Starts a reindex in the background; the page shows its progress. */
async function postReindex(
  deps: WebDeps,
  state: ReindexState,
  c: KnowledgeContext,
) {
  if (!state.running) {
    state.running = true;
    await deps.store.audit.add({
      at: deps.clock.now(),
      actor: c.get("session")!.actor,
      action: "kb_reindex",
      target: null,
      detail: {},
    });
    deps.knowledge.reindex().then((r) => {
      state.last = { at: deps.clock.now(), ok: true, message: summary(r) };
    }).catch((err: unknown) => {
      deps.logger.error("knowledge reindex failed", { error: err });
      state.last = {
        at: deps.clock.now(),
        ok: false,
        message: err instanceof Error ? err.message : String(err),
      };
    }).finally(() => {
      state.running = false;
    });
  }
  return c.redirect("/knowledge", 303);
}

/** Routes: GET /knowledge, GET /knowledge/doc?id=, POST /knowledge/(ask|eval|upload|reindex). */
export function createKnowledgeRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const state: ReindexState = { last: null, running: false };
  app.get("/knowledge", (c) => showIndex(deps, state, c));
  app.get("/knowledge/doc", (c) => showDocument(deps, c));
  app.post("/knowledge/ask", (c) => postAsk(deps, state, c));
  app.post("/knowledge/eval", (c) => postEval(deps, state, c));
  app.post("/knowledge/upload", (c) => postUpload(deps, state, c));
  app.post("/knowledge/reindex", (c) => postReindex(deps, state, c));
  return app;
}
