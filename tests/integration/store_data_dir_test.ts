/**
 * The embedded store's folder is private: openStore() creates it 0700 with
 * every file 0600 (agent.kv, its -wal/-shm, encryption.key), repairs a
 * folder other users could read with one warning line, and the one-time
 * sign-in token never reaches the files (only its SHA-256 does).
 */
import assert from "node:assert/strict";
import { openStore } from "../../app/open_store.ts";
import { trainOrLoadClassifier } from "../../app/classifier_cache.ts";
import { openTestWeb } from "../helpers/web_app.ts";
import { createLogger } from "../../app/ops/logger.ts";
import {
  createOneTimeLogin,
  sessionKey,
  takeOneTimeLogin,
} from "../../routes/auth/session.ts";

const base = {
  DATABASE_URL: null,
  ENCRYPTION_KEY: null,
  ENCRYPTION_KEYS_OLD: [] as string[],
  SENT_REPLY_MARKER_DAYS: 30,
};
const NOW = new Date("2026-03-02T10:00:00Z");

async function withTempDir(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "agent_data_dir_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Mode bits of every entry under `dir` (and `dir` itself), by name. */
async function modes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (p: string, name: string) => {
    const info = await Deno.lstat(p);
    out[name] = ((info.mode ?? 0) & 0o777).toString(8);
    if (info.isDirectory) {
      for await (const e of Deno.readDir(p)) {
        await walk(
          `${p}/${e.name}`,
          name === "." ? e.name : `${name}/${e.name}`,
        );
      }
    }
  };
  await walk(dir, ".");
  return out;
}

/** Every byte of every file under `dir`, as latin1 text. */
async function allBytes(dir: string): Promise<string> {
  let text = "";
  for await (const e of Deno.readDir(dir)) {
    const p = `${dir}/${e.name}`;
    text += e.isDirectory
      ? await allBytes(p)
      : new TextDecoder("latin1").decode(await Deno.readFile(p));
  }
  return text;
}

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ level: "warn", write: (l) => lines.push(l) });
  return { lines, logger };
}

Deno.test("openStore() creates the data folder 0700 with agent.kv, -wal, -shm and encryption.key 0600", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/data`;
    const { lines, logger } = capture();
    const store = await openStore({ ...base, DATA_DIR: data }, { logger });
    try {
      await store.syncState.setLabelId("probe", "Agent/Processed", "x");
      const m = await modes(data);
      assert.equal(m["."], "700");
      for (const f of ["agent.kv", "encryption.key"]) {
        assert.equal(m[f], "600", f);
      }
      for (const f of ["agent.kv-wal", "agent.kv-shm"]) {
        if (m[f] !== undefined) assert.equal(m[f], "600", f);
      }
      assert.ok(m["agent.kv-wal"] !== undefined, "SQLite keeps a WAL open");
      assert.deepEqual(lines, [], "a fresh folder needs no repair");
    } finally {
      await store.close();
    }
  });
});

Deno.test("openStore() repairs a data folder other users can read, with one warning line", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/data`;
    const first = await openStore({ ...base, DATA_DIR: data }, {
      logger: capture().logger,
    });
    await first.close();
    // As an older version left it: umask modes, plus caches.
    await Deno.mkdir(`${data}/models/m1`, { recursive: true });
    await Deno.writeTextFile(`${data}/kb_cache.json`, "{}");
    await Deno.writeTextFile(`${data}/models/m1/config.json`, "{}");
    await Deno.writeTextFile(`${data}/my_examples.jsonl`, "");
    for (const [p, mode] of Object.entries(await modes(data))) {
      const path = p === "." ? data : `${data}/${p}`;
      const isDir = (await Deno.lstat(path)).isDirectory;
      await Deno.chmod(path, isDir ? 0o755 : 0o644);
      assert.ok(mode);
    }
    const { lines, logger } = capture();
    const store = await openStore({ ...base, DATA_DIR: data }, { logger });
    await store.close();
    for (const [p, mode] of Object.entries(await modes(data))) {
      const isDir = (await Deno.lstat(p === "." ? data : `${data}/${p}`))
        .isDirectory;
      assert.equal(mode, isDir ? "700" : "600", p);
    }
    assert.equal(lines.length, 1, lines.join("\n"));
    const line = JSON.parse(lines[0]!);
    assert.equal(line.level, "warn");
    assert.match(line.msg, /readable by other users/);
    assert.ok(line.repaired >= 7, `repaired ${line.repaired}`);
  });
});

Deno.test("the one-time sign-in token is stored only as its SHA-256, and works once", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/data`;
    const logger = capture().logger;
    const s1 = await openStore({ ...base, DATA_DIR: data }, { logger });
    const token = await createOneTimeLogin(s1.oauthStates, NOW);
    // While open (the WAL) and after close (checkpointed into agent.kv).
    assert.ok(!(await allBytes(data)).includes(token), "token in the files");
    await s1.close();
    const bytes = await allBytes(data);
    assert.ok(!bytes.includes(token), "token in the files after close");
    assert.ok(bytes.includes(await sessionKey(token)), "its hash is stored");
    const s2 = await openStore({ ...base, DATA_DIR: data }, { logger });
    try {
      assert.equal(await takeOneTimeLogin(s2.oauthStates, token, NOW), true);
      assert.equal(await takeOneTimeLogin(s2.oauthStates, token, NOW), false);
    } finally {
      await s2.close();
    }
  });
});

Deno.test("caches the agent writes into DATA_DIR later (knowledge base, classifier model) are 0600", async () => {
  const web = await openTestWeb({ emulator: false });
  try {
    await web.agent.knowledge.reindex();
    await trainOrLoadClassifier([
      { subject: "Refund", body: "refund my order please", label: "Refund" },
      {
        subject: "Shipping",
        body: "how long does shipping take",
        label: "Question",
      },
      { subject: "Hello", body: "we offer marketing services", label: "Other" },
    ], { cacheDir: web.config.DATA_DIR, logger: capture().logger });
    const m = await modes(web.config.DATA_DIR);
    const files = Object.entries(m).filter(([name]) => name !== ".");
    assert.ok(
      files.some(([n]) => n.startsWith("kb_cache")) &&
        files.some(([n]) => n.startsWith("classifier-")),
      `files: ${files.map(([n]) => n)}`,
    );
    for (const [name, mode] of files) {
      const isDir = (await Deno.lstat(`${web.config.DATA_DIR}/${name}`))
        .isDirectory;
      assert.equal(mode, isDir ? "700" : "600", name);
    }
  } finally {
    await web.close();
  }
});

Deno.test("openStore() makes a DATA_DIR reached through a symbolic link private too", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(`${dir}/volume`, { mode: 0o755 });
    await Deno.chmod(`${dir}/volume`, 0o755);
    await Deno.symlink(`${dir}/volume`, `${dir}/data`);
    const store = await openStore({ ...base, DATA_DIR: `${dir}/data` }, {
      logger: capture().logger,
    });
    await store.close();
    const m = await modes(`${dir}/volume`);
    assert.equal(m["."], "700");
    assert.equal(m["agent.kv"], "600");
  });
});
