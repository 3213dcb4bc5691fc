/**
 * CLI commands next to a running server on the same data folder (the
 * embedded default: Deno KV and the sandbox mailbox): `simulate` and
 * `poll --once` never replace the server's sandbox or its token, so the
 * dashboard's own poll still reaches the mailbox; `poll --once` runs on the
 * server and answers the welcome email that is in the dashboard's inbox;
 * commands that write the embedded store, and a second `serve`, refuse
 * with one line; the welcome email is delivered once per data folder.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { type Started, startServer } from "../helpers/serve_process.ts";
import { childEnv } from "../helpers/child_env.ts";
import { seedClassifier } from "../helpers/test_classifier.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

async function cli(args: string[], dataDir: string, stdin?: string) {
  await seedClassifier(dataDir);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "main.ts", ...args],
    cwd: ROOT,
    clearEnv: true,
    env: childEnv({ DATA_DIR: dataDir, LOG_LEVEL: "silent" }),
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(stdin));
    await w.close();
  }
  const out = await child.output();
  const stdout = new TextDecoder().decode(out.stdout).trim();
  return {
    code: out.code,
    stderr: new TextDecoder().decode(out.stderr).trim(),
    last: () => JSON.parse(stdout.split("\n").at(-1) ?? "null"),
    lines: stdout === "" ? [] : stdout.split("\n").map((l) => JSON.parse(l)),
  };
}

/** Signs in with the printed one-time link; returns a cookie and CSRF token. */
async function signIn(s: Started) {
  const login = await fetch(s.loginLink!, { redirect: "manual" });
  await login.body?.cancel();
  const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
  const html = await (await fetch(`${s.url}/playground`, {
    headers: { cookie },
  })).text();
  const csrf = html.match(/name="_csrf" value="([^"]+)"/)![1]!;
  return { cookie, csrf };
}

/** The dashboard's "Poll now": the server polls with its own sandbox. */
async function dashboardPoll(
  s: Started,
  auth: { cookie: string; csrf: string },
) {
  const res = await fetch(`${s.url}/playground/poll`, {
    method: "POST",
    headers: { cookie: auth.cookie },
    body: new URLSearchParams({ _csrf: auth.csrf }),
  });
  assert.equal(res.status, 200);
  const html = await res.text();
  const json = html.match(/<pre>(\{[^<]*\})<\/pre>/)?.[1];
  assert.ok(json, "the poll summary is on the page");
  return JSON.parse(json.replace(/&quot;/g, '"'));
}

/** Delivers `eml` to the sandbox inbox through the dashboard. */
async function sendToSandbox(
  s: Started,
  auth: { cookie: string; csrf: string },
  eml: string,
) {
  const res = await fetch(`${s.url}/playground/send`, {
    method: "POST",
    headers: { cookie: auth.cookie },
    body: new URLSearchParams({ _csrf: auth.csrf, eml }),
  });
  assert.equal(res.status, 200);
  assert.match(await res.text(), /Delivered to the sandbox inbox/);
}

/** The schedule's own polls would race the ones the test makes. */
const QUIET_CRON = { POLL_SCHEDULE: "0 0 1 1 *" };

const EML = [
  "From: Ann Lee <ann@example.com>",
  "To: support@sandbox.test",
  "Subject: Shipping time",
  "Message-ID: <side-by-side@example.com>",
  "",
  "How long does standard shipping take?",
  "",
].join("\r\n");

Deno.test("CLI next to serve on one data folder: the dashboard's mailbox stays connected", async (t) => {
  const dataDir = await Deno.makeTempDir({ prefix: "agent-side-" });
  let s: Started | null = await startServer(dataDir, { env: QUIET_CRON });
  try {
    const auth = await signIn(s);

    await t.step(
      "serve leaves a card for CLI commands, owner-only",
      async () => {
        const st = await Deno.stat(`${dataDir}/server.json`);
        assert.equal((st.mode ?? 0) & 0o777, 0o600);
      },
    );

    await t.step("simulate runs beside it and sends nothing", async () => {
      const r = await cli(["simulate", "-"], dataDir, EML);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.last().category, "Question");
    });

    await t.step(
      "poll --once runs on the server and answers the welcome email in its inbox",
      async () => {
        const r = await cli(["poll", "--once"], dataDir);
        assert.equal(r.code, 0, r.stderr);
        const summary = r.last();
        assert.equal(summary.accounts, 1, JSON.stringify(summary));
        assert.equal(summary.fetched, 1, JSON.stringify(summary));
        assert.equal(summary.replied, 1, JSON.stringify(summary));
        const activity = await (await fetch(`${s!.url}/activity`, {
          headers: { cookie: auth.cookie },
        })).text();
        assert.match(activity, /How long does shipping take\?/);
      },
    );

    await t.step(
      "the dashboard's own poll still reaches its mailbox",
      async () => {
        await sendToSandbox(s!, auth, EML);
        const summary = await dashboardPoll(s!, auth);
        assert.equal(summary.errors, 0, JSON.stringify(summary));
        assert.equal(summary.fetched, 1, JSON.stringify(summary));
        const accounts = (await cli(["accounts", "list"], dataDir)).lines;
        assert.equal(accounts.length, 1);
        assert.equal(accounts[0].status, "active", JSON.stringify(accounts));
      },
    );

    await t.step(
      "a command that writes the embedded store, or a second serve, refuses with one line",
      async () => {
        const csv = `${dataDir}/orders.csv`;
        await Deno.writeTextFile(
          csv,
          "order_id,customer_email,order_date,amount,status\nORD90001,a@example.com,2026-11-01,10.00,delivered\n",
        );
        const r = await cli(["orders", "import", csv], dataDir);
        assert.equal(r.code, 1);
        assert.equal(r.stderr.split("\n").length, 1, r.stderr);
        assert.match(
          r.stderr,
          /^error: The server at http:\/\/127\.0\.0\.1:\d+/,
        );
        assert.match(
          r.stderr,
          /stop it, run `orders import`, then start it again/,
        );
        const again = await cli(["serve"], dataDir);
        assert.equal(again.code, 1);
        assert.match(again.stderr, /already running on this data folder/);
      },
    );

    await t.step(
      "after a restart the welcome email is not delivered again, and the card is the new server's",
      async () => {
        s!.child.kill("SIGTERM");
        assert.equal((await s!.child.status).code, 0);
        await assert.rejects(() => Deno.stat(`${dataDir}/server.json`));
        s = await startServer(dataDir, { env: QUIET_CRON });
        const r = await cli(["poll", "--once"], dataDir);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.last().fetched, 0, JSON.stringify(r.last()));
        assert.equal(r.last().errors, 0);
      },
    );
    await t.step(
      "with no server, poll --once leaves the sandbox mailbox alone",
      async () => {
        s!.child.kill("SIGTERM");
        await s!.child.status;
        s = null;
        const r = await cli(["poll", "--once"], dataDir);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.last().accounts, 0, JSON.stringify(r.last()));
        const accounts = (await cli(["accounts", "list"], dataDir)).lines;
        assert.equal(accounts[0].status, "active");
      },
    );
  } finally {
    if (s) {
      s.child.kill("SIGTERM");
      await s.child.status;
    }
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});
