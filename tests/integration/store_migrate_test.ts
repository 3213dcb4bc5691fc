/** Postgres migrations: applied once, recorded, and idempotent. */
import assert from "node:assert/strict";
import { migrate } from "../../db/postgres/migrate.ts";
import postgres from "postgres";
import { createPgStore } from "../../db/postgres/pg_store.ts";
import {
  openPgTestStore,
  testCipher,
  testDatabaseUrl,
} from "../helpers/stores.ts";

const DIR = new URL("../../db/migrations/", import.meta.url);
const NOTE = {
  leftOlder: 5,
  capped: false,
  windowDays: 3,
  at: "2026-11-30T10:00:00.000Z",
};

Deno.test("migrate() run again applies nothing and keeps data", async (t) => {
  const s = await openPgTestStore();
  try {
    await t.step("the helper's run recorded every migration", async () => {
      const rows = await s.sql<{ name: string }[]>`
        SELECT name FROM schema_migrations ORDER BY version`;
      assert.ok(rows.length >= 1);
      assert.equal(rows[0]?.name, "001_init.sql");
    });
    await t.step("a second and third run apply nothing", async () => {
      await s.store.syncState.setLabelId("acc-1", "Agent/Processed", "kept");
      assert.deepEqual(await migrate(s.sql, { dir: DIR }), []);
      assert.deepEqual(
        await migrate(s.sql, { dir: DIR.pathname }),
        [],
        "a string folder works too",
      );
      assert.equal(
        await s.store.syncState.labelId("acc-1", "Agent/Processed"),
        "kept",
      );
    });
    await t.step(
      "concurrent runs on a fresh schema apply each file once",
      async () => {
        // Every table of the test schema, whatever the migrations made.
        await s.sql.unsafe(`DO $$ DECLARE r record; BEGIN
          FOR r IN SELECT tablename FROM pg_tables
            WHERE schemaname = current_schema() LOOP
            EXECUTE 'DROP TABLE ' || quote_ident(r.tablename) || ' CASCADE';
          END LOOP; END $$`);
        const left = await s.sql`SELECT tablename FROM pg_tables
          WHERE schemaname = current_schema()`;
        assert.equal(left.length, 0);
        const runs = await Promise.all([
          migrate(s.sql, { dir: DIR }),
          migrate(s.sql, { dir: DIR }),
        ]);
        assert.equal(runs.flat().filter((n) => n === "001_init.sql").length, 1);
        assert.equal(
          runs.flat().filter((n) => n === "004_typed_state.sql").length,
          1,
        );
        await s.store.ping();
        assert.equal(await s.store.orders.count(), 0);
      },
    );
  } finally {
    await s.close();
  }
});

Deno.test("migration 004 carries the old meta markers over to the typed state", async () => {
  const schema = `test_${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`;
  const sql = postgres(testDatabaseUrl(), {
    max: 2,
    onnotice: () => {},
    connection: { search_path: schema },
  });
  const only001 = await Deno.makeTempDir({ prefix: "migrations_001_" });
  try {
    await sql.unsafe(`CREATE SCHEMA ${schema}`);
    await Deno.copyFile(
      new URL("001_init.sql", DIR),
      `${only001}/001_init.sql`,
    );
    assert.deepEqual(await migrate(sql, { dir: only001 }), ["001_init.sql"]);
    const at = "2026-11-30T10:00:00.000Z";
    await sql`INSERT INTO meta (key, value) VALUES
      ('takeover:acc-1:t-1', ${at}),
      ('agent-sent:acc-1:s-1', ${at}),
      ('human-sent:acc-1:s-2', ${at}),
      ('gmail_label:acc-1:Agent/Processed', 'Label_7'),
      ('initial_sync_done:acc-1', '1'),
      ('mail_paused_until:acc-1', '2026-12-01T08:00:00.000Z'),
      ('sync_note:acc-1', ${JSON.stringify(NOTE)}),
      ('msg_failures:acc-1:g-1', '3'),
      ('sample_orders_loaded', 'failed')`;
    const applied = await migrate(sql, { dir: DIR });
    assert.ok(applied.includes("004_typed_state.sql"));
    assert.ok(!applied.includes("001_init.sql"));
    const store = createPgStore(sql, await testCipher());
    const now = new Date("2026-11-30T12:00:00Z");
    assert.equal(await store.threads.isTakenOver("acc-1", "t-1"), true);
    assert.equal(await store.threads.sentBy("acc-1", "s-1", now), "agent");
    assert.equal(await store.threads.sentBy("acc-1", "s-2", now), "person");
    assert.equal(
      await store.syncState.labelId("acc-1", "Agent/Processed"),
      "Label_7",
    );
    assert.equal(await store.syncState.isInitialSyncDone("acc-1"), true);
    assert.deepEqual(
      await store.syncState.pausedUntil("acc-1"),
      new Date("2026-12-01T08:00:00.000Z"),
    );
    assert.deepEqual(await store.syncState.syncNote("acc-1"), NOTE);
    assert.equal(
      await store.failures.increment({
        accountId: "acc-1",
        gmailId: "g-1",
        at: now,
      }),
      4,
    );
    assert.equal(
      await store.setup.claim("sample_orders", now),
      true,
      "a failed load is tried again",
    );
    const left = await sql`SELECT 1 FROM information_schema.tables
      WHERE table_schema = ${schema} AND table_name = 'meta'`;
    assert.equal(left.length, 0, "the meta table is gone");
  } finally {
    await sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await sql.end();
    await Deno.remove(only001, { recursive: true });
  }
});
