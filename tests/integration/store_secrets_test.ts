/**
 * Tokens never rest in plaintext: after storing an account with known
 * tokens, every KV entry and every row of every table holds none of them.
 */
import assert from "node:assert/strict";
import type { Tokens } from "../../pipeline/types.ts";
import { openKvTestStore, openPgTestStore } from "../helpers/stores.ts";

const tokens: Tokens = {
  accessToken: "ya29.SECRET-ACCESS-7f3a9c",
  refreshToken: "1//SECRET-REFRESH-b81e44",
  expiryDate: 1_900_000_000_000,
};
const secrets = [tokens.accessToken!, tokens.refreshToken, "SECRET-"];

function assertNoSecret(dump: string, where: string) {
  for (const s of secrets) {
    assert.ok(!dump.includes(s), `${where} holds a token in plaintext`);
  }
}

Deno.test("stores keep OAuth tokens only encrypted at rest", async (t) => {
  await t.step("kv: no entry holds a token", async () => {
    const s = await openKvTestStore();
    try {
      const a = await s.store.accounts.upsert({
        email: "secret@example.com",
        tokens,
      });
      await s.store.accounts.setTokens(a.id, tokens);
      assert.deepEqual(await s.store.accounts.getTokens(a.id), tokens);
      let n = 0;
      for await (const e of s.kv.list({ prefix: [] })) {
        n++;
        assertNoSecret(
          JSON.stringify({ key: e.key, value: e.value }),
          `KV entry ${JSON.stringify(e.key)}`,
        );
      }
      assert.ok(n >= 2, "the dump saw the account records");
    } finally {
      await s.close();
    }
  });
  await t.step("postgres: no row of any table holds a token", async () => {
    const s = await openPgTestStore();
    try {
      const a = await s.store.accounts.upsert({
        email: "secret@example.com",
        tokens,
      });
      await s.store.accounts.setTokens(a.id, tokens);
      assert.deepEqual(await s.store.accounts.getTokens(a.id), tokens);
      const tables = await s.sql<{ table_name: string }[]>`
        SELECT table_name FROM information_schema.tables
        WHERE table_schema = ${s.schema}`;
      assert.ok(tables.length >= 10, "the dump saw every table");
      let rows = 0;
      for (const { table_name } of tables) {
        const all = await s.sql.unsafe(
          `SELECT * FROM "${s.schema}"."${table_name}"`,
        );
        rows += all.length;
        assertNoSecret(JSON.stringify(all), `table ${table_name}`);
      }
      assert.ok(rows >= 1, "the dump saw the account row");
    } finally {
      await s.close();
    }
  });
});
