/**
 * Saved replies (canned responses) per mailbox: list, create, edit, and
 * delete after a question on its own page. A refused form comes back on
 * the page (400) with what was typed and the problem under its field.
 * @module
 */
import { type Context, Hono } from "hono";
import { AppError } from "../pipeline/errors.ts";
import {
  deleteSavedReply,
  saveReply,
} from "../pipeline/dashboard/saved_replies.ts";
import type { SavedReply } from "../pipeline/ports.ts";
import type { WebEnv } from "./hono_env.ts";
import {
  DeleteSavedReplyPage,
  SavedRepliesPage,
  savedRepliesUrl,
  type SavedReplyFormState,
} from "./pages/saved_replies_page.tsx";
import type { WebDeps } from "./web_deps.ts";

type Ctx = Context<WebEnv>;

const NOTICES: Record<string, string> = {
  created: "Saved reply added.",
  updated: "Saved reply saved.",
  deleted: "Saved reply deleted.",
};

/** The saved reply named in the path, or `not_found`. */
async function loadReply(deps: WebDeps, c: Ctx): Promise<SavedReply> {
  const id = c.req.param("id") ?? "";
  const reply = id.length <= 100 ? await deps.store.savedReplies.get(id) : null;
  if (!reply) throw new AppError("not_found", "No such saved reply.");
  return reply;
}

/** The page for mailbox `accountId` (default: the first), with a refused form. */
async function renderPage(
  deps: WebDeps,
  c: Ctx,
  accountId: string | undefined,
  extra: { notice?: string | null; refused?: SavedReplyFormState } = {},
  status: 200 | 400 = 200,
) {
  const accounts = await deps.store.accounts.list();
  const account = accounts.find((a) => a.id === accountId) ??
    accounts[0] ?? null;
  const replies = account ? await deps.store.savedReplies.list(account.id) : [];
  return c.html(
    <SavedRepliesPage
      csrf={c.get("session")!.csrf}
      accounts={accounts}
      account={account}
      replies={replies}
      notice={extra.notice ?? null}
      refused={extra.refused ?? null}
    />,
    status,
  );
}

const text = (v: unknown) => typeof v === "string" ? v : "";

/** Creates (no id) or edits a saved reply from its posted form. */
async function postSave(deps: WebDeps, c: Ctx, existing: SavedReply | null) {
  const form = await c.req.parseBody();
  const accountId = existing?.accountId ?? text(form.account);
  const outcome = await saveReply({
    id: existing?.id,
    accountId,
    form: { title: form.title, body: form.body },
    actor: c.get("session")!.actor,
  }, { store: deps.store, clock: deps.clock });
  if (!outcome.ok) {
    return renderPage(deps, c, accountId, {
      refused: {
        id: existing?.id ?? null,
        title: text(form.title),
        body: text(form.body),
        errors: outcome.errors,
      },
    }, 400);
  }
  const notice = existing ? "updated" : "created";
  return c.redirect(
    `${savedRepliesUrl(outcome.reply.accountId)}&notice=${notice}#reply-${
      encodeURIComponent(outcome.reply.id)
    }`,
    303,
  );
}

/** Deletes after the question (`confirm=yes`), else asks it. */
async function postDelete(deps: WebDeps, c: Ctx) {
  const reply = await loadReply(deps, c);
  const base = `/saved-replies/${encodeURIComponent(reply.id)}`;
  if ((await c.req.parseBody()).confirm !== "yes") {
    return c.redirect(`${base}/delete`, 303);
  }
  await deleteSavedReply(
    { id: reply.id, actor: c.get("session")!.actor },
    { store: deps.store, clock: deps.clock },
  );
  return c.redirect(
    `${savedRepliesUrl(reply.accountId)}&notice=deleted`,
    303,
  );
}

/**
 * Routes: GET /saved-replies (?account=), POST /saved-replies (create),
 * POST /saved-replies/:id (edit), GET and POST /saved-replies/:id/delete.
 */
export function createSavedRepliesRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.get("/saved-replies", (c) =>
    renderPage(deps, c, c.req.query("account"), {
      notice: NOTICES[c.req.query("notice") ?? ""] ?? null,
    }));
  app.post("/saved-replies", (c) => postSave(deps, c, null));
  app.post(
    "/saved-replies/:id",
    async (c) => postSave(deps, c, await loadReply(deps, c)),
  );
  app.get("/saved-replies/:id/delete", async (c) => {
    const reply = await loadReply(deps, c);
    const account = await deps.store.accounts.get(reply.accountId);
    return c.html(
      <DeleteSavedReplyPage
        csrf={c.get("session")!.csrf}
        reply={reply}
        accountEmail={account?.email ?? null}
      />,
    );
  });
  app.post("/saved-replies/:id/delete", (c) => postDelete(deps, c));
  return app;
}
