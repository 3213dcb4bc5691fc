/**
 * Control routes for CLI commands started next to the running server on
 * the same data folder (`app/server_file.ts`): `GET /internal/ping` and
 * `POST /internal/poll` (one polling cycle, run by the server with its own
 * sandbox and store). They answer only a bearer token equal to the
 * server's control token, which is written to `$DATA_DIR/server.json`
 * (mode 0600) and nowhere else; without a token they do not exist.
 * @module
 */
import { Hono } from "hono";
import { sameString } from "./auth/password.ts";
import type { WebEnv } from "./hono_env.ts";

/** What the control routes need. */
export interface ControlDeps {
  /** The control token; null turns the routes off. */
  controlToken: string | null;
  pollNow(): Promise<Record<string, number>>;
}

/** Routes: GET /internal/ping, POST /internal/poll. */
export function createControlRoutes(deps: ControlDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const token = deps.controlToken;
  if (token === null) return app;
  app.use("/internal/*", async (c, next) => {
    const given = /^Bearer (\S+)$/.exec(c.req.header("authorization") ?? "")
      ?.[1];
    if (!given || !sameString(given, token)) {
      return c.json({ error: "Not allowed." }, 401);
    }
    await next();
  });
  app.get("/internal/ping", (c) => c.body(null, 204));
  app.post("/internal/poll", async (c) => c.json(await deps.pollNow()));
  return app;
}
