/**
 * Server-side admin sessions in `store.sessions`: a random 32-byte id in an
 * HttpOnly, SameSite=Lax cookie (Secure behind HTTPS) and a CSRF token per
 * session. The store keys sessions by the SHA-256 of the id, so a copy of
 * the store does not hand out live cookies. One-time login links live in
 * the OAuth state store (so that taking one is atomic), also keyed by the
 * SHA-256 of the token: the store and its files never hold a usable link.
 * @module
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { OAuthStateStore, SessionStore } from "../../pipeline/ports.ts";
import { randomId } from "../../pipeline/random_id.ts";
import type { Session } from "../hono_env.ts";

export { randomId };

/** Name of the session cookie. */
export const SESSION_COOKIE = "sid";
/** How long a session lives. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** How long a one-time login link stays valid. */
export const ONE_TIME_TTL_MS = 24 * 60 * 60 * 1000;
const ONCE_PREFIX = "login-once:";

/** The store key of a session id: hex SHA-256. */
export async function sessionKey(id: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(id));
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0"))
    .join("");
}

/** Creates a session and returns it (the caller sets the cookie). */
export async function createSession(
  sessions: SessionStore,
  now: Date,
  actor = "admin",
): Promise<Session> {
  const s: Session = { id: randomId(), csrf: randomId(), actor };
  await sessions.put(
    await sessionKey(s.id),
    { csrf: s.csrf, actor },
    SESSION_TTL_MS,
    now,
  );
  return s;
}

/** The session named by the request's cookie, or null. */
export async function readSession(
  c: Context,
  sessions: SessionStore,
  now: Date,
): Promise<Session | null> {
  const id = getCookie(c, SESSION_COOKIE);
  if (!id || id.length > 100) return null;
  const data = await sessions.get(await sessionKey(id), now);
  if (!data || !data.csrf) return null;
  return { id, csrf: data.csrf, actor: data.actor ?? "admin" };
}

/** Ends a session. */
export async function endSession(
  sessions: SessionStore,
  id: string,
): Promise<void> {
  await sessions.delete(await sessionKey(id));
}

/** True when cookies must carry Secure (HTTPS public URL or request). */
export function isSecureRequest(c: Context, publicUrl: string | null): boolean {
  if (publicUrl?.startsWith("https:")) return true;
  if (new URL(c.req.url).protocol === "https:") return true;
  return c.req.header("x-forwarded-proto") === "https";
}

/** Sets the session cookie. */
export function setSessionCookie(
  c: Context,
  id: string,
  secure: boolean,
): void {
  setCookie(c, SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: "Lax",
    path: "/",
    secure,
    maxAge: SESSION_TTL_MS / 1000,
  });
}

/** Removes the session cookie. */
export function clearSessionCookie(c: Context, secure: boolean): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure });
}

/**
 * Creates a one-time login token valid for `ttlMs` (default 24 h). At
 * startup `app/serve.ts` logs the link `${url}/login/once?token=${token}`
 * (built by the agent's `loginLink`, `app/build_agent.ts`).
 */
export async function createOneTimeLogin(
  states: OAuthStateStore,
  now: Date,
  ttlMs = ONE_TIME_TTL_MS,
): Promise<string> {
  const token = randomId();
  await states.put(await onceKey(token), { kind: "login" }, ttlMs, now);
  return token;
}

/** The store key of a one-time login token: the prefix and its SHA-256. */
async function onceKey(token: string): Promise<string> {
  return ONCE_PREFIX + await sessionKey(token);
}

/** Consumes a one-time login token: true the first time only. */
export async function takeOneTimeLogin(
  states: OAuthStateStore,
  token: string,
  now: Date,
): Promise<boolean> {
  if (token.length < 20 || token.length > 100) return false;
  const data = await states.take(await onceKey(token), now);
  return data?.kind === "login";
}
