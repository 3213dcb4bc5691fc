/**
 * The web app: `createApp(deps)` builds the Hono app with security headers,
 * the error handler, the public routes, the sign-in gate and every page.
 * @module
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createAccountsRoutes } from "./accounts_routes.tsx";
import { createApiRoutes } from "./api_routes.ts";
import { createLoginLimiter, type LoginLimiter } from "./auth/login_limiter.ts";
import { requireAdmin } from "./auth/require_admin.ts";
import { errorHandler, renderError } from "./error_handler.tsx";
import type { WebEnv } from "./hono_env.ts";
import { createHomeRoutes } from "./home_routes.tsx";
import { createActivityRoutes } from "./activity_routes.tsx";
import { createControlRoutes } from "./control_routes.ts";
import { createConversationRoutes } from "./conversation_routes.tsx";
import { createDraftsRoutes } from "./drafts_routes.tsx";
import { createKnowledgeRoutes } from "./knowledge_routes.tsx";
import { createLoginRoutes } from "./login_routes.tsx";
import { createOAuthRoutes } from "./oauth_routes.tsx";
import {
  createPlaygroundRoutes,
  MAX_EML_BYTES,
  tooBig,
} from "./playground_routes.tsx";
import { createRefundsRoutes } from "./refunds_routes.tsx";
import { createReviewRoutes } from "./review_routes.tsx";
import { createSavedRepliesRoutes } from "./saved_replies_routes.tsx";
import { securityHeaders } from "./security_headers.ts";
import { createSettingsRoutes } from "./settings_routes.tsx";
import { createStaticRoutes } from "./static_routes.ts";
import type { WebDeps } from "./web_deps.ts";

export type { WebDeps } from "./web_deps.ts";
export { createOneTimeLogin } from "./auth/session.ts";

/** Options of `createApp`. */
export interface AppOptions {
  /** Sign-in back-off; default `createLoginLimiter()` (per address, growing). */
  limiter?: LoginLimiter;
}

/** Builds the web app. */
export function createApp(deps: WebDeps, opts: AppOptions = {}): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.use("*", securityHeaders(deps.oauth.consentOrigin));
  app.onError(errorHandler(deps.logger));
  app.notFound((c) => renderError(c, 404, "There is no page at this address."));

  if (deps.healthRoutes) app.route("/", deps.healthRoutes);
  app.route("/", createStaticRoutes());
  // Before anything reads a body: the largest one is a .eml upload.
  app.use(
    "*",
    bodyLimit({
      maxSize: MAX_EML_BYTES + 64 * 1024,
      onError: () => {
        throw tooBig();
      },
    }),
  );
  app.route(
    "/",
    createControlRoutes({
      controlToken: deps.controlToken ?? null,
      pollNow: deps.pollNow,
    }),
  );
  app.use("*", requireAdmin(deps.store.sessions, deps.clock));

  app.route("/", createLoginRoutes(deps, opts.limiter ?? createLoginLimiter()));
  app.route("/", createOAuthRoutes(deps));
  app.route("/", createHomeRoutes(deps));
  app.route("/", createAccountsRoutes(deps));
  app.route("/", createActivityRoutes(deps));
  app.route("/", createConversationRoutes(deps));
  app.route("/", createReviewRoutes(deps));
  app.route("/", createDraftsRoutes(deps));
  app.route("/", createSavedRepliesRoutes(deps));
  app.route("/", createRefundsRoutes(deps));
  app.route("/", createKnowledgeRoutes(deps));
  app.route("/", createPlaygroundRoutes(deps));
  app.route("/", createSettingsRoutes(deps));
  app.route("/api", createApiRoutes(deps));
  return app;
}
