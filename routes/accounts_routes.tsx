/**
 * Accounts: list, reply mode, pause/resume, and disconnect (revoke at Google,
 * then delete the credentials).
 * @module
 */
import { Hono } from "hono";
import { AppError } from "../pipeline/errors.ts";
import { googleEndpoints } from "../pipeline/gmail/oauth_client.ts";
import type { Account } from "../pipeline/types.ts";
import type { WebEnv } from "./hono_env.ts";
import { AccountsPage } from "./pages/accounts_page.tsx";
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

/** Routes: GET /accounts and POST /accounts/:id/(mode|pause|resume|disconnect). */
export function createAccountsRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const doFetch = deps.fetch ?? fetch;
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
    return c.html(
      <AccountsPage
        csrf={c.get("session")!.csrf}
        accounts={await deps.store.accounts.list()}
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

  app.post("/accounts/:id/disconnect", async (c) => {
    const a = await load(c.req.param("id"));
    const tokens = await deps.store.accounts.getTokens(a.id).catch(() => null);
    let revoked = false;
    if (tokens) {
      revoked = await revoke(
        doFetch,
        // The sandbox mailbox lives on the in-process emulator.
        googleEndpoints(
          a.sandbox && deps.sandbox
            ? deps.sandbox.baseUrl
            : deps.config.GOOGLE_BASE_URL,
        ).revoke,
        tokens.refreshToken,
      );
      if (!revoked) {
        deps.logger.warn("token revoke not confirmed", { accountId: a.id });
      }
    }
    await deps.store.accounts.delete(a.id);
    await audit(c.get("session")!.actor, "account_disconnected", a, {
      revoked,
    });
    deps.logger.info("account disconnected", { accountId: a.id, revoked });
    return c.redirect(
      `/accounts?notice=${revoked ? "disconnected" : "disconnected_norevoke"}`,
      303,
    );
  });

  return app;
}

/** Revokes a token at Google; true when Google confirmed. */
async function revoke(
  doFetch: typeof fetch,
  url: string,
  token: string,
): Promise<boolean> {
  try {
    const res = await doFetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token }),
    });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}
