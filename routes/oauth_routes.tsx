/**
 * Connecting a Gmail account with OAuth: the Connect page, the start of the
 * consent and the callback. The work (state + PKCE, code exchange, checks,
 * storing the account, seeding its cursor) is `pipeline/accounts/oauth_connect.ts`;
 * these routes parse the request, call it and render what came of it.
 * @module
 */
import { Hono } from "hono";
import {
  finishOAuthConnect,
  type OAuthConnectOutcome,
  type OAuthConnectProblem,
  startOAuthConnect,
} from "../pipeline/accounts/oauth_connect.ts";
import type { WebEnv } from "./hono_env.ts";
import { ConnectPage, OAuthErrorPage } from "./pages/connect_page.tsx";
import type { WebDeps } from "./web_deps.ts";

/** The redirect URI: `${PUBLIC_URL or http://127.0.0.1:PORT}/oauth2callback`. */
export function callbackUrl(
  config: Pick<WebDeps["config"], "PUBLIC_URL" | "PORT">,
): string {
  const base = (config.PUBLIC_URL ?? `http://127.0.0.1:${config.PORT}`)
    .replace(/\/+$/, "");
  return `${base}/oauth2callback`;
}

type Refusal = Extract<OAuthConnectOutcome, { ok: false }>;

/** The error page of each refused callback: status, title, what happened, what to do. */
const PROBLEM_PAGES: Record<OAuthConnectProblem, {
  status: 400 | 502;
  title: string;
  message: (r: Refusal) => string;
  steps: string[];
}> = {
  denied: {
    status: 400,
    title: "Access was not granted",
    message: () =>
      "Google reports that the consent was denied, so no mailbox was connected.",
    steps: [
      "Press Connect again.",
      "On Google's screen, choose the support mailbox and allow every permission asked for (read, label and send mail).",
    ],
  },
  google_error: {
    status: 400,
    title: "Google refused the connection",
    message: (r) => `Google answered with the error "${r.googleError ?? ""}".`,
    steps: [
      "Check that the OAuth client in Google Cloud is a Web application and lists the redirect URI shown on the Connect page exactly.",
      "Press Connect again.",
    ],
  },
  bad_state: {
    status: 400,
    title: "This connection attempt is not valid",
    message: () =>
      "The sign-in state is missing, expired (after 10 minutes) or was already used, so the answer from Google cannot be trusted.",
    steps: [
      "Start again from the Connect page in this browser and finish within 10 minutes.",
    ],
  },
  no_code: {
    status: 400,
    title: "No authorization code",
    message: () => "Google sent no authorization code.",
    steps: ["Press Connect again."],
  },
  code_refused: {
    status: 502,
    title: "Google did not accept the authorization code",
    message: () => "Exchanging the code for tokens failed.",
    steps: [
      "Check GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET and that the redirect URI is registered exactly as shown on the Connect page.",
      "Press Connect again (a code works only once and only for a few minutes).",
    ],
  },
  no_refresh_token: {
    status: 400,
    title: "Google sent no refresh token",
    message: () =>
      "Google only sends a refresh token the first time an app is allowed, and without one the agent cannot read mail while you are away.",
    steps: [
      "Open https://myaccount.google.com/permissions with the mailbox's Google account.",
      "Find this app and remove its access.",
      "Press Connect again and allow every permission.",
    ],
  },
  missing_scope: {
    status: 400,
    title: "Not every permission was granted",
    message: (r) =>
      `Google connected the mailbox without ${
        (r.missingScopes ?? []).map((s) =>
          s.replace("https://www.googleapis.com/auth/", "")
        ).join(", ")
      }, which the agent needs to read, label and send mail, so no mailbox was connected.`,
    steps: [
      "Press Connect again.",
      "On Google's screen, tick every permission asked for (read, label and send mail).",
    ],
  },
  no_email: {
    status: 502,
    title: "Could not read the mailbox address",
    message: () =>
      "Google did not return the account's email address (the userinfo.email scope may be missing).",
    steps: [
      "Check that the consent screen lists the userinfo.email and openid scopes.",
      "Press Connect again.",
    ],
  },
};

/** Routes: GET/POST /connect, GET /oauth2callback. */
export function createOAuthRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const cfg = deps.config;

  app.get("/connect", (c) =>
    c.html(
      <ConnectPage
        csrf={c.get("session")!.csrf}
        configured={cfg.GOOGLE_CLIENT_ID !== null}
        callbackUrl={callbackUrl(cfg)}
        sandboxEmail={deps.sandbox?.email ?? null}
      />,
    ));

  app.post("/connect", async (c) => {
    const hint = (await c.req.parseBody()).login_hint;
    const url = await startOAuthConnect({
      loginHint: typeof hint === "string" ? hint : null,
    }, { ...deps, oauthStates: deps.store.oauthStates });
    return c.redirect(url, 303);
  });

  app.get("/oauth2callback", async (c) => {
    const { error, state, code } = c.req.query();
    const outcome = await finishOAuthConnect({
      query: { error, state, code },
      actor: c.get("session")?.actor ?? "oauth",
    }, {
      ...deps,
      oauthStates: deps.store.oauthStates,
      accounts: deps.store.accounts,
      cursors: deps.store.cursors,
      audit: deps.store.audit,
    });
    if (outcome.ok) return c.redirect("/accounts?notice=connected", 303);
    const page = PROBLEM_PAGES[outcome.problem];
    return c.html(
      <OAuthErrorPage
        title={page.title}
        message={page.message(outcome)}
        steps={page.steps}
        csrf={c.get("session")?.csrf}
      />,
      page.status,
    );
  });

  return app;
}
