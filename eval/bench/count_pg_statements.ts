/**
 * Counts the statements a `postgres` pool sends, for the benchmark and the
 * tests. Set on the pool's options after it is made: the connections then
 * report each statement they send, while queries are built as without the
 * counter (postgres.js captures a stack trace for every query and every
 * query fragment when `debug` is given at creation, which cost the agent
 * about as much as its statements' own building).
 * @module
 */
import type postgres from "postgres";

/** Counts `sql`'s statements from now on; `count()` reads the total. */
export function countPgStatements(sql: postgres.Sql): { count(): number } {
  let n = 0;
  const options = sql.options as { debug?: unknown };
  const before = options.debug;
  options.debug = (...args: unknown[]) => {
    n++;
    if (typeof before === "function") before(...args);
  };
  return { count: () => n };
}
