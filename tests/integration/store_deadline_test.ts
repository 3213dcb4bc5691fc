/**
 * Every store call has a deadline (db/deadline_store.ts) and Postgres has
 * statement, lock and idle-transaction timeouts (app/open_store.ts): a call
 * stuck behind a lock, or a database that is gone, ends in
 * StoreUnavailableError instead of hanging. The deadline timer is fired by
 * hand: no real waiting.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { postgresOptions } from "../../app/open_store.ts";
import { withDeadlines } from "../../db/deadline_store.ts";
import { isPgUnavailable } from "../../db/pg_errors.ts";
import { createPgStore } from "../../db/postgres/pg_store.ts";
import { StoreUnavailableError } from "../../pipeline/ports.ts";
import {
  openKvTestStore,
  openPgTestStore,
  testCipher,
  testDatabaseUrl,
} from "../helpers/stores.ts";

/** Timers the test fires by hand. */
function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 0;
  return {
    setTimeout(fn: () => void) {
      pending.set(++next, fn);
      return next;
    },
    clearTimeout(id: number) {
      pending.delete(id);
    },
    fireAll() {
      for (const [id, fn] of [...pending]) {
        pending.delete(id);
        fn();
      }
    },
    get pending() {
      return pending.size;
    },
  };
}

Deno.test("withDeadlines(): a Postgres call stuck behind a lock rejects with StoreUnavailableError at its deadline", async () => {
  const pg = await openPgTestStore();
  const locker = postgres(testDatabaseUrl(), {
    max: 1,
    onnotice: () => {},
    connection: { search_path: pg.schema },
  });
  try {
    const timers = manualTimers();
    const store = withDeadlines(pg.store, { timeoutMs: 2000, timers });
    let release!: () => void;
    const held = new Promise<void>((r) => release = r);
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => locked = r);
    const tx = locker.begin(async (sql) => {
      await sql`LOCK TABLE leases IN ACCESS EXCLUSIVE MODE`;
      locked();
      await held;
    });
    await isLocked;
    const call = store.leases.acquire("poll:x", "a1", 60_000, new Date());
    assert.equal(timers.pending, 1);
    timers.fireAll();
    await assert.rejects(call, (e: unknown) => {
      assert.ok(e instanceof StoreUnavailableError);
      assert.match(e.message, /did not answer within 2 s \(leases\.acquire\)/);
      return true;
    });
    release();
    await tx;
  } finally {
    await locker.end();
    await pg.close();
  }
});

Deno.test("withDeadlines(): a database that is gone gives StoreUnavailableError; a query's own error passes unchanged", async () => {
  const url = new URL(testDatabaseUrl());
  url.pathname = "/no_such_database_for_agent_tests";
  const sql = postgres(url.href, { max: 1, onnotice: () => {} });
  const gone = withDeadlines(createPgStore(sql, await testCipher()), {
    timeoutMs: 30_000,
    isUnavailable: isPgUnavailable,
    timers: manualTimers(),
  });
  try {
    await assert.rejects(gone.ping(), (e: unknown) => {
      assert.ok(e instanceof StoreUnavailableError);
      assert.match(e.message, /unavailable \(ping\).*does not exist/);
      return true;
    });
  } finally {
    await gone.close();
  }
  const kv = await openKvTestStore();
  try {
    const timers = manualTimers();
    const store = withDeadlines(kv.store, { timeoutMs: 1000, timers });
    await assert.rejects(
      store.ledger.markDone("acc", "never-claimed", new Date()),
      RangeError,
    );
    assert.equal(await store.cursors.get("acc"), null);
    assert.equal(timers.pending, 0, "each settled call clears its timer");
  } finally {
    await kv.close();
  }
});

Deno.test("postgresOptions(): statement, lock and idle-transaction timeouts are set on every connection", async () => {
  const sql = postgres(testDatabaseUrl(), postgresOptions(7));
  try {
    const [s] = await sql`SELECT current_setting('statement_timeout') AS st,
      current_setting('lock_timeout') AS lt,
      current_setting('idle_in_transaction_session_timeout') AS it`;
    assert.deepEqual({ ...s }, { st: "7s", lt: "7s", it: "7s" });
  } finally {
    await sql.end();
  }
});
