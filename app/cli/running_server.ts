/**
 * CLI commands next to a running server on the same data folder
 * (`app/server_file.ts`): what each command does then. `poll --once` asks
 * the server to run the cycle (its sandbox, its store); a second `serve`
 * and the commands that write the embedded Deno KV store refuse with one
 * line (SQLite allows one writer at a time: two processes writing at once
 * fail with "database is locked"); the others run here, without a sandbox.
 * @module
 */
import { AppError } from "../../pipeline/errors.ts";
import type { ServerCard } from "../server_file.ts";

/** What to do with a command when a server runs on the data folder. */
export type SideBySide = "run_here" | "poll_on_server";

/** Commands that write the store. */
const WRITERS = new Set(["orders import", "accounts add"]);

/**
 * The plan for `command` given the running server (null: none). Throws an
 * AppError with the one line to print when the command must not run.
 */
export function sideBySide(
  command: string,
  server: ServerCard | null,
): SideBySide {
  if (server === null) return "run_here";
  if (command === "serve") {
    throw new AppError(
      "conflict",
      `A server is already running on this data folder at ${server.url} (pid ${server.pid}); stop it first, or give this one another DATA_DIR.`,
    );
  }
  if (command === "poll") return "poll_on_server";
  if (server.store === "kv" && WRITERS.has(command)) {
    throw new AppError(
      "conflict",
      `The server at ${server.url} (pid ${server.pid}) holds this data folder's embedded store, which takes one writer at a time: stop it, run \`${command}\`, then start it again (or use Postgres with DATABASE_URL to run both).`,
    );
  }
  return "run_here";
}
