/**
 * The statement counter of the benchmark and the tests, on the real
 * Postgres: each statement sent counts once, a query's fragments do not
 * count apart, and statements before the counter was set are not counted.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { countPgStatements } from "../../eval/bench/count_pg_statements.ts";
import { testDatabaseUrl } from "../helpers/stores.ts";

Deno.test("countPgStatements: one per statement sent, fragments included in theirs", async () => {
  // One connection, opened before counting (a new connection first reads
  // the array types: a statement of its own).
  const sql = postgres(testDatabaseUrl(), { max: 1, onnotice: () => {} });
  try {
    await sql`SELECT 1`;
    const counted = countPgStatements(sql);
    const inner = sql`AND ${2} > 1`;
    const [r] = await sql`SELECT ${1}::int AS one WHERE true ${inner}`;
    assert.equal(r!.one, 1);
    await Promise.all([sql`SELECT 2`, sql`SELECT 3`]);
    assert.equal(counted.count(), 3);
  } finally {
    await sql.end();
  }
});
