/**
 * Settings: the effective configuration, secrets masked.
 * @module
 */
import { Hono } from "hono";
import { type Config, SECRET_KEYS } from "../config/config.ts";
import type { WebEnv } from "./hono_env.ts";
import { SettingsPage } from "./pages/settings_page.tsx";
import type { WebDeps } from "./web_deps.ts";

/** The configuration as name/value rows, secrets shown as "set" or "not set". */
export function maskedConfig(config: Config): [string, string][] {
  const secret = new Set<string>(SECRET_KEYS);
  return Object.entries(config).sort(([a], [b]) => a.localeCompare(b)).map(
    ([k, v]) => {
      const empty = v === null || v === undefined ||
        (Array.isArray(v) && v.length === 0) || v === "";
      if (secret.has(k)) return [k, empty ? "(not set)" : "•••••• (set)"];
      if (empty) return [k, "(not set)"];
      return [k, Array.isArray(v) ? v.join(", ") : String(v)];
    },
  );
}

/** Routes: GET /settings. */
export function createSettingsRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.get("/settings", (c) =>
    c.html(
      <SettingsPage
        csrf={c.get("session")!.csrf}
        rows={maskedConfig(deps.config)}
        storeKind={deps.store.kind}
        sandbox={deps.sandbox?.email ?? null}
      />,
    ));
  return app;
}
