/**
 * Security headers on every response: a strict CSP (no inline script or
 * style), no framing, no sniffing, no referrer.
 * @module
 */
import type { MiddlewareHandler } from "hono";

/** The Content-Security-Policy; `formOrigin` is Google's consent origin. */
export function contentSecurityPolicy(formOrigin: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `form-action 'self' ${formOrigin}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join("; ");
}

/** Middleware that sets the security headers after the handler ran. */
export function securityHeaders(formOrigin: string): MiddlewareHandler {
  const csp = contentSecurityPolicy(formOrigin);
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    h.set("Content-Security-Policy", csp);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "no-referrer");
    h.set("X-Frame-Options", "DENY");
    h.set("Cross-Origin-Opener-Policy", "same-origin");
    if (!h.has("Cache-Control")) h.set("Cache-Control", "no-store");
  };
}
