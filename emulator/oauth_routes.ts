/**
 * Google OAuth 2.0 endpoints on Google's paths: consent
 * (`/o/oauth2/v2/auth`), `/token`, `/revoke`, `/v1/userinfo`
 * (and `/oauth2/v2/userinfo`), `/tokeninfo`.
 * @module
 */
import { type Context, Hono } from "hono";
import { authError, OAuthError } from "./errors.ts";
import { consentPage } from "./consent.ts";
import {
  ACCESS_TOKEN_SECONDS,
  bearerToken,
  revokeToken,
  subjectId,
  verifyAccessToken,
} from "./oauth_state.ts";
import { exchangeCode, refreshAccess } from "./token_grants.ts";
import type { EmulatorState, Grant } from "./state.ts";

const NO_STORE = {
  "Cache-Control": "no-cache, no-store, max-age=0, must-revalidate",
  Pragma: "no-cache",
};

/** Form fields of a POST (urlencoded, or JSON), merged over the query string. */
export async function formFields(c: Context): Promise<Record<string, string>> {
  const out: Record<string, string> = { ...c.req.query() };
  const type = c.req.header("content-type") ?? "";
  const text = await c.req.text();
  if (type.includes("application/json") && text.trim()) {
    try {
      for (const [k, v] of Object.entries(JSON.parse(text))) out[k] = String(v);
    } catch {
      throw new OAuthError(
        400,
        "invalid_request",
        "Invalid JSON payload received.",
      );
    }
  } else {
    for (const [k, v] of new URLSearchParams(text)) out[k] = v;
  }
  return out;
}

function clientFrom(
  c: Context,
  f: Record<string, string>,
): { id: string; secret: string | null } {
  const basic = /^Basic\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
  if (basic) {
    try {
      const [id, secret] = atob(basic[1]!).split(":").map(decodeURIComponent);
      if (id) return { id, secret: secret ?? null };
    } catch { /* fall through to the body */ }
  }
  const id = f["client_id"] ?? "";
  if (!id) {
    throw new OAuthError(
      400,
      "invalid_request",
      "Could not determine client ID from request.",
    );
  }
  return { id, secret: f["client_secret"] ?? null };
}

function userinfoOf(grant: Grant) {
  const name = grant.email.split("@")[0] ?? grant.email;
  return {
    sub: subjectId(grant.email),
    id: subjectId(grant.email),
    name,
    email: grant.email,
    email_verified: true,
    verified_email: true,
  };
}

/** The OAuth routes. */
export function createOAuthRoutes(state: EmulatorState): Hono {
  const app = new Hono();

  app.get("/o/oauth2/v2/auth", (c) => consentPage(state, c));
  app.get("/o/oauth2/auth", (c) => consentPage(state, c));

  app.post("/token", async (c) => {
    const f = await formFields(c);
    const client = clientFrom(c, f);
    const clientId = client.id;
    state.clientIds.add(clientId);
    // Google's answer to a wrong or missing secret (deleted client alike).
    const want = state.flags.clientSecret;
    if (want !== null && client.secret !== want) {
      throw new OAuthError(401, "invalid_client", "Unauthorized");
    }
    const grantType = f["grant_type"] ?? "";
    const body = grantType === "authorization_code"
      ? await exchangeCode(state, clientId, f)
      : grantType === "refresh_token"
      ? refreshAccess(state, clientId, f)
      : (() => {
        throw new OAuthError(
          400,
          "unsupported_grant_type",
          `Invalid grant_type: ${grantType}`,
        );
      })();
    return c.json(body, 200, NO_STORE);
  });

  const revoke = async (c: Context) => {
    const f = await formFields(c);
    const token = f["token"] ?? "";
    if (!token || revokeToken(state, token) === null) {
      throw new OAuthError(400, "invalid_token", "Token expired or revoked");
    }
    return c.json({}, 200);
  };
  app.post("/revoke", revoke);
  app.get("/revoke", revoke);

  app.get("/v1/userinfo", (c) => {
    const token = bearerToken(c.req.header("authorization")) ??
      c.req.query("access_token");
    const auth = token ? verifyAccessToken(state, token) : undefined;
    if (!auth) {
      c.header(
        "WWW-Authenticate",
        'Bearer realm="https://accounts.google.com/", error="invalid_token"',
      );
      return c.json({
        error: "invalid_request",
        error_description: "Invalid Credentials",
      }, 401);
    }
    return c.json(userinfoOf(auth.grant));
  });
  for (const path of ["/oauth2/v2/userinfo", "/oauth2/v3/userinfo"]) {
    app.get(path, (c) => {
      const token = bearerToken(c.req.header("authorization"));
      const auth = token ? verifyAccessToken(state, token) : undefined;
      if (!auth) throw authError();
      return c.json(userinfoOf(auth.grant));
    });
  }

  const tokeninfo = async (c: Context) => {
    const f = c.req.method === "POST" ? await formFields(c) : c.req.query();
    const token = f["access_token"] ??
      bearerToken(c.req.header("authorization"));
    const auth = token ? verifyAccessToken(state, token) : undefined;
    if (!auth) throw new OAuthError(400, "invalid_token", "Invalid Value");
    const left = Math.floor(
      (auth.access.expiresAt - state.now().getTime()) / 1000,
    );
    return c.json({
      azp: auth.grant.clientId ?? "emulator",
      aud: auth.grant.clientId ?? "emulator",
      sub: subjectId(auth.grant.email),
      scope: auth.grant.scope,
      exp: String(Math.floor(auth.access.expiresAt / 1000)),
      expires_in: String(Math.min(left, ACCESS_TOKEN_SECONDS)),
      email: auth.grant.email,
      email_verified: "true",
      access_type: auth.grant.refreshToken ? "offline" : "online",
    });
  };
  for (const path of ["/tokeninfo", "/oauth2/v3/tokeninfo"]) {
    app.get(path, tokeninfo);
    app.post(path, tokeninfo);
  }
  return app;
}
