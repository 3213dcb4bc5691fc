/**
 * The page frame: head, nav bar, main column. Server-rendered; a page may
 * add one same-origin script (keyboard shortcuts), never needed to work.
 * @module
 */
import type { Child } from "hono/jsx";

/** Nav entries: path and label. */
const NAV: [string, string][] = [
  ["/", "Home"],
  ["/accounts", "Accounts"],
  ["/review", "Review"],
  ["/drafts", "Drafts"],
  ["/saved-replies", "Saved replies"],
  ["/activity", "Activity"],
  ["/refunds", "Refunds"],
  ["/knowledge", "Knowledge"],
  ["/playground", "Playground"],
  ["/settings", "Settings"],
];

/** Props of `Layout`. */
export interface LayoutProps {
  title: string;
  /** The current path, to highlight the nav entry. */
  path?: string;
  /** The session's CSRF token; absent when signed out (no nav). */
  csrf?: string;
  /** A short notice shown above the content. */
  notice?: string | null;
  /** Extra head element, e.g. a meta refresh. */
  refreshSeconds?: number;
  /** A same-origin script (e.g. `/static/review_keys.js`), loaded deferred. */
  script?: string;
  children?: Child;
}

/** The HTML page frame. */
export function Layout(p: LayoutProps) {
  const active = (href: string) =>
    href === "/" ? p.path === "/" : (p.path ?? "").startsWith(href);
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {p.refreshSeconds
          ? <meta http-equiv="refresh" content={String(p.refreshSeconds)} />
          : null}
        <title>{p.title} · Support agent</title>
        <link rel="stylesheet" href="/static/app.css" />
        {p.script ? <script src={p.script} defer></script> : null}
      </head>
      <body>
        <header class="top">
          <span class="brand">Support agent</span>
          {p.csrf
            ? (
              <nav>
                {NAV.map(([href, label]) => (
                  <a href={href} class={active(href) ? "on" : undefined}>
                    {label}
                  </a>
                ))}
                <form method="post" action="/logout" class="inline">
                  <input type="hidden" name="_csrf" value={p.csrf} />
                  <button type="submit" class="link">Sign out</button>
                </form>
              </nav>
            )
            : null}
        </header>
        <main>
          <h1>{p.title}</h1>
          {p.notice ? <p class="notice">{p.notice}</p> : null}
          {p.children}
        </main>
      </body>
    </html>
  );
}

/** A hidden CSRF input for a form. */
export function Csrf(p: { token: string }) {
  return <input type="hidden" name="_csrf" value={p.token} />;
}

/** Formats a date for tables (UTC, minutes). */
export function fmtTime(d: Date | string | null | undefined): string {
  if (!d) return "—";
  const x = typeof d === "string" ? new Date(d) : d;
  if (Number.isNaN(x.getTime())) return "—";
  return x.toISOString().slice(0, 16).replace("T", " ") + " UTC";
}
