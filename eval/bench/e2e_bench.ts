/**
 * End-to-end benchmark (`deno task bench`, after the pipeline part): N
 * emails (default 2,000; `--n N`) through the Gmail emulator (its own
 * process, over HTTP) into the real worker, on Deno KV and on Postgres.
 * Per backend, in processes of their own started with the agent's V8 flags
 * (those of `deno task start`): first the I/O floor (a loop making the same
 * Gmail calls, messages.list, then per email messages.get raw,
 * messages.send and messages.modify, with the same client and the same
 * concurrency as the worker: DEFAULT_MESSAGE_CONCURRENCY at a time), then
 * the agent. It prints emails/s; the ratio to that floor; store round trips
 * per email (KV reads, writes and atomic commits; Postgres statements);
 * Gmail quota units per replied email; the peak RSS of the agent's process
 * while it works; and the store's size per email before and after pruning
 * everything prunable. Also the CPU time (user + system, all threads) of
 * the agent's and the floor's processes over the same span, and its ratio:
 * on a shared machine the wall-clock ratio moves with the load of other
 * processes, the CPU ratio much less. Prints one JSON object last:
 * `{"pipeline": …, "end_to_end": …}` (`--skip-pipeline` leaves the first
 * part out). `--latency MS` makes the emulator answer every Gmail call MS
 * milliseconds late, as Google over a network does: the ratio to the floor
 * then says what the agent adds to a real mailbox's I/O; at 0 (the default)
 * it says what the agent costs against the client's CPU alone.
 * @module
 */
import process from "node:process";
import postgres from "postgres";
import { silentLogger } from "../../app/ops/logger.ts";
import {
  createTokenCipher,
  generateKey,
} from "../../db/crypto/token_cipher.ts";
import { createKvStore } from "../../db/kv/kv_store.ts";
import { migrate } from "../../db/postgres/migrate.ts";
import { createPgStore } from "../../db/postgres/pg_store.ts";
import { createClassifier } from "../../pipeline/classify/classifier.ts";
import {
  bundledExampleFiles,
  loadExamples,
} from "../../pipeline/classify/examples.ts";
import { createGmailMailboxFactory } from "../../pipeline/gmail/mailbox_factory.ts";
import { createKnowledgeBase } from "../../pipeline/knowledge/knowledge_base.ts";
import type { Store } from "../../pipeline/ports.ts";
import { pruneOldRecords } from "../../pipeline/worker/retention.ts";
import { PROCESSED_LABEL } from "../../pipeline/worker/sync.ts";
import {
  createWorker,
  DEFAULT_MESSAGE_CONCURRENCY,
} from "../../pipeline/worker/worker.ts";
import { mapBounded } from "../../pipeline/worker/lanes.ts";
import { countKvOps } from "./count_kv_ops.ts";
import { countPgStatements } from "./count_pg_statements.ts";
import { startCpuProfile, startHeapProfile } from "./cpu_profile.ts";

const ROOT = new URL("../../", import.meta.url);
const SHOP = "support@shop.example";
/** The bench emails' questions, one per email in turn. */
export const QUESTIONS = [
  "How long does standard shipping take?",
  "Do you ship internationally?",
  "How can I track my order?",
  "What is your return policy?",
  "Can I change the address of my order?",
  "Which payment methods do you accept?",
];

function arg(name: string, fallback: number): number {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Number(Deno.args[i + 1]) : fallback;
}

/**
 * `--latency MS`: every Gmail and OAuth answer of the emulator waits MS
 * milliseconds (a network round trip; Google's is tens of milliseconds).
 * Default 0: the floor is then the client's and the emulator's CPU alone.
 */
const LATENCY_MS = arg("--latency", 0);

/** The Gmail emulator in its own process, so RSS is the agent's. */
async function startEmulatorProcess(): Promise<Emu> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      "--allow-env",
      "emulator/main.ts",
      "--port",
      "0",
      "--latency",
      String(LATENCY_MS),
    ],
    cwd: ROOT.pathname,
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!/listening on (\S+)/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the emulator did not start");
    text += value;
  }
  const url = text.match(/listening on (\S+)/)![1]!;
  return {
    ...emulatorAt(url),
    async close() {
      child.kill();
      await reader.cancel().catch(() => {});
      await child.status;
    },
  };
}

/** The emulator as the bench drives it. */
interface Emu {
  url: string;
  /** POSTs JSON to the emulator; its JSON answer. */
  post(path: string, body: unknown): Promise<Record<string, string>>;
  units(): Promise<number>;
  close(): Promise<void>;
}

async function deliver(emu: Emu, user: string, n: number) {
  for (let i = 0; i < n; i += 50) {
    await Promise.all(
      Array.from(
        { length: Math.min(50, n - i) },
        (_, k) =>
          emu.post("/__emu/messages", {
            to: user,
            from: `Customer ${i + k} <c${i + k}@example.net>`,
            subject: `Question ${i + k}`,
            text: QUESTIONS[(i + k) % QUESTIONS.length],
          }),
      ),
    );
  }
}

/**
 * This process's resident set in bytes: `/proc/self/statm` where there is
 * one (a read of a few µs; `Deno.memoryUsage()` also walks the JS heap, a
 * tenth of a millisecond a call, which the floor did not pay), else
 * `Deno.memoryUsage().rss`.
 */
function rssBytes(): number {
  try {
    const pages = Number(
      Deno.readTextFileSync("/proc/self/statm").split(" ")[1],
    );
    if (Number.isFinite(pages) && pages > 0) return pages * 4096;
  } catch {
    // not Linux
  }
  return Deno.memoryUsage().rss;
}

/** Max RSS sampled every 25 ms while `fn` runs (the floor samples too). */
async function withPeakRss<T>(fn: () => Promise<T>) {
  let peak = rssBytes();
  const timer = setInterval(() => {
    peak = Math.max(peak, rssBytes());
  }, 25);
  try {
    const value = await fn();
    return { value, peakMb: Math.round(peak / 1e5) / 10 };
  } finally {
    clearInterval(timer);
  }
}

interface Opened {
  store: Store;
  trips(): number;
  tripsByMethod?(): Record<string, number>;
  bytes(): Promise<number>;
  close(): Promise<void>;
}

async function openKv(): Promise<Opened> {
  const dir = await Deno.makeTempDir({ prefix: "bench_kv_" });
  const raw = await Deno.openKv(`${dir}/agent.kv`);
  const counted = countKvOps(raw);
  const store = createKvStore(
    counted.kv,
    await createTokenCipher({ key: generateKey() }),
  );
  return {
    store,
    trips: counted.count,
    tripsByMethod: counted.byMethod,
    async bytes() {
      let n = 0;
      for await (const e of raw.list({ prefix: [] })) {
        n += JSON.stringify(e.key).length +
          JSON.stringify(e.value ?? null).length;
      }
      return n;
    },
    async close() {
      raw.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

async function openPg(): Promise<Opened> {
  const url = Deno.env.get("DATABASE_URL") ??
    "postgres://postgres@127.0.0.1:5432/postgres";
  const schema = `bench_${crypto.randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE SCHEMA ${schema}`);
  const sql = postgres(url, {
    max: 10,
    onnotice: () => {},
    connection: { search_path: schema },
  });
  const counted = countPgStatements(sql);
  await migrate(sql, { dir: new URL("db/migrations/", ROOT) });
  const store = createPgStore(
    sql,
    await createTokenCipher({ key: generateKey() }),
  );
  return {
    store,
    trips: counted.count,
    async bytes() {
      // Live row bytes (table files only shrink after VACUUM FULL).
      const tables = await admin.unsafe(
        `SELECT table_name AS t FROM information_schema.tables
         WHERE table_schema = $1`,
        [schema],
      );
      let n = 0;
      for (const { t } of tables) {
        const [r] = await admin.unsafe(
          `SELECT coalesce(sum(pg_column_size(x.*)), 0)::bigint AS n
           FROM ${schema}."${t}" x`,
        );
        n += Number(r!.n);
      }
      return n;
    },
    async close() {
      await sql.end({ timeout: 5 });
      await admin.unsafe(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

/** The real classifier and the bundled knowledge base's retriever. */
export async function understanding() {
  const examples = await loadExamples(bundledExampleFiles(
    new URL("pipeline/classify/training/classify_examples.jsonl", ROOT)
      .pathname,
  ));
  const cacheDir = await Deno.makeTempDir({ prefix: "bench_kb_" });
  const kb = createKnowledgeBase({
    dir: new URL("knowledge_base", ROOT).pathname,
    cacheDir,
    logger: silentLogger,
  });
  await kb.reindex();
  await Deno.remove(cacheDir, { recursive: true });
  return { classifier: createClassifier(examples), retriever: kb.retriever };
}

const r2 = (x: number) => Math.round(x * 100) / 100;

/** CPU seconds (user + system, all threads) this process used so far. */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * This thread's (the JS thread's) seconds on a CPU and waiting for one
 * (Linux `schedstat`; zeros elsewhere): what the event loop itself spent,
 * apart from GC helpers, the KV thread and the rest, and how long it was
 * ready but not running (other processes on a shared machine).
 */
function mainThreadSched(): { run: number; wait: number } {
  try {
    const [run, wait] = Deno.readTextFileSync("/proc/thread-self/schedstat")
      .trim().split(/\s+/).map(Number);
    return { run: (run ?? 0) / 1e9, wait: (wait ?? 0) / 1e9 };
  } catch {
    return { run: 0, wait: 0 };
  }
}

/** System CPU seconds (the kernel's share: sockets, files) so far. */
function systemCpuSeconds(): number {
  return process.cpuUsage().system / 1e6;
}

async function connect(emu: Emu, store: Store, user: string) {
  const { refresh_token } = await emu.post("/__emu/users", { email: user });
  if (!refresh_token) throw new Error(`the emulator gave ${user} no token`);
  const account = await store.accounts.upsert({
    email: user,
    tokens: {
      accessToken: null,
      refreshToken: refresh_token,
      expiryDate: null,
    },
  });
  const mailboxes = createGmailMailboxFactory({
    store,
    clientId: "bench",
    clientSecret: "bench",
    baseUrl: emu.url,
    clock: { now: () => new Date() },
    logger: silentLogger,
  });
  return { account, mailboxes };
}

/**
 * The I/O floor: the same Gmail calls with the same client and the same
 * concurrency as the worker (its own mailbox, in its own process).
 */
async function ioFloor(
  emu: Emu,
  n: number,
): Promise<
  {
    seconds: number;
    cpu_seconds: number;
    system_cpu_seconds: number;
    peak_rss_mb: number;
    main_thread_cpu_seconds: number;
    main_thread_wait_seconds: number;
  }
> {
  const opened = await openKv();
  try {
    const user = `floor-${crypto.randomUUID().slice(0, 8)}@shop.example`;
    const { account, mailboxes } = await connect(emu, opened.store, user);
    await deliver(emu, user, n);
    const mb = mailboxes.mailboxFor(account);
    const label = await mb.ensureLabel(PROCESSED_LABEL);
    const profiled = await profileStart("floor");
    const sys0 = systemCpuSeconds();
    const sched0 = mainThreadSched();
    const cpu0 = cpuSeconds();
    const t0 = performance.now();
    // The same RSS sampling as the agent's run, so both pay for it.
    const { peakMb } = await withPeakRss(async () => {
      const refs = await mb.listMessages("in:inbox", n + 10);
      await mapBounded(refs, DEFAULT_MESSAGE_CONCURRENCY, async (ref) => {
        const got = await mb.getRaw(ref.id);
        const reply = new TextEncoder().encode(
          `From: ${user}\r\nTo: c@example.net\r\nSubject: Re\r\n\r\nThanks ${got.raw.length}`,
        );
        await mb.send(reply, got.threadId);
        await mb.addLabels(ref.id, [label]);
      });
    });
    const seconds = (performance.now() - t0) / 1000;
    const cpu_seconds = cpuSeconds() - cpu0;
    const system_cpu_seconds = systemCpuSeconds() - sys0;
    const sched = mainThreadSched();
    await profiled();
    return {
      seconds,
      cpu_seconds,
      system_cpu_seconds,
      peak_rss_mb: peakMb,
      main_thread_cpu_seconds: sched.run - sched0.run,
      main_thread_wait_seconds: sched.wait - sched0.wait,
    };
  } finally {
    await opened.close();
  }
}

/** The agent's run on one backend (in its own process). */
async function runAgent(name: "kv" | "postgres", emu: Emu, n: number) {
  const u = await understanding();
  const opened = name === "kv" ? await openKv() : await openPg();
  try {
    const { account, mailboxes } = await connect(emu, opened.store, SHOP);
    await deliver(emu, SHOP, n);
    const worker = createWorker({
      store: opened.store,
      mailboxes,
      decide: {
        classifier: u.classifier,
        retriever: u.retriever,
        llm: null,
        config: benchDecideConfig(),
      } as Parameters<typeof createWorker>[0]["decide"],
      sync: { initialSyncDays: 3, initialSyncMax: n },
      clock: { now: () => new Date() },
      logger: silentLogger,
      // Throughput, not the cycle deadline, is measured here.
      cycleDeadlineMs: 60 * 60_000,
    });
    void account;
    const units0 = await emu.units();
    const trips0 = opened.trips();
    const by0 = opened.tripsByMethod?.() ?? {};
    const bytes0 = await opened.bytes();
    const profiled = await profileStart(`agent_${name}`);
    const sys0 = systemCpuSeconds();
    const sched0 = mainThreadSched();
    const cpu0 = cpuSeconds();
    const t0 = performance.now();
    const { value: summary, peakMb } = await withPeakRss(async () => {
      let total = await worker.pollOnce();
      for (let s = total; s.fetched > 0 && total.fetched < n;) {
        s = await worker.pollOnce();
        total = {
          ...total,
          fetched: total.fetched + s.fetched,
          replied: total.replied + s.replied,
          queued: total.queued + s.queued,
          errors: total.errors + s.errors,
        };
      }
      return total;
    });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds() - cpu0;
    const sys = systemCpuSeconds() - sys0;
    const sched = mainThreadSched();
    await profiled();
    const trips = opened.trips() - trips0;
    const by = opened.tripsByMethod?.();
    const units = await emu.units() - units0;
    const bytes = await opened.bytes() - bytes0;
    const far = new Date(Date.now() + 86_400_000);
    await pruneOldRecords(opened.store, { now: far, retentionDays: 0 });
    const bytesAfterPrune = await opened.bytes() - bytes0;
    return {
      emails: n,
      fetched: summary.fetched,
      replied: summary.replied,
      queued: summary.queued,
      errors: summary.errors,
      seconds: r2(seconds),
      cpu_seconds: r2(cpu),
      system_cpu_seconds: r2(sys),
      main_thread_cpu_seconds: r2(sched.run - sched0.run),
      main_thread_wait_seconds: r2(sched.wait - sched0.wait),
      emails_per_s: r2(summary.fetched / seconds),
      store_round_trips_per_email: r2(trips / summary.fetched),
      ...(by
        ? {
          store_round_trips_by_kind: Object.fromEntries(
            Object.entries(by).map(([k, v]) => [k, v - (by0[k] ?? 0)]),
          ),
        }
        : {}),
      quota_units_per_replied_email: r2(units / Math.max(1, summary.replied)),
      peak_rss_mb: peakMb,
      store_bytes_per_email: Math.round(bytes / summary.fetched),
      store_bytes_per_email_after_prune: Math.round(
        bytesAfterPrune / summary.fetched,
      ),
    };
  } finally {
    await opened.close();
  }
}

/** The agent's V8 flags: those `deno task start` runs it with. */
async function agentV8Flags(): Promise<string[]> {
  const json = JSON.parse(
    await Deno.readTextFile(new URL("deno.json", ROOT)),
  ) as { tasks: Record<string, string> };
  const m = json.tasks.start?.match(/--v8-flags=(\S+)/);
  return m ? [`--v8-flags=${m[1]}`] : [];
}

/** Runs this file as `--role ROLE` in a process of its own; its last line. */
async function child(role: string, args: string[]): Promise<unknown> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      ...(await agentV8Flags()),
      "eval/bench/e2e_bench.ts",
      "--role",
      role,
      ...args,
      ...(PROFILE_DIR === null ? [] : ["--profile", PROFILE_DIR]),
      ...(Deno.args.includes("--heap-profile") ? ["--heap-profile"] : []),
    ],
    cwd: ROOT.pathname,
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`bench ${role} failed`);
  const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
  return JSON.parse(lines[lines.length - 1]!);
}

/** One backend: the I/O floor, then the agent, each in its own process. */
async function runBackend(name: "kv" | "postgres", n: number) {
  const emu = await startEmulatorProcess();
  try {
    const floor = await child("floor", [
      "--emu",
      emu.url,
      "--n",
      String(n),
      "--backend",
      name,
    ]) as Awaited<ReturnType<typeof ioFloor>>;
    const agent = await child("agent", [
      "--emu",
      emu.url,
      "--n",
      String(n),
      "--backend",
      name,
    ]) as Awaited<ReturnType<typeof runAgent>>;
    return {
      ...agent,
      io_floor_seconds: r2(floor.seconds),
      ratio_to_io_floor: r2(agent.seconds / floor.seconds),
      io_floor_cpu_seconds: r2(floor.cpu_seconds),
      io_floor_system_cpu_seconds: r2(floor.system_cpu_seconds),
      io_floor_peak_rss_mb: floor.peak_rss_mb,
      io_floor_main_thread_cpu_seconds: r2(floor.main_thread_cpu_seconds),
      io_floor_main_thread_wait_seconds: r2(floor.main_thread_wait_seconds),
      cpu_ratio_to_io_floor: r2(agent.cpu_seconds / floor.cpu_seconds),
      main_thread_cpu_ratio_to_io_floor: r2(
        agent.main_thread_cpu_seconds / floor.main_thread_cpu_seconds,
      ),
      concurrency: DEFAULT_MESSAGE_CONCURRENCY,
      latency_ms: LATENCY_MS,
      v8_flags: (await agentV8Flags()).join(" "),
    };
  } finally {
    await emu.close();
  }
}

/**
 * The decision settings of the benchmark: those of the tests
 * (`tests/helpers/gmail_agent.ts` `decideConfig`), not quite the
 * configuration's defaults (classify threshold 0.6, not 0.7).
 */
export function benchDecideConfig() {
  return {
    replyMode: "auto" as const,
    classifyThreshold: 0.6,
    maxAutoRepliesPerSender: 3,
    answer: {
      answerThreshold: 0.5,
      signature: "The Support Team",
      shopName: "Northwind Goods",
    },
    refund: {
      windowDays: 30,
      eligibleStatuses: ["delivered", "shipped"],
      autoLimit: 200,
      maxInvalidAttempts: 3,
      orderIdPattern: null,
      vipSenders: [],
      templates: {},
      signature: "The Support Team",
      shopName: "Northwind Goods",
    },
  };
}

/** Runs the end-to-end part; returns its JSON. */
export async function endToEndBench(n: number) {
  // `--only kv` or `--only postgres`: one backend.
  const only = argText("--only");
  return {
    n,
    kv: only === "postgres" ? null : await runBackend("kv", n),
    postgres: only === "kv" ? null : await runBackend("postgres", n),
    targets: {
      ratio_to_io_floor: 1.3,
      store_round_trips_per_email: 3,
      peak_rss_mb: 200,
    },
  };
}

/** The pipeline part (pipeline_bench.ts) in its own process: its last line. */
async function pipelinePart(): Promise<unknown> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "eval/bench/pipeline_bench.ts"],
    cwd: ROOT.pathname,
    stderr: "inherit",
  }).output();
  const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
  return JSON.parse(lines[lines.length - 1]!);
}

/** `--name VALUE` of the command line, or null. */
function argText(name: string): string | null {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Deno.args[i + 1] ?? null : null;
}

/**
 * `--profile DIR`: each timed part writes a V8 CPU profile of its process
 * there (`floor_<backend>.cpuprofile`, `agent_<backend>.cpuprofile`;
 * summarise one with `deno run -A eval/bench/cpu_profile.ts FILE`).
 */
const PROFILE_DIR = argText("--profile");

/** Starts the CPU profile of a timed part when `--profile` asks; stops it. */
async function profileStart(part: string): Promise<() => Promise<void>> {
  if (PROFILE_DIR === null) return () => Promise.resolve();
  const backend = argText("--backend") ?? "kv";
  const name = part === "floor" ? `floor_${backend}` : part;
  // `--heap-profile`: where the part allocates instead of where it runs.
  return Deno.args.includes("--heap-profile")
    ? await startHeapProfile(`${PROFILE_DIR}/${name}.heapprofile`)
    : await startCpuProfile(`${PROFILE_DIR}/${name}.cpuprofile`);
}

/** The emulator a child process is given (`--emu URL`). */
function emulatorAt(url: string): Emu {
  return {
    url,
    async post(path: string, body: unknown) {
      const res = await fetch(url + path, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
      return await res.json();
    },
    async units(): Promise<number> {
      return ((await (await fetch(url + "/__emu/calls")).json()) as {
        units: number;
      }).units;
    },
    close: () => Promise.resolve(),
  };
}

const role = argText("--role");
if (import.meta.main && role !== null) {
  const emu = emulatorAt(argText("--emu")!);
  const n = arg("--n", 2000);
  const out = role === "floor" ? await ioFloor(emu, n) : await runAgent(
    argText("--backend") === "postgres" ? "postgres" : "kv",
    emu,
    n,
  );
  Deno.stdout.writeSync(new TextEncoder().encode(JSON.stringify(out) + "\n"));
} else if (import.meta.main) {
  const pipeline = Deno.args.includes("--skip-pipeline")
    ? null
    : await pipelinePart();
  const result = await endToEndBench(arg("--n", 2000));
  Deno.stdout.writeSync(
    new TextEncoder().encode(
      JSON.stringify({ pipeline, end_to_end: result }) + "\n",
    ),
  );
}
