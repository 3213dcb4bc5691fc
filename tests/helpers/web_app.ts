/**
 * Test helper for the web app: `createApp` over real parts (a fresh Deno KV
 * store, the real Gmail emulator over HTTP, the real mailbox factory, the
 * bundled knowledge base and the real decision pipeline for `simulate`).
 * @module
 */
import { type Config, loadConfig } from "../../config/config.ts";
import { type RunningEmulator, startEmulator } from "../../emulator/mod.ts";
import { silentLogger } from "../../ops/logger.ts";
import { createMetrics } from "../../ops/metrics.ts";
import { loadExamples } from "../../pipeline/classify/examples.ts";
import { createClassifier } from "../../pipeline/classify/classifier.ts";
import { createGmailMailboxFactory } from "../../pipeline/gmail/mailbox_factory.ts";
import { createKnowledgeBase } from "../../pipeline/knowledge/knowledge_base.ts";
import type { Clock, Store } from "../../pipeline/ports.ts";
import { simulate } from "../../pipeline/simulate.ts";
import { createApp } from "../../routes/app.ts";
import { createHealthRoutes } from "../../routes/health.ts";
import type { LoginLimiter } from "../../routes/auth/login_limiter.ts";
import type { WebDeps } from "../../routes/web_deps.ts";
import { openKvTestStore } from "./stores.ts";

const ROOT = new URL("../../", import.meta.url);

/** A settable clock. */
export interface TestClock extends Clock {
  set(d: Date): void;
  advance(ms: number): void;
}

/** A clock starting at `start` that only moves when told. */
export function testClock(start = new Date("2026-03-02T10:00:00Z")): TestClock {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    set: (d) => {
      t = d.getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/** Options of `openTestWeb`. */
export interface TestWebOptions {
  /** Extra environment for the config (strings, as in the environment). */
  env?: Record<string, string>;
  /** Start the emulator over HTTP (default true). */
  emulator?: boolean;
  clock?: TestClock;
  limiter?: LoginLimiter;
  /** PUBLIC_URL, e.g. the served app's origin (browser tests). */
  publicUrl?: string;
  /** Sandbox mailbox address on the emulator (default none). */
  sandboxEmail?: string;
}

/** An app over real parts, and how to close it. */
export interface TestWeb {
  app: ReturnType<typeof createApp>;
  deps: WebDeps;
  store: Store;
  clock: TestClock;
  emu: RunningEmulator | null;
  config: Config;
  close(): Promise<void>;
}

/** The bundled knowledge base folder. */
export const KB_DIR = new URL("knowledge_base", ROOT).pathname;

/** Builds config from test env; throws on an invalid one. */
export function testConfig(env: Record<string, string>): Config {
  const r = loadConfig({
    LOG_LEVEL: "silent",
    KNOWLEDGE_BASE_DIR: KB_DIR,
    EXAMPLES_FILE: new URL("examples/classify_examples.jsonl", ROOT).pathname,
    SANDBOX: "off",
    ...env,
  });
  if (!r.ok) throw new Error(`test config invalid: ${r.errors.join("; ")}`);
  return r.config;
}

/** Opens a web app over real parts. */
export async function openTestWeb(opts: TestWebOptions = {}): Promise<TestWeb> {
  const clock = opts.clock ?? testClock();
  const ts = await openKvTestStore();
  const emu = opts.emulator === false
    ? null
    : await startEmulator({ now: () => clock.now() });
  const env: Record<string, string> = {
    ADMIN_PASSWORD: "correct horse battery staple",
    ...(emu
      ? {
        GOOGLE_CLIENT_ID: "test-client.apps.googleusercontent.com",
        GOOGLE_CLIENT_SECRET: "test-secret",
        GOOGLE_BASE_URL: emu.url,
      }
      : {}),
    ...(opts.publicUrl ? { PUBLIC_URL: opts.publicUrl } : {}),
    ...opts.env,
  };
  const config = testConfig(env);
  const cacheDir = await Deno.makeTempDir({ prefix: "web_kb_cache_" });
  const knowledge = createKnowledgeBase({
    dir: config.KNOWLEDGE_BASE_DIR,
    cacheDir,
    logger: silentLogger,
    clock,
  });
  const factory = createGmailMailboxFactory({
    store: ts.store,
    clientId: config.GOOGLE_CLIENT_ID ?? "none",
    clientSecret: config.GOOGLE_CLIENT_SECRET ?? "none",
    baseUrl: config.GOOGLE_BASE_URL,
    clock,
    sleep: () => Promise.resolve(),
    maxAttempts: 1,
    logger: silentLogger,
  });
  let classifier: ReturnType<typeof createClassifier> | null = null;
  const deps: WebDeps = {
    config,
    store: ts.store,
    clock,
    logger: silentLogger,
    knowledge,
    pollNow: () =>
      Promise.reject(new Error("pollNow is not wired in this test")),
    async simulate(raw) {
      classifier ??= createClassifier(
        await loadExamples([config.EXAMPLES_FILE]),
      );
      return simulate(raw, { account: null, now: clock.now() }, {
        classifier,
        retriever: knowledge.retriever,
        refunds: ts.store.refunds,
        orders: ts.store.orders,
        ledger: ts.store.ledger,
        review: ts.store.review,
        config: {
          replyMode: config.REPLY_MODE,
          classifyThreshold: config.CLASSIFY_THRESHOLD,
          maxAutoRepliesPerSender: config.MAX_AUTO_REPLIES_PER_SENDER,
          answer: {
            answerThreshold: config.ANSWER_THRESHOLD,
            signature: config.SIGNATURE,
            shopName: config.SHOP_NAME,
          },
          refund: {
            windowDays: config.REFUND_WINDOW_DAYS,
            eligibleStatuses: config.REFUND_ELIGIBLE_STATUSES,
            autoLimit: config.REFUND_AUTO_LIMIT,
            maxInvalidAttempts: config.MAX_INVALID_REFUND_ATTEMPTS,
            orderIdPattern: config.ORDER_ID_PATTERN,
            vipSenders: config.VIP_SENDERS,
            templates: {},
            signature: config.SIGNATURE,
            shopName: config.SHOP_NAME,
            minConfidence: config.CLASSIFY_THRESHOLD,
          },
        },
      });
    },
    mailboxFor: (a) => factory.mailboxFor(a),
    sandbox: emu && opts.sandboxEmail
      ? { baseUrl: emu.url, email: opts.sandboxEmail }
      : null,
    healthRoutes: createHealthRoutes({
      store: ts.store,
      isReady: () => ({ kb: true, scheduler: true }),
      metrics: createMetrics(),
      clock,
    }),
  };
  const app = createApp(deps, { limiter: opts.limiter });
  return {
    app,
    deps,
    store: ts.store,
    clock,
    emu,
    config,
    async close() {
      await knowledge.reindex().catch(() => undefined);
      await emu?.close();
      await ts.close();
      await Deno.remove(cacheDir, { recursive: true }).catch(() => undefined);
    },
  };
}

/** A cookie jar for `app.request`: keeps `sid` across requests. */
export class CookieJar {
  #cookies = new Map<string, string>();
  /** Stores the cookies a response sets. */
  take(res: Response): Response {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /max-age=0\b/i.test(a.trim())) ||
        value === "";
      if (expired) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    return res;
  }
  /** The Cookie header value. */
  header(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  get(name: string): string | undefined {
    return this.#cookies.get(name);
  }
}

/** Signs in with the password; returns the jar and the CSRF token. */
export async function signIn(
  web: TestWeb,
  password = "correct horse battery staple",
): Promise<{ jar: CookieJar; csrf: string }> {
  const jar = new CookieJar();
  const res = jar.take(
    await web.app.request("/login", {
      method: "POST",
      body: new URLSearchParams({ password, next: "/" }),
    }),
  );
  if (res.status !== 303) {
    throw new Error(`sign-in failed with HTTP ${res.status}`);
  }
  const page = await web.app.request("/settings", {
    headers: { cookie: jar.header() },
  });
  const html = await page.text();
  const csrf = html.match(/name="_csrf" value="([^"]+)"/)?.[1];
  if (!csrf) throw new Error("no CSRF token on the settings page");
  return { jar, csrf };
}
