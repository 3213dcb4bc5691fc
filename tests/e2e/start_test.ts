/**
 * `deno task start` on a fresh data folder with no environment at all:
 * serves /healthz and the dashboard, then exits cleanly on SIGTERM/SIGINT.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

interface Started {
  child: Deno.ChildProcess;
  url: string;
  loginLink: string | null;
  readyMs: number;
  lines: string[];
}

async function start(dataDir: string): Promise<Started> {
  const t0 = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "main.ts", "serve"],
    cwd: ROOT,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "",
      HOME: Deno.env.get("HOME") ?? "",
      DATA_DIR: dataDir,
      PORT: "0",
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  child.stdout.pipeTo(new WritableStream()).catch(() => {});
  const lines: string[] = [];
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  while (true) {
    const { value, done } = await reader.read();
    if (done) {
      throw new Error(`server exited before listening:\n${lines.join("\n")}`);
    }
    buf += value;
    const parts = buf.split("\n");
    buf = parts.pop() ?? "";
    for (const line of parts) {
      lines.push(line);
      if (!line.startsWith("{")) continue;
      const entry = JSON.parse(line);
      if (entry.msg === "listening") {
        const readyMs = performance.now() - t0;
        // Keep draining stderr so the child never blocks on a full pipe.
        (async () => {
          while (!(await reader.read()).done) { /* drain */ }
        })().catch(() => {});
        return {
          child,
          url: entry.url,
          loginLink: entry.login_link ?? null,
          readyMs,
          lines,
        };
      }
    }
  }
}

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  Deno.test(`start serves /healthz and the dashboard, then exits 0 on ${signal}`, async () => {
    const dataDir = await Deno.makeTempDir({ prefix: "agent-start-" });
    const s = await start(dataDir);
    try {
      assert.ok(s.readyMs < 10_000, `ready after ${s.readyMs} ms`);
      const health = await fetch(`${s.url}/healthz`);
      assert.equal(health.status, 200);
      const body = await health.json();
      assert.equal(body.store, "kv");
      assert.equal(body.status, "ok");

      const anon = await fetch(`${s.url}/`, { redirect: "manual" });
      await anon.body?.cancel();
      assert.ok(
        [302, 303, 401].includes(anon.status),
        `anonymous / gave ${anon.status}`,
      );

      assert.ok(s.loginLink, "no one-time login link was printed");
      const login = await fetch(s.loginLink, { redirect: "manual" });
      await login.body?.cancel();
      const cookie = login.headers.get("set-cookie")?.split(";")[0];
      assert.ok(cookie, "the one-time link set no session cookie");
      const home = await fetch(`${s.url}/`, { headers: { cookie } });
      assert.equal(home.status, 200);
      assert.match(await home.text(), /<html/i);

      const key = await Deno.stat(`${dataDir}/encryption.key`);
      assert.equal((key.mode ?? 0) & 0o777, 0o600);
    } finally {
      s.child.kill(signal);
      const status = await s.child.status;
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
      assert.equal(status.code, 0, `exit code ${status.code}`);
    }
  });
}
