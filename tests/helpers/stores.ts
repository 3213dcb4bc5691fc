/**
 * Test helpers: real stores on both backends. Deno KV in a fresh temp dir,
 * Postgres in a fresh schema `test_<random>` (migrated, dropped on close) on
 * `DATABASE_URL` or the local default.
 * @module
 */
import postgres from "postgres";
import type { Store } from "../../pipeline/ports.ts";
import {
  createTokenCipher,
  type TokenCipher,
} from "../../db/crypto/token_cipher.ts";
import { createKvStore } from "../../db/kv/kv_store.ts";
import { createPgStore } from "../../db/postgres/pg_store.ts";
import { migrate } from "../../db/postgres/migrate.ts";
import { countKvOps } from "../../eval/bench/count_kv_ops.ts";
import { countPgStatements } from "../../eval/bench/count_pg_statements.ts";

/** A fixed test key (base64 of 32 bytes): never used outside tests. */
export const TEST_KEY = "YWdlbnQtdGVzdC1rZXktMDEyMzQ1Njc4OWFiY2RlZiE=";

/** A cipher with the fixed test key. */
export function testCipher(): Promise<TokenCipher> {
  return createTokenCipher({ key: TEST_KEY });
}

/** One opened test store. */
export interface TestStore {
  name: "kv" | "postgres";
  store: Store;
  /**
   * Round trips to the backend so far (Deno KV: get, getMany, set, delete,
   * list and atomic commits; Postgres: statements), when counted.
   */
  trips?: () => number;
  close(): Promise<void>;
}

/** Options of the test stores. */
export interface TestStoreOptions {
  /** Count the round trips (`TestStore.trips`). */
  countTrips?: boolean;
}

/** The Postgres URL tests use. */
export function testDatabaseUrl(): string {
  return Deno.env.get("DATABASE_URL") ??
    "postgres://postgres@127.0.0.1:5432/postgres";
}

/** Opens a fresh Deno KV store in a new temp dir. */
export async function openKvTestStore(
  opts: TestStoreOptions = {},
): Promise<
  TestStore & { kv: Deno.Kv; dir: string }
> {
  const dir = await Deno.makeTempDir({ prefix: "agent_kv_test_" });
  const kv = await Deno.openKv(`${dir}/agent.kv`);
  const counted = opts.countTrips ? countKvOps(kv) : null;
  const store = createKvStore(counted?.kv ?? kv, await testCipher());
  return {
    name: "kv",
    store,
    trips: counted?.count,
    kv,
    dir,
    async close() {
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Opens a fresh Postgres store in a new schema, migrated. */
export async function openPgTestStore(
  opts: TestStoreOptions = {},
): Promise<
  TestStore & { sql: postgres.Sql; schema: string }
> {
  const schema = `test_${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`;
  const url = testDatabaseUrl();
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const sql = postgres(url, {
    max: 4,
    onnotice: () => {},
    connection: { search_path: schema },
  });
  await migrate(sql, { dir: new URL("../../db/migrations/", import.meta.url) });
  const counted = opts.countTrips ? countPgStatements(sql) : null;
  const store = createPgStore(sql, await testCipher());
  return {
    name: "postgres",
    store,
    trips: counted?.count,
    sql,
    schema,
    async close() {
      await sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await store.close();
    },
  };
}

/** Opens one fresh store per backend. */
export async function openTestStores(): Promise<TestStore[]> {
  return [await openKvTestStore(), await openPgTestStore()];
}

/**
 * Runs `fn` as one `t.step` per backend, each on a fresh store that is
 * closed afterwards.
 */
export async function forEachStore(
  t: Deno.TestContext,
  fn: (store: Store, name: string) => Promise<void>,
): Promise<void> {
  for (const open of [openKvTestStore, openPgTestStore]) {
    const s = await open();
    try {
      await t.step(s.name, () => fn(s.store, s.name));
    } finally {
      await s.close();
    }
  }
}
