/** Postgres migrations: applied once, recorded, and idempotent. */
import assert from "node:assert/strict";
import { migrate } from "../../db/postgres/migrate.ts";
import { openPgTestStore } from "../helpers/stores.ts";

const DIR = new URL("../../db/migrations/", import.meta.url);

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
      await s.store.meta.set("kept", "yes");
      assert.deepEqual(await migrate(s.sql, { dir: DIR }), []);
      assert.deepEqual(
        await migrate(s.sql, { dir: DIR.pathname }),
        [],
        "a string folder works too",
      );
      assert.equal(await s.store.meta.get("kept"), "yes");
    });
    await t.step(
      "concurrent runs on a fresh schema apply each file once",
      async () => {
        await s.sql.unsafe(`DROP TABLE schema_migrations`);
        await s.sql.unsafe(
          `DROP TABLE accounts, cursors, ledger, review_items, refund_cases,
           invalid_refund_attempts, orders, oauth_states, sessions,
           audit_events, leases, meta`,
        );
        const runs = await Promise.all([
          migrate(s.sql, { dir: DIR }),
          migrate(s.sql, { dir: DIR }),
        ]);
        assert.equal(runs.flat().filter((n) => n === "001_init.sql").length, 1);
        await s.store.ping();
        assert.equal(await s.store.orders.count(), 0);
      },
    );
  } finally {
    await s.close();
  }
});
