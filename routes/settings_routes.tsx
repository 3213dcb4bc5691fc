/**
 * Settings: the effective configuration, secrets masked.
 * @module
 */
import { Hono } from "hono";
import type { WebEnv } from "./hono_env.ts";
import { SettingsPage } from "./pages/settings_page.tsx";
import type { WebDeps } from "./web_deps.ts";

/** Routes: GET /settings. */
export function createSettingsRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.get("/settings", (c) =>
    c.html(
      <SettingsPage
        csrf={c.get("session")!.csrf}
        rows={deps.settingsRows}
        storeKind={deps.store.kind}
        sandbox={deps.sandbox?.email ?? null}
      />,
    ));
  return app;
}
