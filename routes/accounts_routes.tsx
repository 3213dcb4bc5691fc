/**
 * Accounts: list, reply mode, pause/resume, and disconnect
 * (`pipeline/accounts/disconnect_account.ts`: revoke at Google, then delete).
 * @module
 */
import { Hono } from "hono";
import { AppError } from "../pipeline/errors.ts";
import { disconnectAccount } from "../pipeline/accounts/disconnect_account.ts";
import { readSyncNote, type SyncNote } from "../pipeline/worker/sync.ts";
import type { Account } from "../pipeline/types.ts";
import type { WebEnv } from "./hono_env.ts";
import { AccountsPage, DisconnectPage } from "./pages/accounts_page.tsx";
import type { WebDeps } from "./web_deps.ts";

const NOTICES: Record<string, string> = {
  connected: "The mailbox is connected. The agent reads new mail from now on.",
  disconnected: "The mailbox is disconnected and its access revoked at Google.",
  disconnected_norevoke:
    "The mailbox is disconnected, but Google did not confirm the revoke: remove the app's access at https://myaccount.google.com/permissions.",
  mode: "Reply mode saved.",
  paused: "The mailbox is paused: no mail is read until you resume it.",
  resumed: "The mailbox is active again.",
};

/**
 * Routes: GET /accounts, POST /accounts/:id/(mode|pause|resume), and
 * GET /accounts/:id/disconnect (the confirmation) then POST it with
 * `confirm=yes`.
 */
export function createAccountsRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const load = async (id: string): Promise<Account> => {
    const a = await deps.store.accounts.get(id);
    if (!a) throw new AppError("not_found", "No such account.");
    return a;
  };
  const audit = (actor: string, action: string, a: Account, detail = {}) =>
    deps.store.audit.add({
      at: deps.clock.now(),
      actor,
      action,
      target: a.id,
      detail,
    });

  app.get("/accounts", async (c) => {
    const notice = NOTICES[c.req.query("notice") ?? ""] ?? null;
    const accounts = await deps.store.accounts.list();
    const notes: Record<string, SyncNote> = {};
    for (const a of accounts) {
      const note = await readSyncNote(deps.store.syncState, a.id);
      if (note) notes[a.id] = note;
    }
    return c.html(
      <AccountsPage
        csrf={c.get("session")!.csrf}
        accounts={accounts}
        syncNotes={notes}
        defaultMode={deps.config.REPLY_MODE}
        notice={notice}
      />,
    );
  });

  app.post("/accounts/:id/mode", async (c) => {
    const a = await load(c.req.param("id"));
    const mode = (await c.req.parseBody()).mode;
    if (mode !== "auto" && mode !== "draft" && mode !== "default") {
      throw new AppError(
        "invalid_input",
        "Reply mode must be auto, draft or default.",
      );
    }
    await deps.store.accounts.setReplyMode(
      a.id,
      mode === "default" ? null : mode,
    );
    await audit(c.get("session")!.actor, "reply_mode_set", a, { mode });
    return c.redirect("/accounts?notice=mode", 303);
  });

  for (
    const [verb, status] of [["pause", "paused"], ["resume", "active"]] as const
  ) {
    app.post(`/accounts/:id/${verb}`, async (c) => {
      const a = await load(c.req.param("id"));
      await deps.store.accounts.setStatus(
        a.id,
        status,
        verb === "pause" ? "paused by admin" : null,
      );
      await audit(c.get("session")!.actor, `account_${verb}d`, a);
      return c.redirect(`/accounts?notice=${verb}d`, 303);
    });
  }

  // Disconnecting asks first, on a page of its own (pages have no script).
  app.get("/accounts/:id/disconnect", async (c) => {
    const account = await load(c.req.param("id"));
    return c.html(
      <DisconnectPage csrf={c.get("session")!.csrf} account={account} />,
    );
  });

  app.post("/accounts/:id/disconnect", async (c) => {
    const account = await load(c.req.param("id"));
    if ((await c.req.parseBody()).confirm !== "yes") {
      return c.redirect(
        `/accounts/${encodeURIComponent(account.id)}/disconnect`,
        303,
      );
    }
    const { revoked } = await disconnectAccount({
      account,
      actor: c.get("session")!.actor,
    }, { ...deps, accounts: deps.store.accounts, audit: deps.store.audit });
    return c.redirect(
      `/accounts?notice=${revoked ? "disconnected" : "disconnected_norevoke"}`,
      303,
    );
  });

  return app;
}
