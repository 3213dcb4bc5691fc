/**
 * Where to go after sign-in: only a path of this app. The value is parsed
 * as a URL against a stand-in origin and kept only when the origin is still
 * that one; anything a browser could read as another host (`//x`, `/\x`,
 * `/\t/x`, `https:x`, encoded slashes that decode to those) falls back to
 * "/".
 * @module
 */

/** A stand-in for the app's own origin (never contacted). */
const BASE = "http://app.invalid";
/** Control characters (browsers drop tab and newlines inside URLs). */
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A same-site path to go to after sign-in; "/" when `next` is unsafe. */
export function safeNext(next: unknown): string {
  if (typeof next !== "string" || next.length > 2000) return "/";
  if (!next.startsWith("/") || CONTROL.test(next) || next.includes("\\")) {
    return "/";
  }
  // Percent-decoding must not make it any of the above either.
  const decoded = fullyDecoded(next);
  if (
    decoded === null || CONTROL.test(decoded) || decoded.includes("\\") ||
    decoded.startsWith("//")
  ) return "/";
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  // `/.//x` parses to the path `//x`, which a browser reads as a host.
  if (!path.startsWith("/") || path.startsWith("//")) return "/";
  return path === "/login" || path.startsWith("/login/") ||
      path.startsWith("/login?")
    ? "/"
    : path;
}

/** `s` percent-decoded until it stops changing; null when malformed. */
function fullyDecoded(s: string): string | null {
  let cur = s;
  for (let i = 0; i < 5; i++) {
    let next: string;
    try {
      next = decodeURIComponent(cur);
    } catch {
      return null;
    }
    if (next === cur) return cur;
    cur = next;
  }
  return null;
}
