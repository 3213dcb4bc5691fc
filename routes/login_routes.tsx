/**
 * Sign-in, one-time login links and sign-out.
 * @module
 */
import { type Context, Hono } from "hono";
import { AppError } from "../pipeline/errors.ts";
import { loginCsrfMatches, loginCsrfToken } from "./auth/login_csrf.ts";
import type { LoginLimiter } from "./auth/login_limiter.ts";
import { passwordMatches } from "./auth/password.ts";
import { safeNext } from "./auth/safe_next.ts";
import {
  clearSessionCookie,
  createSession,
  endSession,
  isSecureRequest,
  setSessionCookie,
  takeOneTimeLogin,
} from "./auth/session.ts";
import type { WebEnv } from "./hono_env.ts";
import { LoginPage } from "./pages/login_page.tsx";
import type { WebDeps } from "./web_deps.ts";

/**
 * The client address: the socket's (Deno.serve passes it as the Hono env),
 * or, with `trustProxy`, the last X-Forwarded-For entry, the one the
 * reverse proxy added (earlier entries are the client's own words).
 */
export function clientIp(c: Context, trustProxy = false): string {
  if (trustProxy) {
    const last = (c.req.header("x-forwarded-for") ?? "").split(",").pop()
      ?.trim();
    if (last) return last;
  }
  const env = c.env as { remoteAddr?: { hostname?: string } } | undefined;
  return env?.remoteAddr?.hostname ?? "local";
}

type LoginDeps = Pick<WebDeps, "config" | "store" | "clock" | "logger">;

function ipOf(deps: LoginDeps, c: Context): string {
  return clientIp(c, deps.config.TRUST_PROXY === true);
}

/** The login page, with the form's CSRF token when password sign-in is on. */
function loginPage(
  deps: LoginDeps,
  c: Context<WebEnv>,
  page: { next: string; error?: string },
  status: 200 | 401 | 403 | 429 = 200,
) {
  const passwordSet = deps.config.ADMIN_PASSWORD !== null;
  // Only the password form needs the token (the one-time link is a GET).
  const csrf = passwordSet
    ? loginCsrfToken(c, isSecureRequest(c, deps.config.PUBLIC_URL))
    : "";
  return c.html(
    <LoginPage
      passwordSet={passwordSet}
      csrf={csrf}
      next={page.next}
      error={page.error}
    />,
    status,
  );
}

/** Starts a session, audits the sign-in and goes to `next`. */
async function signIn(
  deps: LoginDeps,
  c: Context<WebEnv>,
  how: string,
  next: string,
) {
  const now = deps.clock.now();
  // A fresh id on every sign-in; a previous session of this browser ends.
  const old = c.get("session");
  if (old) await endSession(deps.store.sessions, old.id);
  const s = await createSession(deps.store.sessions, now);
  setSessionCookie(c, s.id, isSecureRequest(c, deps.config.PUBLIC_URL));
  await deps.store.audit.add({
    at: now,
    actor: "admin",
    action: "login",
    target: null,
    detail: { how },
  });
  return c.redirect(next, 303);
}

/** A 429 page when this address failed too often, else null. */
function limited(deps: LoginDeps, limiter: LoginLimiter, c: Context<WebEnv>) {
  const r = limiter.check(ipOf(deps, c), deps.clock.now());
  if (r.ok) return null;
  c.header("Retry-After", String(r.retryAfterSec));
  const wait = r.retryAfterSec < 60
    ? `${r.retryAfterSec} second(s)`
    : `${Math.ceil(r.retryAfterSec / 60)} minute(s)`;
  return loginPage(deps, c, {
    next: "/",
    error:
      `Too many failed sign-in attempts from your address. Try again in ${wait}.`,
  }, 429);
}

function getLogin(deps: LoginDeps, c: Context<WebEnv>) {
  const next = safeNext(c.req.query("next"));
  if (c.get("session")) return c.redirect(next, 303);
  return loginPage(deps, c, { next });
}

async function postLogin(
  deps: LoginDeps,
  limiter: LoginLimiter,
  c: Context<WebEnv>,
) {
  const refused = limited(deps, limiter, c);
  if (refused) return refused;
  const expected = deps.config.ADMIN_PASSWORD;
  if (expected === null) {
    throw new AppError(
      "invalid_input",
      "Password sign-in is off because ADMIN_PASSWORD is not set. Use the one-time login link printed at startup.",
    );
  }
  const body = await c.req.parseBody();
  const next = safeNext(body.next);
  if (!loginCsrfMatches(c, body["_csrf"])) {
    return loginPage(deps, c, {
      next,
      error:
        "This sign-in form is outdated or was not sent from this site. Sign in again.",
    }, 403);
  }
  const given = typeof body.password === "string" ? body.password : "";
  if (given === "" || !(await passwordMatches(given, expected))) {
    limiter.fail(ipOf(deps, c), deps.clock.now());
    deps.logger.warn("sign-in failed", { ip: ipOf(deps, c) });
    return loginPage(deps, c, { next, error: "Wrong password." }, 401);
  }
  limiter.succeed(ipOf(deps, c));
  return signIn(deps, c, "password", next);
}

// Never limited: the link's token is 256 random bits, and a flood of
// failures from anywhere must not keep the owner's link out.
async function getOneTimeLogin(
  deps: LoginDeps,
  limiter: LoginLimiter,
  c: Context<WebEnv>,
) {
  const token = c.req.query("token") ?? "";
  const ok = await takeOneTimeLogin(
    deps.store.oauthStates,
    token,
    deps.clock.now(),
  );
  if (!ok) {
    limiter.fail(ipOf(deps, c), deps.clock.now());
    return loginPage(deps, c, {
      next: "/",
      error:
        "This login link was already used or has expired. Restart the server to print a new one, or set ADMIN_PASSWORD.",
    }, 401);
  }
  return signIn(deps, c, "one_time_link", "/");
}

async function postLogout(deps: LoginDeps, c: Context<WebEnv>) {
  const s = c.get("session");
  if (s) await endSession(deps.store.sessions, s.id);
  clearSessionCookie(c, isSecureRequest(c, deps.config.PUBLIC_URL));
  return c.redirect("/login", 303);
}

/** Routes: GET/POST /login, GET /login/once, POST /logout. */
export function createLoginRoutes(
  deps: LoginDeps,
  limiter: LoginLimiter,
): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.get("/login", (c) => getLogin(deps, c));
  app.post("/login", (c) => postLogin(deps, limiter, c));
  app.get("/login/once", (c) => getOneTimeLogin(deps, limiter, c));
  app.post("/logout", (c) => postLogout(deps, c));
  return app;
}
