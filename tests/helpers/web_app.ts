/**
 * Test helper for the web app: the app as the composition root builds it
 * (`buildAgent`) over real parts: a fresh Deno KV store, the real Gmail
 * emulator over HTTP as GOOGLE_BASE_URL, the bundled knowledge base, the
 * real classifier, worker and decision pipeline.
 * @module
 */
import type { Hono } from "hono";
import { type Agent, buildAgent } from "../../app/build_agent.ts";
import { type Config, loadConfig } from "../../app/config.ts";
import { type RunningEmulator, startEmulator } from "../../emulator/mod.ts";
import { type Logger, silentLogger } from "../../app/ops/logger.ts";
import type { Clock, Store } from "../../pipeline/ports.ts";
import { openKvTestStore, openPgTestStore } from "./stores.ts";
import { seedClassifier } from "./test_classifier.ts";

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
  /** Logger for the agent (default: silent). */
  logger?: Logger;
  /** The store backend (default "kv"). */
  backend?: "kv" | "postgres";
  /** PUBLIC_URL, e.g. the served app's origin (browser tests). */
  publicUrl?: string;
  /** Sandbox mailbox address on the emulator (default none). */
  sandboxEmail?: string;
}

/** An app over real parts, and how to close it. */
export interface TestWeb {
  app: Hono;
  agent: Agent;
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
    EXAMPLES_FILE:
      new URL("pipeline/classify/training/classify_examples.jsonl", ROOT)
        .pathname,
    SANDBOX: "off",
    ...env,
  });
  if (!r.ok) throw new Error(`test config invalid: ${r.errors.join("; ")}`);
  return r.config;
}

/** Opens the web app over real parts, wired by the composition root. */
export async function openTestWeb(opts: TestWebOptions = {}): Promise<TestWeb> {
  const clock = opts.clock ?? testClock();
  const ts = opts.backend === "postgres"
    ? await openPgTestStore()
    : await openKvTestStore();
  const dataDir = await Deno.makeTempDir({ prefix: "web_test_data_" });
  await seedClassifier(dataDir);
  const emu = opts.emulator === false
    ? null
    : await startEmulator({ now: () => clock.now() });
  const env: Record<string, string> = {
    ADMIN_PASSWORD: "correct horse battery staple",
    DATA_DIR: dataDir,
    USER_EXAMPLES_FILE: `${dataDir}/my_examples.jsonl`,
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
  const agent = await buildAgent({
    config,
    store: ts.store,
    logger: opts.logger ?? silentLogger,
    clock,
    sleep: () => Promise.resolve(),
  });
  return {
    app: agent.app,
    agent,
    store: ts.store,
    clock,
    emu,
    config,
    async close() {
      await agent.knowledge.reindex().catch(() => undefined);
      await agent.close();
      await emu?.close();
      await ts.close();
      await Deno.remove(dataDir, { recursive: true }).catch(() => undefined);
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

/** Anything with Hono's `request` (a web app or an agent's app). */
export interface Requester {
  request(input: string, init?: RequestInit): Response | Promise<Response>;
}

/**
 * Posts the sign-in form the way a browser does: first GET /login (without
 * any session) for the form's CSRF cookie and token, then POST with both.
 */
export async function postLogin(
  app: Requester,
  url: string,
  init: { body: URLSearchParams; headers?: Record<string, string> },
): Promise<Response> {
  const page = await app.request(url);
  const cookie = page.headers.get("set-cookie")?.match(/login_csrf=([^;]+)/)
    ?.[1];
  const token = (await page.text()).match(/name="_csrf" value="([^"]+)"/)?.[1];
  if (!cookie || !token) throw new Error("no sign-in CSRF token on /login");
  const body = new URLSearchParams(init.body);
  body.set("_csrf", token);
  const have = init.headers?.cookie;
  return await app.request(url, {
    method: "POST",
    headers: {
      ...init.headers,
      cookie: have ? `${have}; login_csrf=${cookie}` : `login_csrf=${cookie}`,
    },
    body,
  });
}

/** Signs in with the password; returns the jar and the CSRF token. */
export async function signIn(
  web: TestWeb,
  password = "correct horse battery staple",
): Promise<{ jar: CookieJar; csrf: string }> {
  const jar = new CookieJar();
  const res = jar.take(
    await postLogin(web.app, "/login", {
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
