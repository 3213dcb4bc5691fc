/**
 * The consent step of `/o/oauth2/v2/auth`: consents at once for the user
 * named by `login_hint` (created when new) or the only user, shows a small
 * chooser when there are several, or redirects with `error=access_denied`
 * when a denial was queued with `POST /__emu/oauth`.
 * @module
 */
import type { Context } from "hono";
import { type EmulatorState, ensureUser, randomToken } from "./state.ts";

const CODE_TTL_MS = 10 * 60 * 1000;

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function errorPage(c: Context, message: string): Response {
  return c.html(
    `<!doctype html><title>Error 400</title><h1>Error 400: invalid_request</h1><p>${
      escapeHtml(message)
    }</p>`,
    400,
  );
}

function redirectWith(
  c: Context,
  redirectUri: string,
  params: Record<string, string | undefined>,
): Response {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined) url.searchParams.set(k, v);
  }
  return c.redirect(url.toString(), 302);
}

function chooser(c: Context, emails: string[]): Response {
  const links = emails.map((e) => {
    const url = new URL(c.req.url);
    url.searchParams.set("login_hint", e);
    return `<li><a href="${escapeHtml(url.pathname + url.search)}">${
      escapeHtml(e)
    }</a></li>`;
  }).join("");
  return c.html(
    `<!doctype html><title>Choose an account</title><h1>Choose an account</h1><ul>${links}</ul>`,
  );
}

/** Handles GET /o/oauth2/v2/auth. */
export function consentPage(state: EmulatorState, c: Context): Response {
  const q = c.req.query();
  const clientId = q["client_id"] ?? "";
  const redirectUri = q["redirect_uri"] ?? "";
  if (!clientId) return errorPage(c, "Missing required parameter: client_id");
  if (!redirectUri || !URL.canParse(redirectUri)) {
    return errorPage(c, "Missing required parameter: redirect_uri");
  }
  state.clientIds.add(clientId);
  const st = q["state"];
  if (q["response_type"] !== "code") {
    return redirectWith(c, redirectUri, {
      error: "unsupported_response_type",
      state: st,
    });
  }
  const method = q["code_challenge_method"] ??
    (q["code_challenge"] ? "plain" : undefined);
  if (method && method !== "S256" && method !== "plain") {
    return errorPage(c, `Invalid code_challenge_method: ${method}`);
  }
  if (state.flags.denyNext > 0) {
    state.flags.denyNext -= 1;
    return redirectWith(c, redirectUri, { error: "access_denied", state: st });
  }
  const hint = q["login_hint"]?.trim();
  let email: string;
  if (hint) {
    email = ensureUser(state, hint).email;
  } else if (state.users.size === 1) {
    email = [...state.users.keys()][0]!;
  } else if (state.users.size === 0) {
    return errorPage(
      c,
      "No emulated user: create one with POST /__emu/users or pass login_hint",
    );
  } else {
    return chooser(c, [...state.users.keys()]);
  }
  const code = `4/0A${randomToken(40)}`;
  // Partial consent: the user may untick scopes; Google grants the rest.
  const scope = (q["scope"] ?? "").split(/\s+/).filter((x) =>
    x !== "" && !state.flags.dropScopes.includes(x)
  ).join(" ");
  state.codes.set(code, {
    code,
    email,
    clientId,
    redirectUri,
    scope,
    accessType: q["access_type"] ?? "online",
    alreadyGranted: !(q["prompt"] ?? "").split(" ").includes("consent") &&
      [...state.grants.values()].some((g) =>
        g.email === email && g.clientId === clientId && !g.revoked &&
        g.refreshToken !== null
      ),
    challenge: q["code_challenge"] ?? null,
    challengeMethod: method ?? null,
    used: false,
    expiresAt: state.now().getTime() + CODE_TTL_MS,
  });
  return redirectWith(c, redirectUri, {
    state: st,
    code,
    scope,
    authuser: "0",
    prompt: "consent",
  });
}
