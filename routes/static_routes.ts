/**
 * Static assets: the one stylesheet and the review queue's keyboard
 * shortcuts, embedded at build time (text imports, so `deno compile`
 * carries them).
 * @module
 */
import { Hono } from "hono";
import css from "./static/app.css" with { type: "text" };
import reviewKeys from "./static/review_keys.js" with { type: "text" };

/** Routes: GET /static/app.css, GET /static/review_keys.js. */
export function createStaticRoutes(): Hono {
  const app = new Hono();
  app.get("/static/app.css", (c) => {
    c.header("Content-Type", "text/css; charset=utf-8");
    c.header("Cache-Control", "public, max-age=300");
    return c.body(css);
  });
  app.get("/static/review_keys.js", (c) => {
    c.header("Content-Type", "text/javascript; charset=utf-8");
    c.header("Cache-Control", "public, max-age=300");
    return c.body(reviewKeys);
  });
  return app;
}
