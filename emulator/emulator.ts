/**
 * The emulator app: Google OAuth + Gmail API v1 on Google's own paths, plus
 * `/__emu/*` control routes, over in-memory state and an injected clock.
 * @module
 */
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { createControlRoutes } from "./control_routes.ts";
import { faultError, GoogleApiError, notFound, OAuthError } from "./errors.ts";
import { createGmailRoutes } from "./gmail_routes.ts";
import { createOAuthRoutes } from "./oauth_routes.ts";
import {
  createState,
  type EmulatorState,
  faultRetry,
  takeFault,
} from "./state.ts";

/** Options of `createEmulator`. */
export interface EmulatorOptions {
  /** Clock for token expiry, dates and `newer_than:`. Default: wall clock. */
  now?: () => Date;
}

/** A running-in-process emulator. */
export interface Emulator {
  /** The Hono app (use `app.request(...)` in-process). */
  app: Hono;
  /** Handles one request. */
  fetch(req: Request): Promise<Response>;
  /** The live in-memory state (read it in tests; prefer control routes). */
  state: EmulatorState;
}

/** Creates an emulator with empty state. */
export function createEmulator(opts: EmulatorOptions = {}): Emulator {
  const state = createState(opts.now ?? (() => new Date()));
  const app = new Hono();

  // Injected faults on the OAuth endpoints (Gmail methods check their own).
  app.use("*", async (c, next) => {
    const p = c.req.path;
    if (
      !p.startsWith("/__emu/") && !p.startsWith("/gmail/") &&
      !p.startsWith("/upload/")
    ) {
      const fault = takeFault(state, p, c.req.method);
      if (fault) {
        throw faultError(
          fault.status,
          fault.reason ?? undefined,
          faultRetry(state, fault),
        );
      }
    }
    await next();
  });

  app.route("/__emu", createControlRoutes(state));
  app.route("/", createOAuthRoutes(state));
  app.route("/", createGmailRoutes(state));

  app.notFound((c) => {
    if (c.req.path.startsWith("/gmail/")) {
      const e = notFound();
      return c.json(e.body, 404);
    }
    return c.text("Not Found", 404);
  });
  app.onError((err, c) => {
    if (err instanceof GoogleApiError) {
      return c.json(err.body, err.status as ContentfulStatusCode, err.headers);
    }
    if (err instanceof OAuthError) {
      return c.json(
        { error: err.error, error_description: err.description },
        err.status as ContentfulStatusCode,
      );
    }
    const e = faultError(500);
    return c.json(e.body, 500);
  });

  return {
    app,
    fetch: async (req) => await app.fetch(req),
    state,
  };
}
