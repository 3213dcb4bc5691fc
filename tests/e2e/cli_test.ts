/**
 * The CLI as users run it (`deno task agent <command>`): spawned as a real
 * process with a clean environment, against a fresh data folder and the
 * emulator over HTTP.
 */
import { sharedData } from "../../eval/shared_data.ts";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { startTestEmulator } from "../helpers/emulator.ts";
import { writeTinyModel } from "../helpers/tiny_model.ts";
import { childEnv } from "../helpers/child_env.ts";
import { seedClassifier } from "../helpers/test_classifier.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MIME = sharedData("mime/messages");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** The last stdout line, parsed as JSON. */
  last: () => unknown;
}

async function agent(
  args: string[],
  env: Record<string, string>,
  stdin?: Uint8Array,
): Promise<Run> {
  if (env.DATA_DIR) await seedClassifier(env.DATA_DIR);
  const child = new Deno.Command(Deno.execPath(), {
    // With EMBEDDING_MODEL, transformers.js is fetched from npm on first
    // use; --no-lock keeps it out of the repository's deno.lock.
    args: [
      "run",
      "--allow-all",
      ...(env.EMBEDDING_MODEL ? ["--no-lock"] : []),
      "main.ts",
      ...args,
    ],
    cwd: ROOT,
    clearEnv: true,
    env: childEnv(env),
    stdin: stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin) {
    const w = child.stdin.getWriter();
    await w.write(stdin);
    await w.close();
  }
  const out = await child.output();
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  return {
    code: out.code,
    stdout,
    stderr,
    last: () => JSON.parse(stdout.trim().split("\n").at(-1) ?? "null"),
  };
}

const decisionSchema = z.object({
  category: z.enum(["Question", "Refund", "Other"]),
  confidence: z.number().min(0).max(1),
  action: z.enum(["reply", "draft", "review", "ignore"]),
  reply: z.string().nullable(),
  sources: z.array(z.string()),
  order_id: z.string().nullable(),
  importance: z.number().int().min(1).max(5).nullable(),
  reason: z.string().min(1),
});

Deno.test("CLI: usage errors exit 2, bad configuration exits 1 with one line per problem", async (t) => {
  const dataDir = await Deno.makeTempDir({ prefix: "agent-cli-" });
  try {
    await t.step(
      "an unknown command prints usage on stderr and exits 2",
      async () => {
        const r = await agent(["frobnicate"], { DATA_DIR: dataDir });
        assert.equal(r.code, 2);
        assert.match(r.stderr, /unknown command frobnicate/);
        assert.match(r.stderr, /Usage: deno task agent <command>/);
      },
    );
    await t.step("an unknown flag exits 2", async () => {
      const r = await agent(["poll", "--once", "--fast"], {
        DATA_DIR: dataDir,
      });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /unknown flag --fast/);
    });
    await t.step(
      "every configuration problem is one line naming the variable",
      async () => {
        const r = await agent(["accounts", "list"], {
          DATA_DIR: dataDir,
          PORT: "eighty",
          ENCRYPTION_KEY: "dG9vIHNob3J0",
        });
        assert.equal(r.code, 1);
        const lines = r.stderr.trim().split("\n").filter((l) =>
          l.startsWith("config error")
        );
        assert.equal(lines.length, 2, r.stderr);
        assert.ok(
          lines.some((l) => l.includes("PORT") && l.includes("eighty")),
        );
        assert.ok(lines.some((l) => l.includes("ENCRYPTION_KEY")));
        assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, "no stack trace");
      },
    );
    await t.step(
      "an unreachable Postgres names the host and how to start it",
      async () => {
        const r = await agent(["accounts", "list"], {
          DATA_DIR: dataDir,
          DATABASE_URL: "postgres://postgres:secretpw@127.0.0.1:5499/postgres",
          ENCRYPTION_KEY: btoa("k".repeat(32)),
        });
        assert.equal(r.code, 1);
        assert.match(r.stderr, /127\.0\.0\.1:5499/);
        assert.match(r.stderr, /start/i);
        assert.doesNotMatch(r.stderr, /secretpw/);
        assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      },
    );
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("CLI: orders import is all or nothing; orders get shows the status", async (t) => {
  const dataDir = await Deno.makeTempDir({ prefix: "agent-cli-" });
  const env = { DATA_DIR: dataDir };
  try {
    await t.step(
      "the embedded default has its sample orders from the first command on",
      async () => {
        const get = await agent(["orders", "get", "ORD10001"], env);
        assert.equal(get.code, 0, get.stderr);
        const order = get.last() as { customer_email: string };
        assert.equal(order.customer_email, "alice@example.com");
      },
    );
    await t.step(
      "a bad row is reported by line number and nothing is written",
      async () => {
        const file = `${dataDir}/bad.csv`;
        await Deno.writeTextFile(
          file,
          "order_id,customer_email,order_date,amount,status\n" +
            "ORD90001,zoe@example.com,2026-11-01,19.99,delivered\n" +
            "ORD90002,zoe@example.com,2026-11-02,lots,delivered\n",
        );
        const r = await agent(["orders", "import", file], env);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /line 3/);
        const get = await agent(["orders", "get", "ORD90001"], env);
        assert.notEqual(
          get.code,
          0,
          "the good row of a bad file must not be written",
        );
      },
    );
    await t.step("a good file imports and each order reads back", async () => {
      const file = `${dataDir}/good.jsonl`;
      await Deno.writeTextFile(
        file,
        JSON.stringify({
          order_id: "ORD90003",
          customer_email: "zoe@example.com",
          order_date: "2026-11-03",
          amount: 42.5,
          status: "shipped",
        }) + "\n",
      );
      const r = await agent(["orders", "import", file], env);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(r.last(), { imported: 1 });
      const get = await agent(["orders", "get", "ORD90003"], env);
      assert.equal(get.code, 0, get.stderr);
      const order = get.last() as Record<string, unknown>;
      assert.equal(order.status, "shipped");
      assert.equal(order.customer_email, "zoe@example.com");
    });
    await t.step("a missing file is one clear line", async () => {
      const r = await agent(["orders", "import", `${dataDir}/nope.csv`], env);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /nope\.csv/);
    });
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("CLI: simulate prints the Decision JSON and sends nothing", async (t) => {
  const dataDir = await Deno.makeTempDir({ prefix: "agent-cli-" });
  const env = { DATA_DIR: dataDir, SANDBOX: "off" };
  try {
    await t.step(
      "a shipping question from stdin is answered from the knowledge base",
      async () => {
        const raw = new TextEncoder().encode(
          "From: Jane Doe <jane@example.com>\r\nTo: support@example.com\r\n" +
            "Subject: Shipping time\r\nMessage-ID: <q1@example.com>\r\n\r\n" +
            "Hello, how long does standard shipping take?\r\n",
        );
        const r = await agent(["simulate", "-"], env, raw);
        assert.equal(r.code, 0, r.stderr);
        const d = decisionSchema.parse(r.last());
        assert.equal(d.category, "Question");
        assert.equal(d.action, "reply");
        assert.ok(
          d.sources.some((s) => s.startsWith("knowledge_base/shipping.md#")),
          d.sources.join(),
        );
      },
    );
    await t.step("a bounce is ignored with its reason", async () => {
      const r = await agent([
        "simulate",
        `${MIME}/mailparser__fixtures__delivery-status.eml`,
      ], env);
      assert.equal(r.code, 0, r.stderr);
      const d = decisionSchema.parse(r.last());
      assert.equal(d.action, "ignore");
    });
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("CLI: accounts add then poll --once replies once through the emulator", async () => {
  const emu = await startTestEmulator();
  const dataDir = await Deno.makeTempDir({ prefix: "agent-cli-" });
  const env = {
    DATA_DIR: dataDir,
    GOOGLE_BASE_URL: emu.url,
    GOOGLE_CLIENT_ID: "cli-test",
    GOOGLE_CLIENT_SECRET: "cli-secret",
  };
  try {
    const user = await emu.addUser("shop@cli.test");
    const add = await agent(
      [
        "accounts",
        "add",
        "--email",
        "shop@cli.test",
        "--refresh-token",
        user.refresh_token,
      ],
      env,
    );
    assert.equal(add.code, 0, add.stderr);
    const account = add.last() as Record<string, unknown>;
    assert.equal(account.email, "shop@cli.test");
    assert.ok(
      !add.stdout.includes(user.refresh_token),
      "no secret in the output",
    );

    await emu.deliver("shop@cli.test", {
      from: "Jane Doe <jane@example.com>",
      subject: "Payment methods",
      text: "Hi, which payment methods do you accept?",
    });
    const poll = await agent(["poll", "--once"], env);
    assert.equal(poll.code, 0, poll.stderr);
    assert.deepEqual(poll.last(), {
      accounts: 1,
      fetched: 1,
      replied: 1,
      drafted: 0,
      queued: 0,
      ignored: 0,
      errors: 0,
    });
    const again = await agent(["poll", "--once"], env);
    assert.equal(again.code, 0, again.stderr);
    assert.equal((again.last() as { replied: number }).replied, 0);
    assert.equal((await emu.sent("shop@cli.test")).length, 1);

    const list = await agent(["accounts", "list"], env);
    assert.equal(list.code, 0, list.stderr);
    assert.ok(!list.stdout.includes(user.refresh_token));
  } finally {
    await emu.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("CLI: eval classify prints the summary last and names a bad line", async () => {
  const dir = await Deno.makeTempDir({ prefix: "agent-cli-" });
  try {
    const good = `${dir}/good.jsonl`;
    await Deno.writeTextFile(
      good,
      [
        { subject: "", body: "What is your refund policy?", label: "Question" },
        {
          subject: "Refund",
          body: "I want my money back for order ORD10002",
          label: "Refund",
        },
        {
          subject: "",
          body: "We would like to partner with your shop on a podcast.",
          label: "Other",
        },
      ].map((r) => JSON.stringify(r)).join("\n") + "\n",
    );
    const r = await agent(["eval", "classify", good], { DATA_DIR: dir });
    assert.equal(r.code, 0, r.stderr);
    const s = r.last() as {
      n: number;
      macro_f1: number;
      per_class: Record<string, unknown>;
    };
    assert.equal(s.n, 3);
    assert.ok(s.per_class.Question && s.per_class.Refund && s.per_class.Other);

    const bad = `${dir}/bad.jsonl`;
    await Deno.writeTextFile(
      bad,
      JSON.stringify({ subject: "", body: "x", label: "Question" }) +
        "\n{oops\n",
    );
    const b = await agent(["eval", "classify", bad], { DATA_DIR: dir });
    assert.equal(b.code, 1);
    assert.match(b.stderr, /line 2/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("CLI: EMBEDDING_MODEL set to a local model folder turns on dense retrieval", async () => {
  const dir = await Deno.makeTempDir({ prefix: "agent-cli-dense-" });
  try {
    const modelDir = await writeTinyModel(`${dir}/models`, "tiny-embedder", [
      "how",
      "long",
      "shipping",
    ]);
    const raw = new TextEncoder().encode(
      "From: Jane Doe <jane@example.com>\r\nTo: support@example.com\r\n" +
        "Subject: Shipping time\r\nMessage-ID: <q2@example.com>\r\n\r\n" +
        "Hello, how long does standard shipping take?\r\n",
    );
    const r = await agent(["simulate", "-"], {
      DATA_DIR: dir,
      SANDBOX: "off",
      EMBEDDING_MODEL: modelDir,
    }, raw);
    assert.equal(r.code, 0, r.stderr);
    const indexed = r.stderr.split("\n").filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l)).find((e) =>
        e.msg === "knowledge base indexed"
      );
    assert.equal(indexed?.dense, true, "the index was built with embeddings");
    const d = decisionSchema.parse(r.last());
    assert.equal(d.category, "Question");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("CLI: eval answers prints the contract's summary last, a progress bar on stderr, and names a bad line", async () => {
  const dir = await Deno.makeTempDir({ prefix: "agent-cli-answers-" });
  try {
    const file = `${ROOT}eval/answers/dev_garden/questions.jsonl`;
    const r = await agent([
      "eval",
      "answers",
      file,
      "--kb",
      `${ROOT}eval/answers/dev_garden/kb`,
    ], { DATA_DIR: dir });
    assert.equal(r.code, 0, r.stderr);
    const s = r.last() as Record<string, number>;
    assert.deepEqual(Object.keys(s), [
      "n",
      "covered",
      "answered_right",
      "answered_wrong",
      "uncovered",
      "uncovered_answered",
    ]);
    assert.equal(s.n, 100);
    assert.equal(s.covered, 50);
    assert.equal(s.uncovered, 50);
    for (
      const k of ["answered_right", "answered_wrong", "uncovered_answered"]
    ) {
      assert.ok(s[k]! >= 0 && s[k]! <= 1, `${k} is a share`);
    }
    assert.ok(s.answered_right! > 0, "some covered questions are answered");
    assert.match(r.stderr, /answers \[#+\] 100\/100\n/);

    const bad = `${dir}/bad.jsonl`;
    await Deno.writeTextFile(
      bad,
      JSON.stringify({
        id: "a",
        body: "Do you take PayPal?",
        expect: "answer",
      }) +
        "\n",
    );
    const b = await agent(["eval", "answers", bad], { DATA_DIR: dir });
    assert.equal(b.code, 1);
    assert.match(b.stderr, /line 1.*needs "facts"/);
    assert.equal(b.stderr.trim().split("\n").length, 1, b.stderr);
    const flag = await agent(["eval", "answers", bad, "--kbb", "x"], {
      DATA_DIR: dir,
    });
    assert.equal(flag.code, 2, "an unknown flag is a usage error");
    assert.match(flag.stderr, /kbb/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
