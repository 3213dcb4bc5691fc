/**
 * CSRF for the sign-in form, before any session exists: a random token in a
 * cookie scoped to /login (HttpOnly, SameSite=Strict) that the form must
 * send back (double submit). Another site cannot read the cookie, so it
 * cannot post a sign-in on the admin's behalf.
 * @module
 */
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { sameString } from "./password.ts";
import { randomId } from "./session.ts";

/** The cookie holding the sign-in form's token. */
export const LOGIN_CSRF_COOKIE = "login_csrf";

/** The token for the sign-in form: the cookie's, or a new one set now. */
export function loginCsrfToken(c: Context, secure: boolean): string {
  const have = getCookie(c, LOGIN_CSRF_COOKIE);
  if (have && /^[A-Za-z0-9_-]{43}$/.test(have)) return have;
  const token = randomId();
  setCookie(c, LOGIN_CSRF_COOKIE, token, {
    httpOnly: true,
    sameSite: "Strict",
    path: "/login",
    secure,
    maxAge: 60 * 60,
  });
  return token;
}

/** True when the posted form token equals the cookie's (constant time). */
export function loginCsrfMatches(c: Context, posted: unknown): boolean {
  const have = getCookie(c, LOGIN_CSRF_COOKIE);
  return !!have && typeof posted === "string" && sameString(have, posted);
}
