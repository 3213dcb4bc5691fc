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

/** The client address (Deno.serve passes it as the Hono env). */
export function clientIp(c: Context): string {
  const env = c.env as { remoteAddr?: { hostname?: string } } | undefined;
  return env?.remoteAddr?.hostname ?? "local";
}

/** Routes: GET/POST /login, GET /login/once, POST /logout. */
export function createLoginRoutes(
  deps: Pick<WebDeps, "config" | "store" | "clock" | "logger">,
  limiter: LoginLimiter,
): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const passwordSet = deps.config.ADMIN_PASSWORD !== null;
  // Only the password form needs the token (the one-time link is a GET).
  const csrf = (c: Context<WebEnv>) =>
    passwordSet
      ? loginCsrfToken(c, isSecureRequest(c, deps.config.PUBLIC_URL))
      : "";

  const signIn = async (c: Context<WebEnv>, how: string, next: string) => {
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
  };

  const limited = (c: Context<WebEnv>) => {
    const r = limiter.check(clientIp(c), deps.clock.now());
    if (r.ok) return null;
    c.header("Retry-After", String(r.retryAfterSec));
    return c.html(
      <LoginPage
        passwordSet={passwordSet}
        csrf={csrf(c)}
        next="/"
        error={`Too many failed sign-in attempts. Try again in ${
          Math.ceil(r.retryAfterSec / 60)
        } minute(s).`}
      />,
      429,
    );
  };

  app.get("/login", (c) => {
    const next = safeNext(c.req.query("next"));
    if (c.get("session")) return c.redirect(next, 303);
    return c.html(
      <LoginPage passwordSet={passwordSet} csrf={csrf(c)} next={next} />,
    );
  });

  app.post("/login", async (c) => {
    const refused = limited(c);
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
      return c.html(
        <LoginPage
          passwordSet
          csrf={csrf(c)}
          next={next}
          error="This sign-in form is outdated or was not sent from this site. Sign in again."
        />,
        403,
      );
    }
    const given = typeof body.password === "string" ? body.password : "";
    if (given === "" || !(await passwordMatches(given, expected))) {
      limiter.fail(clientIp(c), deps.clock.now());
      deps.logger.warn("sign-in failed", { ip: clientIp(c) });
      return c.html(
        <LoginPage
          passwordSet
          csrf={csrf(c)}
          next={next}
          error="Wrong password."
        />,
        401,
      );
    }
    limiter.succeed(clientIp(c));
    return signIn(c, "password", next);
  });

  app.get("/login/once", async (c) => {
    const refused = limited(c);
    if (refused) return refused;
    const token = c.req.query("token") ?? "";
    const ok = await takeOneTimeLogin(
      deps.store.oauthStates,
      token,
      deps.clock.now(),
    );
    if (!ok) {
      limiter.fail(clientIp(c), deps.clock.now());
      return c.html(
        <LoginPage
          passwordSet={passwordSet}
          csrf={csrf(c)}
          next="/"
          error="This login link was already used or has expired. Restart the server to print a new one, or set ADMIN_PASSWORD."
        />,
        401,
      );
    }
    return signIn(c, "one_time_link", "/");
  });

  app.post("/logout", async (c) => {
    const s = c.get("session");
    if (s) await endSession(deps.store.sessions, s.id);
    clearSessionCookie(c, isSecureRequest(c, deps.config.PUBLIC_URL));
    return c.redirect("/login", 303);
  });

  return app;
}
