/**
 * Turns Postgres connection and migration failures into one line a person
 * can act on. Never includes the password.
 * @module
 */

/** `host:port/database` of a Postgres URL, without user or password. */
export function pgTarget(url: string): string {
  try {
    const u = new URL(url);
    const db = u.pathname.replace(/^\//, "") || "postgres";
    return `${u.hostname || "localhost"}:${u.port || "5432"}/${db}`;
  } catch {
    return "the configured DATABASE_URL";
  }
}

/** One-line description of a failure to reach or migrate Postgres. */
export function describePgError(e: unknown, target: string): string {
  const err = e as { code?: string; message?: string };
  const code = err.code ?? "";
  const fix =
    "start it (e.g. pg_ctlcluster <version> main start, or docker compose up -d db) or fix DATABASE_URL";
  switch (code) {
    case "ECONNREFUSED":
      return `Cannot reach Postgres at ${target} (connection refused): ${fix}`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `Cannot reach Postgres at ${target} (unknown host): fix DATABASE_URL`;
    case "CONNECT_TIMEOUT":
    case "ETIMEDOUT":
      return `Cannot reach Postgres at ${target} (timed out): ${fix}`;
    case "28P01":
    case "28000":
      return `Cannot log in to Postgres at ${target} (authentication failed): fix the user or password in DATABASE_URL`;
    case "3D000":
      return `Cannot use Postgres at ${target} (the database does not exist): create it (createdb) or fix DATABASE_URL`;
    case "42501":
      return `Cannot migrate Postgres at ${target} (permission denied): grant the user CREATE on the schema`;
  }
  const msg = (err.message ?? String(e)).replace(
    /postgres(ql)?:\/\/[^\s]+/g,
    "[DATABASE_URL]",
  );
  return `Cannot use Postgres at ${target}: ${msg.split("\n")[0]}`;
}

/** Postgres error codes that mean the database is gone or cannot answer. */
const GONE = new Set([
  "3D000", // database does not exist (dropped)
  "57P01", // admin shutdown (terminated, e.g. DROP DATABASE ... FORCE)
  "57P02", // crash shutdown
  "57P03", // cannot connect now
  "57014", // statement timeout (or cancelled)
  "25P03", // idle in transaction timeout
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
]);

/**
 * True when `e` says Postgres is unreachable, gone or too slow (connection
 * class 08, shutdown, dropped database, statement timeout), as opposed to
 * an error of the query itself.
 */
export function isPgUnavailable(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return false;
  return GONE.has(code) || code.startsWith("08");
}
