/**
 * The guard in front of the control routes when the emulator serves the
 * app's sandbox mailbox: the routes can deliver mail, read it and hand out
 * refresh tokens, so only the app may call them. A request to `/__emu…` is
 * refused unless its Host header is the emulator's own address (against
 * DNS rebinding), it carries the random secret only the app knows, and a
 * request with a body says `application/json` (a cross-site form or
 * `text/plain` POST cannot). The standalone emulator for tests runs
 * without it.
 * @module
 */

/** The header that carries the control secret. */
export const CONTROL_SECRET_HEADER = "x-emu-secret";

/** What the guard compares against. */
export interface ControlGuardOptions {
  /** The secret the app was given. */
  secret: string;
  /** The emulator's own `host:port` (the only Host header accepted). */
  host: string;
}

/** null when `req` may pass; otherwise the refusal to answer with. */
export function guardControl(
  req: Request,
  opts: ControlGuardOptions,
): Response | null {
  const url = new URL(req.url);
  if (!isControlPath(url.pathname)) return null;
  if ((req.headers.get("host") ?? "").toLowerCase() !== opts.host) {
    return refuse(403, "Cannot use the control routes from another host name");
  }
  const given = req.headers.get(CONTROL_SECRET_HEADER) ?? "";
  if (!sameString(given, opts.secret)) {
    return refuse(403, "Cannot use the control routes without the secret");
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    const type = (req.headers.get("content-type") ?? "").split(";")[0]!
      .trim().toLowerCase();
    if (type !== "application/json") {
      return refuse(415, "The control routes accept only application/json");
    }
  }
  return null;
}

/** True for `/__emu` paths, however their characters are encoded. */
function isControlPath(pathname: string): boolean {
  let p = pathname;
  try {
    p = decodeURIComponent(pathname);
  } catch {
    // A malformed escape: judge the raw path.
  }
  return /^\/+__emu(\/|$)/i.test(p) || /^\/+__emu(\/|$)/i.test(pathname);
}

function refuse(status: number, error: string): Response {
  return Response.json({ error }, { status });
}

/** Equal strings, in time that depends only on their lengths. */
function sameString(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
