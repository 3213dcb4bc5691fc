/**
 * The one error handler: AppError codes map to statuses (HTTP_STATUS), and
 * anything else is logged once and shown as "Internal error".
 * @module
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Logger } from "../pipeline/log.ts";
import { AppError, HTTP_STATUS } from "../pipeline/errors.ts";
import type { WebEnv } from "./hono_env.ts";
import { ErrorPage } from "./pages/error_page.tsx";

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Sign in first",
  403: "Refused",
  404: "Not found",
  409: "Conflict",
  429: "Too many attempts",
  503: "Unavailable",
  500: "Internal error",
};

/** Renders an error as a page, or as JSON under /api. */
export function renderError(
  c: Context<WebEnv>,
  status: ContentfulStatusCode,
  message: string,
) {
  if (c.req.path.startsWith("/api/")) {
    return c.json({ error: message }, status);
  }
  const session = c.get("session") ?? null;
  return c.html(
    <ErrorPage
      title={TITLES[status] ?? "Error"}
      message={message}
      csrf={session?.csrf}
    >
      {status === 401
        ? (
          <p>
            <a href="/login">Sign in</a>
          </p>
        )
        : null}
    </ErrorPage>,
    status,
  );
}

/** Hono `onError` handler. */
export function errorHandler(logger: Logger) {
  return (err: Error, c: Context<WebEnv>) => {
    if (err instanceof AppError) {
      const status = HTTP_STATUS[err.code] as ContentfulStatusCode;
      if (status >= 500) {
        logger.error("request failed", { path: c.req.path, error: err });
      }
      return renderError(
        c,
        status,
        err.code === "internal" ? "Internal error" : err.message,
      );
    }
    logger.error("request failed", { path: c.req.path, error: err });
    return renderError(c, 500, "Internal error");
  };
}
