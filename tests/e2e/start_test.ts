/**
 * `deno task start` on a fresh data folder with no environment at all:
 * serves /healthz and the dashboard, then exits cleanly on SIGTERM/SIGINT.
 */
import assert from "node:assert/strict";
import { startServer as start } from "../helpers/serve_process.ts";

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

Deno.test("serve --watch-kb reindexes when a knowledge-base file changes", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "agent-watch-" });
  const kbDir = `${dataDir}/kb`;
  await Deno.mkdir(kbDir);
  await Deno.writeTextFile(
    `${kbDir}/shipping.md`,
    "---\ntitle: Shipping\n---\n\n## Times\n\nStandard shipping takes 3 to 5 business days.\n",
  );
  const indexed: number[] = [];
  let seen: (docs: number) => void = () => {};
  const s = await start(dataDir, {
    args: ["--watch-kb"],
    env: { KNOWLEDGE_BASE_DIR: kbDir },
    onLine: (e) => {
      if (e.msg === "knowledge base indexed") {
        indexed.push(Number(e.documents));
        seen(Number(e.documents));
      }
    },
  });
  try {
    const twoDocs = new Promise<void>((resolve) => {
      seen = (n) => n === 2 && resolve();
    });
    // The first build runs after listening; write once it is done, so only
    // the watcher can pick the new file up.
    await new Promise<void>((resolve) => {
      if (indexed.length > 0) return resolve();
      const prev = seen;
      seen = (n) => {
        prev(n);
        resolve();
      };
    });
    assert.deepEqual(indexed, [1]);
    await Deno.writeTextFile(
      `${kbDir}/returns.md`,
      "---\ntitle: Returns\n---\n\n## Window\n\nYou can return items within 30 days.\n",
    );
    await twoDocs;
    assert.equal(indexed.at(-1), 2);
  } finally {
    s.child.kill("SIGTERM");
    await s.child.status;
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});
