/**
 * Static assets: the one stylesheet, embedded at build time (a text import,
 * so `deno compile` carries it).
 * @module
 */
import { Hono } from "hono";
import css from "./static/app.css" with { type: "text" };

/** Routes: GET /static/app.css. */
export function createStaticRoutes(): Hono {
  const app = new Hono();
  app.get("/static/app.css", (c) => {
    c.header("Content-Type", "text/css; charset=utf-8");
    c.header("Cache-Control", "public, max-age=300");
    return c.body(css);
  });
  return app;
}
