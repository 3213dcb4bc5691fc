/**
 * The real agent as separate processes: `deno run main.ts <command>` with a
 * clean environment, every run bounded by a deadline (killed on overrun),
 * and `serve` started on a free port with a signed-in admin session.
 * @module
 */
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The outcome of one bounded CLI run. */
export interface RunResult {
  /** Exit code; null when the process was killed (deadline or by us). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time in milliseconds. */
  ms: number;
  /** True when the deadline passed and the process was killed. */
  timedOut: boolean;
}

/** A running CLI process that can be killed or awaited. */
export interface RunningCommand {
  /** The process id. */
  pid: number;
  /** Resolves when the process ends (killed at the deadline at the latest). */
  done: Promise<RunResult>;
  /** Sends a signal (SIGKILL by default) if the process still runs. */
  kill(signal?: Deno.Signal): void;
}

/** The environment every agent process gets (on top of PATH and HOME). */
export type AgentEnv = Record<string, string>;

/** Starts `main.ts <args>`; the process is SIGKILLed after `deadlineMs`. */
export function startAgent(
  args: string[],
  env: AgentEnv,
  deadlineMs: number,
): RunningCommand {
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "main.ts", ...args],
    cwd: ROOT,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "",
      HOME: Deno.env.get("HOME") ?? "",
      ...env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let timedOut = false;
  let exited = false;
  const kill = (signal: Deno.Signal = "SIGKILL") => {
    if (exited) return;
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    kill("SIGKILL");
  }, deadlineMs);
  const done = child.output().then((out) => {
    exited = true;
    clearTimeout(timer);
    return {
      code: out.signal ? null : out.code,
      stdout: new TextDecoder().decode(out.stdout),
      stderr: new TextDecoder().decode(out.stderr),
      ms: Math.round(performance.now() - started),
      timedOut,
    };
  });
  return { pid: child.pid, done, kill };
}

/** Runs `main.ts <args>` to its end (or its deadline). */
export function runAgent(
  args: string[],
  env: AgentEnv,
  deadlineMs: number,
): Promise<RunResult> {
  return startAgent(args, env, deadlineMs).done;
}

/** The last stdout line parsed as JSON, or null. */
export function lastJson(r: RunResult): unknown {
  const line = r.stdout.trim().split("\n").at(-1);
  if (!line) return null;
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}

/** A free TCP port on 127.0.0.1 (closed again before returning). */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** A `serve` process on a known port. */
export interface AgentServer {
  /** e.g. http://127.0.0.1:34567 */
  origin: string;
  /** Stops the server (SIGTERM, then SIGKILL after 10 s) and waits. */
  stop(): Promise<RunResult>;
}

/** Starts `main.ts serve` on a free port and waits (bounded) until it answers. */
export async function startServer(
  env: AgentEnv,
  deadlineMs: number,
  readyWithinMs = 60_000,
): Promise<AgentServer> {
  const port = freePort();
  const proc = startAgent(
    ["serve"],
    { ...env, PORT: String(port), HOST: "127.0.0.1" },
    deadlineMs,
  );
  const origin = `http://127.0.0.1:${port}`;
  const until = Date.now() + readyWithinMs;
  let ended = false;
  proc.done.then(() => ended = true);
  while (true) {
    if (ended) {
      const r = await proc.done;
      throw new Error(
        `serve exited early (code ${r.code}): ${r.stderr.slice(-500)}`,
      );
    }
    const ok = await fetch(`${origin}/healthz`, {
      signal: AbortSignal.timeout(2_000),
    }).then(async (r) => {
      await r.body?.cancel();
      return r.ok;
    }).catch(() => false);
    if (ok) break;
    if (Date.now() > until) {
      proc.kill();
      await proc.done;
      throw new Error(`serve did not answer within ${readyWithinMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    origin,
    stop: async () => {
      proc.kill("SIGTERM");
      const hard = setTimeout(() => proc.kill("SIGKILL"), 10_000);
      const r = await proc.done;
      clearTimeout(hard);
      return r;
    },
  };
}

/** A signed-in admin session against a running server. */
export interface Session {
  /** Cookie header value. */
  cookie: string;
  /** The form CSRF token. */
  csrf: string;
}

function cookiesOf(res: Response, into: Map<string, string>): void {
  for (const line of res.headers.getSetCookie()) {
    const pair = line.split(";")[0]!;
    const eq = pair.indexOf("=");
    into.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}

function header(jar: Map<string, string>): string {
  return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
}

/**
 * Signs in with the admin password as a browser does (login CSRF, then the
 * form CSRF); up to 3 attempts, each bounded by 60 s (a loaded machine).
 */
export async function signIn(
  origin: string,
  password: string,
): Promise<Session> {
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await signInOnce(origin, password);
    } catch (err) {
      last = err;
    }
  }
  throw last;
}

async function signInOnce(
  origin: string,
  password: string,
): Promise<Session> {
  const jar = new Map<string, string>();
  const timeout = () => AbortSignal.timeout(60_000);
  const login = await fetch(`${origin}/login`, { signal: timeout() });
  cookiesOf(login, jar);
  const token = (await login.text()).match(/name="_csrf" value="([^"]+)"/)
    ?.[1];
  if (!token) throw new Error("no sign-in CSRF token on /login");
  const res = await fetch(`${origin}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie: header(jar) },
    body: new URLSearchParams({ password, next: "/", _csrf: token }),
    signal: timeout(),
  });
  await res.body?.cancel();
  if (res.status !== 303) throw new Error(`sign-in failed: HTTP ${res.status}`);
  cookiesOf(res, jar);
  const page = await fetch(`${origin}/settings`, {
    headers: { cookie: header(jar) },
    signal: timeout(),
  });
  const csrf = (await page.text()).match(/name="_csrf" value="([^"]+)"/)?.[1];
  if (!csrf) throw new Error("no CSRF token on the settings page");
  return { cookie: header(jar), csrf };
}

/** Presses "Poll now" (POST /playground/poll); resolves with the HTTP status. */
export async function clickPollNow(
  origin: string,
  session: Session,
  deadlineMs: number,
): Promise<number> {
  try {
    const res = await fetch(`${origin}/playground/poll`, {
      method: "POST",
      headers: { cookie: session.cookie },
      body: new URLSearchParams({ _csrf: session.csrf }),
      signal: AbortSignal.timeout(deadlineMs),
    });
    await res.body?.cancel();
    return res.status;
  } catch {
    return 0;
  }
}
