/**
 * Connecting a Gmail account with OAuth (state + PKCE, offline access) and
 * the callback that stores the tokens encrypted and seeds the sync cursor.
 * @module
 */
import { Hono } from "hono";
import { z } from "zod";
import { connectAccount } from "../pipeline/connect_account.ts";
import { AppError } from "../pipeline/errors.ts";
import {
  createOAuthClient,
  GMAIL_SCOPES,
  googleEndpoints,
} from "../pipeline/gmail/oauth_client.ts";
import { randomId } from "./auth/session.ts";
import type { WebEnv } from "./hono_env.ts";
import { ConnectPage, OAuthErrorPage } from "./pages/connect_page.tsx";
import type { WebDeps } from "./web_deps.ts";

/** How long a started connection may take. */
export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;
const STATE_PREFIX = "connect:";

/** The redirect URI: `${PUBLIC_URL or http://127.0.0.1:PORT}/oauth2callback`. */
export function callbackUrl(config: WebDeps["config"]): string {
  const base = (config.PUBLIC_URL ?? `http://127.0.0.1:${config.PORT}`)
    .replace(/\/+$/, "");
  return `${base}/oauth2callback`;
}

const userinfoSchema = z.object({ email: z.string().email() });

/** Routes: GET/POST /connect, GET /oauth2callback. */
export function createOAuthRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const cfg = deps.config;
  const doFetch = deps.fetch ?? fetch;
  const client = () => {
    if (!cfg.GOOGLE_CLIENT_ID || !cfg.GOOGLE_CLIENT_SECRET) {
      throw new AppError(
        "invalid_input",
        "No Google OAuth client is configured: set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET (see the Connect page).",
      );
    }
    return createOAuthClient({
      clientId: cfg.GOOGLE_CLIENT_ID,
      clientSecret: cfg.GOOGLE_CLIENT_SECRET,
      redirectUri: callbackUrl(cfg),
      baseUrl: cfg.GOOGLE_BASE_URL,
    });
  };

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
    const oauth = client();
    const body = await c.req.parseBody();
    const hint = typeof body.login_hint === "string"
      ? body.login_hint.trim()
      : "";
    const state = randomId();
    const pkce = await oauth.generateCodeVerifierAsync();
    await deps.store.oauthStates.put(
      STATE_PREFIX + state,
      { verifier: pkce.codeVerifier },
      OAUTH_STATE_TTL_MS,
      deps.clock.now(),
    );
    const url = oauth.generateAuthUrl({
      access_type: "offline",
      prompt: "consent",
      scope: [...GMAIL_SCOPES],
      state,
      code_challenge: pkce.codeChallenge,
      // deno-lint-ignore no-explicit-any
      code_challenge_method: "S256" as any,
      ...(hint && hint.length < 200 ? { login_hint: hint } : {}),
    });
    return c.redirect(url, 303);
  });

  app.get("/oauth2callback", async (c) => {
    const csrf = c.get("session")?.csrf;
    const fail = (
      status: 400 | 502,
      title: string,
      message: string,
      steps: string[],
    ) =>
      c.html(
        <OAuthErrorPage
          title={title}
          message={message}
          steps={steps}
          csrf={csrf}
        />,
        status,
      );
    const q = c.req.query();
    const error = q.error;
    if (error) {
      if (error === "access_denied") {
        return fail(
          400,
          "Access was not granted",
          "Google reports that the consent was denied, so no mailbox was connected.",
          [
            "Press Connect again.",
            "On Google's screen, choose the support mailbox and allow every permission asked for (read, label and send mail).",
          ],
        );
      }
      return fail(
        400,
        "Google refused the connection",
        `Google answered with the error "${error.slice(0, 80)}".`,
        [
          "Check that the OAuth client in Google Cloud is a Web application and lists the redirect URI shown on the Connect page exactly.",
          "Press Connect again.",
        ],
      );
    }
    const state = q.state ?? "";
    const saved = state.length > 0 && state.length < 200
      ? await deps.store.oauthStates.take(
        STATE_PREFIX + state,
        deps.clock.now(),
      )
      : null;
    if (!saved?.verifier) {
      return fail(
        400,
        "This connection attempt is not valid",
        "The sign-in state is missing, expired (after 10 minutes) or was already used, so the answer from Google cannot be trusted.",
        [
          "Start again from the Connect page in this browser and finish within 10 minutes.",
        ],
      );
    }
    const code = q.code ?? "";
    if (!code) {
      return fail(
        400,
        "No authorization code",
        "Google sent no authorization code.",
        ["Press Connect again."],
      );
    }
    let tokens;
    try {
      tokens = (await client().getToken({ code, codeVerifier: saved.verifier }))
        .tokens;
    } catch (err) {
      deps.logger.warn("oauth code exchange failed", { error: err });
      return fail(
        502,
        "Google did not accept the authorization code",
        "Exchanging the code for tokens failed.",
        [
          "Check GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET and that the redirect URI is registered exactly as shown on the Connect page.",
          "Press Connect again (a code works only once and only for a few minutes).",
        ],
      );
    }
    if (!tokens.refresh_token) {
      return fail(
        400,
        "Google sent no refresh token",
        "Google only sends a refresh token the first time an app is allowed, and without one the agent cannot read mail while you are away.",
        [
          "Open https://myaccount.google.com/permissions with the mailbox's Google account.",
          "Find this app and remove its access.",
          "Press Connect again and allow every permission.",
        ],
      );
    }
    const email = await readEmail(
      doFetch,
      googleEndpoints(cfg.GOOGLE_BASE_URL).userinfo,
      tokens.access_token ?? "",
    );
    if (!email) {
      return fail(
        502,
        "Could not read the mailbox address",
        "Google did not return the account's email address (the userinfo.email scope may be missing).",
        [
          "Check that the consent screen lists the userinfo.email and openid scopes.",
          "Press Connect again.",
        ],
      );
    }
    const now = deps.clock.now();
    const { account, cursor, cursorError } = await connectAccount({
      email,
      tokens: {
        accessToken: tokens.access_token ?? null,
        refreshToken: tokens.refresh_token,
        expiryDate: tokens.expiry_date ?? null,
        ...(tokens.scope ? { scope: tokens.scope } : {}),
      },
    }, {
      accounts: deps.store.accounts,
      cursors: deps.store.cursors,
      mailboxFor: deps.mailboxFor,
    });
    if (cursor === "failed") {
      deps.logger.warn("could not seed the sync cursor", {
        accountId: account.id,
        error: cursorError,
      });
    }
    await deps.store.audit.add({
      at: now,
      actor: c.get("session")?.actor ?? "oauth",
      action: "account_connected",
      target: account.id,
      detail: { email },
    });
    deps.logger.info("account connected", { accountId: account.id, email });
    return c.redirect("/accounts?notice=connected", 303);
  });

  return app;
}

async function readEmail(
  doFetch: typeof fetch,
  url: string,
  accessToken: string,
): Promise<string | null> {
  try {
    const res = await doFetch(url, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    if (!res.ok) {
      await res.body?.cancel();
      return null;
    }
    const parsed = userinfoSchema.safeParse(await res.json());
    return parsed.success ? parsed.data.email.toLowerCase() : null;
  } catch {
    return null;
  }
}
