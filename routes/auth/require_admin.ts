/**
 * The sign-in gate: every route but the public ones needs an admin session,
 * and every state-changing request carries the session's CSRF token (form
 * field `_csrf` or header `x-csrf-token`).
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import { AppError } from "../../pipeline/errors.ts";
import type { Clock, SessionStore } from "../../pipeline/ports.ts";
import type { WebEnv } from "../hono_env.ts";
import { sameString } from "./password.ts";
import { readSession } from "./session.ts";

/** Paths served without a session. */
export const PUBLIC_PATHS: readonly string[] = [
  "/healthz",
  "/readyz",
  "/metrics",
  "/oauth2callback",
  "/login",
  "/login/once",
];

/** True for a path served without a session. */
export function isPublicPath(path: string): boolean {
  return PUBLIC_PATHS.includes(path) || path.startsWith("/static/");
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

async function csrfFrom(c: Context): Promise<string | null> {
  const h = c.req.header("x-csrf-token");
  if (h) return h;
  const type = c.req.header("content-type") ?? "";
  if (
    type.startsWith("application/x-www-form-urlencoded") ||
    type.startsWith("multipart/form-data")
  ) {
    const body = await c.req.parseBody();
    const v = body["_csrf"];
    return typeof v === "string" ? v : null;
  }
  return null;
}

/** Middleware: loads the session, refuses anonymous and CSRF-less requests. */
export function requireAdmin(
  sessions: SessionStore,
  clock: Clock,
): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const session = await readSession(c, sessions, clock.now());
    c.set("session", session);
    if (isPublicPath(c.req.path)) return next();
    if (!session) {
      const wantsPage = (c.req.method === "GET" || c.req.method === "HEAD") &&
        !c.req.path.startsWith("/api/");
      if (wantsPage) {
        const url = new URL(c.req.url);
        const next = encodeURIComponent(url.pathname + url.search);
        return c.redirect(`/login?next=${next}`, 302);
      }
      throw new AppError("unauthorized", "Sign in first.");
    }
    if (!SAFE.has(c.req.method)) {
      const token = await csrfFrom(c);
      if (!token || !sameString(token, session.csrf)) {
        throw new AppError(
          "forbidden",
          "This form was not sent from a page of this app, or it is outdated (CSRF token missing or wrong). Go back, reload the page and try again.",
        );
      }
    }
    await next();
  };
}
