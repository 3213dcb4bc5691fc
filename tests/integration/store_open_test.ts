/**
 * openStore(): Deno KV by default (key file generated once), Postgres when
 * DATABASE_URL is set (migrated), and one clear line on each failure.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { generateKey } from "../../db/crypto/token_cipher.ts";
import { migrateDatabase, openStore } from "../../app/open_store.ts";
import { loadSampleOrders } from "../../db/sample_orders.ts";
import { silentLogger } from "../../app/ops/logger.ts";
import { AppError } from "../../pipeline/errors.ts";
import { testDatabaseUrl } from "../helpers/stores.ts";

const logger = silentLogger;
const tokens = { accessToken: null, refreshToken: "1//r", expiryDate: null };
const base = {
  DATABASE_URL: null,
  ENCRYPTION_KEY: null,
  ENCRYPTION_KEYS_OLD: [] as string[],
  SENT_REPLY_MARKER_DAYS: 30,
};

async function withTempDir(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "agent_open_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("openStore() on the embedded default", async (t) => {
  await t.step(
    "keeps sent-reply markers for SENT_REPLY_MARKER_DAYS",
    () =>
      withTempDir(async (dir) => {
        const cfg = { ...base, DATA_DIR: dir, SENT_REPLY_MARKER_DAYS: 2 };
        const s = await openStore(cfg, { logger });
        try {
          const t0 = new Date("2026-11-30T12:00:00Z");
          const day = (n: number) => new Date(t0.getTime() + n * 86_400_000);
          await s.threads.recordSent({
            accountId: "a1",
            gmailId: "s1",
            by: "agent",
            at: t0,
          });
          assert.equal(await s.threads.sentBy("a1", "s1", day(1.9)), "agent");
          assert.equal(await s.threads.sentBy("a1", "s1", day(2)), null);
        } finally {
          await s.close();
        }
      }),
  );
  await t.step(
    "creates DATA_DIR, the key file and agent.kv, and reopens",
    () =>
      withTempDir(async (dir) => {
        const cfg = { ...base, DATA_DIR: `${dir}/data` };
        const s1 = await openStore(cfg, { logger });
        assert.equal(s1.kind, "kv");
        const a = await s1.accounts.upsert({ email: "k@example.com", tokens });
        await s1.close();
        await Deno.stat(`${dir}/data/agent.kv`);
        const key1 = await Deno.readTextFile(`${dir}/data/encryption.key`);
        const s2 = await openStore(cfg, { logger });
        assert.deepEqual(await s2.accounts.getTokens(a.id), tokens);
        await s2.close();
        assert.equal(
          await Deno.readTextFile(`${dir}/data/encryption.key`),
          key1,
        );
      }),
  );

  await t.step(
    "reports a key that does not decrypt the stored tokens",
    () =>
      withTempDir(async (dir) => {
        const keyA = generateKey();
        const cfg = { ...base, DATA_DIR: dir, ENCRYPTION_KEY: keyA };
        const s1 = await openStore(cfg, { logger });
        await s1.accounts.upsert({ email: "k@example.com", tokens });
        await s1.close();
        const wrong = { ...cfg, ENCRYPTION_KEY: generateKey() };
        await assert.rejects(
          () => openStore(wrong, { logger }),
          (e: unknown) =>
            e instanceof AppError && e.code === "unavailable" &&
            /^ENCRYPTION_KEY does not match the key that encrypted the stored tokens \(key id [0-9a-f]{8}\)/
              .test(e.message),
        );
        const rotated = { ...wrong, ENCRYPTION_KEYS_OLD: [keyA] };
        const s2 = await openStore(rotated, { logger });
        assert.equal((await s2.accounts.list()).length, 1);
        await s2.close();
      }),
  );

  await t.step(
    "loads the sample orders once, never twice",
    () =>
      withTempDir(async (dir) => {
        const s = await openStore({ ...base, DATA_DIR: dir }, { logger });
        try {
          const now = new Date("2026-11-24T09:00:00Z");
          const n = await loadSampleOrders(s, { now, logger });
          assert.ok(n >= 20);
          assert.equal(await s.orders.count(), n);
          await s.orders.markRefundRequested("ORD10001", now);
          assert.equal(await loadSampleOrders(s, { now, logger }), 0);
          const o = await s.orders.get("ORD10001");
          assert.equal(o?.status, "refund_requested");
        } finally {
          await s.close();
        }
      }),
  );
});

Deno.test("openStore() with DATABASE_URL", async (t) => {
  await t.step("migrates and opens Postgres", async () => {
    const schema = `test_open_${crypto.randomUUID().slice(0, 8)}`;
    const admin = postgres(testDatabaseUrl(), { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE SCHEMA ${schema}`);
    try {
      const url = new URL(testDatabaseUrl());
      url.searchParams.set("search_path", schema);
      const s = await openStore({
        ...base,
        DATA_DIR: "/nonexistent-not-used",
        DATABASE_URL: url.href,
        ENCRYPTION_KEY: generateKey(),
      }, { logger });
      assert.equal(s.kind, "postgres");
      assert.equal(await s.orders.count(), 0);
      await s.close();
      assert.deepEqual(await migrateDatabase(url.href, logger), []);
      const [row] = await admin.unsafe(
        `SELECT count(*)::int AS n FROM ${schema}.schema_migrations`,
      );
      assert.ok(row!.n >= 1);
    } finally {
      await admin.unsafe(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    }
  });

  await t.step(
    "says in one line that Postgres is unreachable, without the password",
    async () => {
      const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const port = (listener.addr as Deno.NetAddr).port;
      listener.close();
      const url = `postgres://agent:pw-SECRET-123@127.0.0.1:${port}/agentdb`;
      await assert.rejects(
        () =>
          openStore({
            ...base,
            DATA_DIR: "/unused",
            DATABASE_URL: url,
            ENCRYPTION_KEY: generateKey(),
          }, { logger }),
        (e: unknown) => {
          assert.ok(e instanceof AppError);
          assert.equal(e.code, "unavailable");
          assert.equal(
            e.message,
            `Cannot reach Postgres at 127.0.0.1:${port}/agentdb (connection refused): start it (e.g. pg_ctlcluster <version> main start, or docker compose up -d db) or fix DATABASE_URL`,
          );
          assert.ok(!e.message.includes("pw-SECRET"));
          return true;
        },
      );
    },
  );

  await t.step(
    "migrateDatabase() reports an unreachable server in one line",
    async () => {
      const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const port = (listener.addr as Deno.NetAddr).port;
      listener.close();
      await assert.rejects(
        () => migrateDatabase(`postgres://u:pw-X@127.0.0.1:${port}/d`, logger),
        (e: unknown) =>
          e instanceof AppError && e.code === "unavailable" &&
          e.message.startsWith(
            `Cannot reach Postgres at 127.0.0.1:${port}/d (connection refused)`,
          ) && !e.message.includes("pw-X"),
      );
    },
  );

  await t.step("requires ENCRYPTION_KEY", async () => {
    await assert.rejects(
      () =>
        openStore({
          ...base,
          DATA_DIR: "/unused",
          DATABASE_URL: testDatabaseUrl(),
        }, { logger }),
      /ENCRYPTION_KEY is required/,
    );
  });
});
