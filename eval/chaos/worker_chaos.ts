/**
 * `deno task chaos:worker [--short]`: the worker under real conditions,
 * bounded in time, mostly with in-process workers (`deno task chaos`,
 * eval/chaos/chaos.ts, drives only real agent processes). Scenarios: double "Poll now" with a cron tick overlapping (Deno
 * KV); two instances on one Postgres with injected 429 / 403
 * userRateLimitExceeded / 500 and a revoked token; a full sync of a big
 * inbox (500 emails, 150 with --short); SIGKILL of `poll --once` during its
 * sends and a restart (Postgres, INSTANCE_ID; not with --short); a database
 * dropped under
 * `poll --once`. Every scenario asserts 0 lost and 0 duplicate replies (the
 * dropped database: a non-zero exit in bounded time) and the counts are
 * printed; one JSON object last. Exits 1 when any scenario fails.
 * @module
 */
// deno-lint-ignore-file no-console
import postgres from "postgres";
import { silentLogger } from "../../app/ops/logger.ts";
import {
  createTokenCipher,
  generateKey,
} from "../../db/crypto/token_cipher.ts";
import { createKvStore } from "../../db/kv/kv_store.ts";
import { migrate } from "../../db/postgres/migrate.ts";
import { createPgStore } from "../../db/postgres/pg_store.ts";
import { startEmulator } from "../../emulator/mod.ts";
import { createGmailMailboxFactory } from "../../pipeline/gmail/mailbox_factory.ts";
import type { Store } from "../../pipeline/ports.ts";
import { createWorker, type Worker } from "../../pipeline/worker/worker.ts";
import { benchDecideConfig, understanding } from "../bench/e2e_bench.ts";

const SHORT = Deno.args.includes("--short");
const ROOT = new URL("../../", import.meta.url);
const PG_URL = Deno.env.get("DATABASE_URL") ??
  "postgres://postgres@127.0.0.1:5432/postgres";
const QUESTIONS = [
  "How long does standard shipping take?",
  "Do you ship internationally?",
  "How can I track my order?",
  "Please refund my order, I do not want it anymore.",
  "We would like to discuss a partnership.",
];

type Emu = Awaited<ReturnType<typeof startEmulator>>;
type Parts = Awaited<ReturnType<typeof understanding>>;

/** The outcome of one scenario. */
interface Outcome {
  scenario: string;
  emails: number;
  handled: number;
  lost: number;
  duplicates: number;
  seconds: number;
  ok: boolean;
  note?: string;
}

async function emuPost(emu: Emu, path: string, body: unknown) {
  const res = await fetch(emu.url + path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return await res.json();
}

async function deliver(emu: Emu, to: string, n: number, tag: string) {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 25) {
    const batch = await Promise.all(
      Array.from(
        { length: Math.min(25, n - i) },
        (_, k) =>
          emuPost(emu, "/__emu/messages", {
            to,
            from: `Customer ${tag}${i + k} <${tag}${i + k}@example.net>`,
            subject: `Message ${tag}${i + k}`,
            text: QUESTIONS[(i + k) % QUESTIONS.length],
          }) as Promise<{ id: string }>,
      ),
    );
    ids.push(...batch.map((b) => b.id));
  }
  return ids;
}

async function sentPerThread(emu: Emu, user: string) {
  const sent = await (await fetch(
    `${emu.url}/__emu/sent?user=${encodeURIComponent(user)}`,
  )).json() as { threadId: string }[];
  const per = new Map<string, number>();
  for (const m of sent) per.set(m.threadId, (per.get(m.threadId) ?? 0) + 1);
  return per;
}

/** Lost: delivered but not finished in the ledger. Duplicates: extra replies in a thread. */
async function check(
  emu: Emu,
  store: Store,
  accountId: string,
  user: string,
  ids: string[],
) {
  let handled = 0;
  for (const id of ids) {
    if ((await store.ledger.get(accountId, id))?.state === "done") handled++;
  }
  const per = await sentPerThread(emu, user);
  let duplicates = 0;
  for (const n of per.values()) duplicates += Math.max(0, n - 1);
  return { handled, lost: ids.length - handled, duplicates };
}

async function connect(emu: Emu, store: Store, email: string) {
  const { refresh_token } = await emuPost(emu, "/__emu/users", { email }) as {
    refresh_token: string;
  };
  return await store.accounts.upsert({
    email,
    tokens: {
      accessToken: null,
      refreshToken: refresh_token,
      expiryDate: null,
    },
  });
}

function worker(
  store: Store,
  emu: Emu,
  parts: Parts,
  opts: { initialSyncMax?: number } = {},
): Worker {
  return createWorker({
    store,
    mailboxes: createGmailMailboxFactory({
      store,
      clientId: "chaos",
      clientSecret: "chaos",
      baseUrl: emu.url,
      clock: { now: () => new Date() },
      sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 50))),
      logger: silentLogger,
    }),
    decide: {
      classifier: parts.classifier,
      retriever: parts.retriever,
      llm: null,
      config: benchDecideConfig(),
    } as Parameters<typeof createWorker>[0]["decide"],
    sync: { initialSyncDays: 3, initialSyncMax: opts.initialSyncMax ?? 5000 },
    clock: { now: () => new Date() },
    logger: silentLogger,
    retryBackoffMs: 100,
  });
}

/** Polls with `workers` (all at once each round) until a round fetches nothing. */
async function untilIdle(workers: Worker[], maxRounds = 40) {
  for (let round = 0; round < maxRounds; round++) {
    const rs = await Promise.all(workers.map((w) => w.pollOnce()));
    const busy = rs.some((s) => s.fetched > 0 || s.errors > 0);
    if (!busy && round > 0) return;
    await new Promise((r) => setTimeout(r, 120)); // past the back-off
  }
}

async function kvStore() {
  const dir = await Deno.makeTempDir({ prefix: "chaos_kv_" });
  const kv = await Deno.openKv(`${dir}/agent.kv`);
  const store = createKvStore(
    kv,
    await createTokenCipher({ key: generateKey() }),
  );
  return {
    store,
    close: async () => {
      kv.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

async function pgSchemaStore() {
  const schema = `chaos_${crypto.randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE SCHEMA ${schema}`);
  const sql = postgres(PG_URL, {
    max: 10,
    onnotice: () => {},
    connection: { search_path: schema },
  });
  await migrate(sql, { dir: new URL("db/migrations/", ROOT) });
  const store = createPgStore(
    sql,
    await createTokenCipher({ key: generateKey() }),
  );
  return {
    store,
    close: async () => {
      await sql.end({ timeout: 5 });
      await admin.unsafe(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

async function timed(
  scenario: string,
  fn: () => Promise<Omit<Outcome, "scenario" | "seconds" | "ok">>,
): Promise<Outcome> {
  const t0 = performance.now();
  try {
    const r = await fn();
    const ok = r.lost === 0 && r.duplicates === 0 &&
      !r.note?.startsWith("FAIL");
    return { scenario, ...r, seconds: round1(t0), ok };
  } catch (e) {
    return {
      scenario,
      emails: 0,
      handled: 0,
      lost: 0,
      duplicates: 0,
      seconds: round1(t0),
      ok: false,
      note: `FAIL: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

const round1 = (t0: number) => Math.round((performance.now() - t0) / 100) / 10;

/** Two Poll now clicks and a cron tick at once, on Deno KV. */
function doublePoll(parts: Parts, n: number) {
  return timed("double_poll_now_and_cron", async () => {
    const emu = await startEmulator();
    const kv = await kvStore();
    try {
      const user = "double@shop.example";
      const account = await connect(emu, kv.store, user);
      const ids = await deliver(emu, user, n, "d");
      const w = worker(kv.store, emu, parts);
      await Promise.all([
        w.pollOnce(),
        w.pollOnce(),
        w.processAccount(account),
      ]);
      await untilIdle([w]);
      return {
        emails: n,
        ...await check(emu, kv.store, account.id, user, ids),
      };
    } finally {
      await kv.close();
      await emu.close();
    }
  });
}

/** Two instances on one Postgres, Gmail faults, one token revoked then reconnected. */
function twoInstances(parts: Parts, n: number) {
  return timed("two_instances_postgres_faults_revoked", async () => {
    const emu = await startEmulator();
    const pg = await pgSchemaStore();
    try {
      const users = ["one@shop.example", "two@shop.example"];
      const accounts = [];
      for (const u of users) accounts.push(await connect(emu, pg.store, u));
      const ids = [
        await deliver(emu, users[0]!, n, "p"),
        await deliver(emu, users[1]!, n, "q"),
      ];
      const k = Math.max(2, Math.round(n * 0.15));
      await emuPost(emu, "/__emu/faults", { status: 429, count: k });
      await emuPost(emu, "/__emu/faults", {
        status: 403,
        count: k,
        reason: "userRateLimitExceeded",
      });
      await emuPost(emu, "/__emu/faults", {
        status: 500,
        count: k,
        path: "/messages/send",
      });
      await emuPost(emu, "/__emu/revoke", { email: users[1] });
      const a = worker(pg.store, emu, parts);
      const b = worker(pg.store, emu, parts);
      await untilIdle([a, b]);
      // The revoked mailbox is reconnected: its mail is then answered.
      const revoked = await pg.store.accounts.get(accounts[1]!.id);
      const note = `revoked account status: ${revoked?.status}`;
      await connect(emu, pg.store, users[1]!);
      await untilIdle([a, b]);
      let handled = 0, lost = 0, duplicates = 0;
      for (const [i, acc] of accounts.entries()) {
        const r = await check(emu, pg.store, acc.id, users[i]!, ids[i]!);
        handled += r.handled;
        lost += r.lost;
        duplicates += r.duplicates;
      }
      return {
        emails: 2 * n,
        handled,
        lost,
        duplicates,
        note: revoked?.status === "needs_reconnect" ? note : `FAIL: ${note}`,
      };
    } finally {
      await pg.close();
      await emu.close();
    }
  });
}

/** A big inbox before the first poll, 50 new emails a cycle. */
function fullSync(parts: Parts, n: number) {
  return timed(`full_sync_${n}`, async () => {
    const emu = await startEmulator();
    const kv = await kvStore();
    try {
      const user = "big@shop.example";
      const account = await connect(emu, kv.store, user);
      const ids = await deliver(emu, user, n, "f");
      await untilIdle([worker(kv.store, emu, parts, { initialSyncMax: 50 })]);
      return {
        emails: n,
        ...await check(emu, kv.store, account.id, user, ids),
      };
    } finally {
      await kv.close();
      await emu.close();
    }
  });
}

/** A Postgres database of its own, and the CLI's environment for it. */
async function cliDatabase(emu: Emu) {
  const db = `chaos_${crypto.randomUUID().replace(/-/g, "").slice(0, 10)}`;
  const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${db}`);
  const url = new URL(PG_URL);
  url.pathname = `/${db}`;
  const env = {
    DATABASE_URL: url.href,
    ENCRYPTION_KEY: generateKey(),
    GOOGLE_BASE_URL: emu.url,
    GOOGLE_CLIENT_ID: "chaos",
    GOOGLE_CLIENT_SECRET: "chaos",
    SANDBOX: "off",
    LOG_LEVEL: "silent",
    INITIAL_SYNC_MAX: "5000",
    STORE_TIMEOUT_SECONDS: "5",
    INSTANCE_ID: "chaos-instance-1",
  };
  return {
    env,
    async drop() {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    },
    async close() {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await admin.end();
    },
  };
}

function agentCli(args: string[], env: Record<string, string>) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts", ...args],
    cwd: ROOT.pathname,
    env,
    stdout: "piped",
    stderr: "piped",
  });
}

async function cliAccount(emu: Emu, env: Record<string, string>, user: string) {
  const { refresh_token } = await emuPost(emu, "/__emu/users", {
    email: user,
  }) as { refresh_token: string };
  const add = await agentCli(
    ["accounts", "add", "--email", user, "--refresh-token", refresh_token],
    env,
  ).output();
  if (!add.success) {
    throw new Error(`accounts add: ${new TextDecoder().decode(add.stderr)}`);
  }
}

/** Waits until `cond()` or `ms` pass; false on time out. */
async function waitFor(cond: () => Promise<boolean>, ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** SIGKILL of `poll --once` during its sends, then a restart with the same INSTANCE_ID. */
function sigkill(emu: Emu, n: number) {
  return timed("sigkill_during_sends_postgres", async () => {
    const db = await cliDatabase(emu);
    try {
      const user = `kill-${crypto.randomUUID().slice(0, 6)}@shop.example`;
      await cliAccount(emu, db.env, user);
      const ids = await deliver(emu, user, n, "k");
      const child = agentCli(["poll", "--once"], db.env).spawn();
      const sentSome = await waitFor(
        async () => (await sentPerThread(emu, user)).size >= 3,
        120_000,
      );
      child.kill("SIGKILL");
      await child.output();
      const restarted = await agentCli(["poll", "--once"], db.env).output();
      const again = await agentCli(["poll", "--once"], db.env).output();
      const pg = postgres(db.env.DATABASE_URL, { max: 1, onnotice: () => {} });
      let handled = 0;
      try {
        const rows = await pg`SELECT gmail_id FROM ledger WHERE state = 'done'`;
        const done = new Set(rows.map((r) => r.gmail_id as string));
        handled = ids.filter((id) => done.has(id)).length;
      } finally {
        await pg.end();
      }
      let duplicates = 0;
      for (const c of (await sentPerThread(emu, user)).values()) {
        duplicates += Math.max(0, c - 1);
      }
      return {
        emails: n,
        handled,
        lost: n - handled,
        duplicates,
        note: sentSome && restarted.success && again.success
          ? "killed after 3+ replies; restarted at once (INSTANCE_ID)"
          : `FAIL: killed=${sentSome} restart=${restarted.code}`,
      };
    } finally {
      await db.close();
    }
  });
}

/** DROP DATABASE under `poll --once`: it must exit non-zero in bounded time. */
function droppedDatabase(emu: Emu, n: number) {
  return timed("dropped_database", async () => {
    const db = await cliDatabase(emu);
    try {
      const user = `drop-${crypto.randomUUID().slice(0, 6)}@shop.example`;
      await cliAccount(emu, db.env, user);
      await deliver(emu, user, n, "x");
      const child = agentCli(["poll", "--once"], db.env).spawn();
      await waitFor(
        async () => (await sentPerThread(emu, user)).size >= 3,
        120_000,
      );
      const t0 = performance.now();
      await db.drop();
      const bound = 60_000;
      const status = await Promise.race([
        child.output(),
        new Promise<null>((r) => setTimeout(() => r(null), bound)),
      ]);
      const seconds = Math.round((performance.now() - t0) / 100) / 10;
      if (status === null) child.kill("SIGKILL");
      const ok = status !== null && !status.success;
      return {
        emails: n,
        handled: n,
        lost: 0,
        duplicates: 0,
        note: ok
          ? `poll --once exited ${status.code} ${seconds} s after the drop`
          : `FAIL: poll --once still running ${seconds} s after the drop`,
      };
    } finally {
      await db.close();
    }
  });
}

if (import.meta.main) {
  const t0 = performance.now();
  const parts = await understanding();
  const outcomes: Outcome[] = [];
  const log = (o: Outcome) => {
    outcomes.push(o);
    console.error(JSON.stringify(o));
  };
  log(await doublePoll(parts, SHORT ? 40 : 200));
  log(await twoInstances(parts, SHORT ? 30 : 100));
  log(await fullSync(parts, SHORT ? 150 : 500));
  const emu = await startEmulator();
  try {
    if (!SHORT) log(await sigkill(emu, 60));
    log(await droppedDatabase(emu, SHORT ? 40 : 200));
  } finally {
    await emu.close();
  }
  const summary = {
    short: SHORT,
    seconds: round1(t0),
    lost: outcomes.reduce((n, o) => n + o.lost, 0),
    duplicates: outcomes.reduce((n, o) => n + o.duplicates, 0),
    failed: outcomes.filter((o) => !o.ok).map((o) => o.scenario),
    scenarios: outcomes,
  };
  console.log(JSON.stringify(summary));
  Deno.exit(summary.failed.length === 0 ? 0 : 1);
}
