/**
 * The drafts queue: GET /drafts lists the agent's drafts waiting for a
 * person; POST /drafts/:account/:gmail sends, saves or discards one
 * (pipeline/dashboard/agent_drafts.ts). A refused action comes back on the form with
 * what was typed.
 * @module
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import {
  actOnDraft,
  draftExcerpt,
  listDrafts,
} from "../pipeline/dashboard/agent_drafts.ts";
import { AppError, HTTP_STATUS } from "../pipeline/errors.ts";
import type { WebEnv } from "./hono_env.ts";
import { type DraftFormError, DraftsPage } from "./pages/drafts_page.tsx";
import type { WebDeps } from "./web_deps.ts";

/** Open drafts shown with their customer message (one Gmail read each). */
const SHOWN = 20;

const NOTICES: Record<string, string> = {
  sent: "Draft sent in the customer's Gmail thread.",
  saved: "Draft saved; the Gmail draft was updated.",
  discarded: "Draft discarded; the Gmail draft was deleted.",
};

const ActionBody = z.object({
  action: z.enum(["send", "save", "discard"], {
    error: "The action must be send, save or discard.",
  }),
  text: z.string().max(40_000, "The draft is too long.").default(""),
});

/** Routes: GET /drafts, POST /drafts/:account/:gmail. */
export function createDraftsRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  const render = async (
    c: Context<WebEnv>,
    opts: { notice?: string | null; error?: DraftFormError | null } = {},
    status = 200,
  ) => {
    const { open, handled } = await listDrafts(deps.store);
    const shown = await Promise.all(
      open.slice(0, SHOWN).map(async (item) => ({
        item,
        excerpt: await draftExcerpt(item.entry, deps),
      })),
    );
    const accounts = await deps.store.accounts.list();
    return c.html(
      <DraftsPage
        csrf={c.get("session")!.csrf}
        open={shown}
        more={Math.max(0, open.length - SHOWN)}
        handled={handled.slice(0, 50)}
        accountEmails={new Map(accounts.map((a) => [a.id, a.email]))}
        notice={opts.notice ?? null}
        error={opts.error ?? null}
        replyMode={deps.config.REPLY_MODE}
      />,
      status as 200,
    );
  };

  app.get(
    "/drafts",
    (c) => render(c, { notice: NOTICES[c.req.query("notice") ?? ""] }),
  );

  app.post("/drafts/:account/:gmail", async (c) => {
    const accountId = c.req.param("account");
    const gmailId = c.req.param("gmail");
    const parsed = ActionBody.safeParse(await c.req.parseBody());
    if (!parsed.success) {
      throw new AppError(
        "invalid_input",
        parsed.error.issues[0]?.message ?? "The form is not valid.",
      );
    }
    const { action, text } = parsed.data;
    try {
      await actOnDraft(
        { accountId, gmailId, action, text, actor: c.get("session")!.actor },
        deps,
      );
    } catch (err) {
      if (!(err instanceof AppError) || err.code === "internal") throw err;
      return render(
        c,
        { error: { accountId, gmailId, message: err.message, text } },
        HTTP_STATUS[err.code],
      );
    }
    const notice = action === "send"
      ? "sent"
      : action === "save"
      ? "saved"
      : "discarded";
    return c.redirect(`/drafts?notice=${notice}`, 303);
  });

  return app;
}
