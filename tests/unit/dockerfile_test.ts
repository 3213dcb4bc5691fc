import assert from "node:assert/strict";
import { parseArgs } from "../../app/cli/parse_args.ts";
import { DENO_VERSION, explainCompileFailure } from "../../app/ops/compile.ts";
import { bundledExampleFiles } from "../../pipeline/classify/examples.ts";

/** EXAMPLES_FILE when unset (app/config.ts). */
const DEFAULT_EXAMPLES_FILE =
  "./pipeline/classify/training/classify_examples.jsonl";

const root = new URL("../../", import.meta.url);
const read = (p: string) => Deno.readTextFile(new URL(p, root));
const exists = async (p: string) => {
  try {
    await Deno.stat(new URL(p, root));
    return true;
  } catch {
    return false;
  }
};

interface Instruction {
  op: string;
  args: string;
  stage: number;
}

/** Dockerfile instructions, continuation lines joined, comments dropped. */
function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let stage = -1;
  const joined = text.replace(/\\\r?\n/g, " ");
  for (const raw of joined.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([A-Za-z]+)\s+(.*)$/.exec(line);
    assert.ok(m, `cannot parse Dockerfile line: ${line}`);
    const op = m[1]!.toUpperCase();
    if (op === "FROM") stage++;
    out.push({ op, args: m[2]!.replace(/\s+/g, " ").trim(), stage });
  }
  return out;
}

/** True when `path` is excluded by one of the .dockerignore `patterns`. */
function ignored(patterns: string[], path: string): boolean {
  let result = false;
  for (const p of patterns) {
    const negate = p.startsWith("!");
    const pat = (negate ? p.slice(1) : p).replace(/^\/+/, "").replace(
      /\/+$/,
      "",
    );
    const re = new RegExp(
      "^" + pat.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")
        .replace(/\?/g, "[^/]") +
        "(/.*)?$",
    );
    if (re.test(path)) result = !negate;
  }
  return result;
}

/** The source paths of a COPY (its last path is the destination). */
function copySources(i: Instruction): string[] {
  const paths = i.args.split(" ").filter((p) => !p.startsWith("--"));
  return paths.slice(0, -1);
}

function exec(args: string): string[] {
  return JSON.parse(args) as string[];
}

Deno.test("Dockerfile builds one executable on a small non-root image", async (t) => {
  const text = await read("Dockerfile");
  const ins = parseDockerfile(text);
  const froms = ins.filter((i) => i.op === "FROM");
  const last = froms.length - 1;
  const final = ins.filter((i) => i.stage === last);
  const ciVersion = /DENO_VERSION=(\d+\.\d+\.\d+)/.exec(await read(".ci/run"))
    ?.[1];
  const denoJson = JSON.parse(await read("deno.json"));
  const compileTask: string = denoJson.tasks.compile;

  await t.step(
    "it is multi-stage from the pinned official Deno image",
    async () => {
      assert.ok(
        froms.length >= 2,
        "expected a build stage and a runtime stage",
      );
      assert.ok(ciVersion, ".ci/run must pin DENO_VERSION");
      assert.match(froms[0]!.args, /^denoland\/deno:(\S+) AS build$/i);
      assert.equal(
        /^denoland\/deno:(\S+)/.exec(froms[0]!.args)?.[1],
        ciVersion,
      );
      assert.equal(
        DENO_VERSION,
        ciVersion,
        "app/ops/compile.ts names another version",
      );
      assert.ok(
        (await read("README.md")).includes(`deno@${ciVersion}`),
        "README must name the same Deno version",
      );
      assert.match(
        froms[last]!.args,
        /^(gcr\.io\/distroless\/cc-debian12|debian:bookworm-slim)\b/,
      );
    },
  );

  await t.step(
    "dependencies are cached in their own layer before the sources",
    () => {
      const build = ins.filter((i) => i.stage === 0);
      const lockCopy = build.findIndex((i) =>
        i.op === "COPY" && /deno\.json/.test(i.args) &&
        /deno\.lock/.test(i.args)
      );
      const install = build.findIndex((i) =>
        i.op === "RUN" && /deno install --frozen/.test(i.args)
      );
      const all = build.findIndex((i) =>
        i.op === "COPY" && /^\. \.$/.test(i.args)
      );
      assert.ok(lockCopy >= 0 && install > lockCopy && all > install);
    },
  );

  await t.step(
    "the compile task runs and names every include and permission",
    async () => {
      assert.ok(
        ins.some((i) =>
          i.stage === 0 && i.op === "RUN" && /deno task compile/.test(i.args)
        ),
      );
      for (
        const flag of [
          "--allow-net",
          "--allow-read",
          "--allow-write",
          "--allow-env",
          "--allow-sys",
          "--allow-ffi",
          "--unstable-kv",
          "--unstable-cron",
        ]
      ) {
        assert.ok(compileTask.includes(flag), `compile task lacks ${flag}`);
      }
      assert.ok(
        !compileTask.includes("--allow-all") && !/\s-A\s/.test(compileTask),
      );
      assert.ok(
        !compileTask.includes("--env-file"),
        "--env-file would embed .env secrets into the executable",
      );
      const includes = [...compileTask.matchAll(/--include (\S+)/g)].map((m) =>
        m[1]!
      );
      for (
        const need of [
          "knowledge_base",
          "db/migrations",
          "pipeline/knowledge/vectors/glove_100k.bin",
        ]
      ) {
        assert.ok(
          includes.includes(need),
          `compile task must --include ${need}`,
        );
      }
      for (const p of includes) {
        assert.ok(
          await exists(p),
          `--include ${p} does not exist`,
        );
      }
      assert.match(compileTask, /--output email-agent main\.ts"?$/);
    },
  );

  await t.step("the runtime stage runs as a numeric non-root user", () => {
    const users = final.filter((i) => i.op === "USER");
    assert.ok(users.length > 0, "runtime stage needs USER");
    const user = users.at(-1)!.args;
    assert.match(user, /^\d+(:\d+)?$/);
    assert.notEqual(user.split(":")[0], "0");
  });

  await t.step("HEALTHCHECK calls the binary's healthcheck command", () => {
    const hc = final.find((i) => i.op === "HEALTHCHECK");
    assert.ok(hc, "HEALTHCHECK missing");
    const cmd = exec(hc.args.replace(/^.*?CMD /, ""));
    assert.equal(cmd[0], "/app/email-agent");
    const parsed = parseArgs(cmd.slice(1));
    assert.ok(parsed.ok && parsed.command.name === "healthcheck");
  });

  await t.step(
    "the entrypoint is the compiled binary and CMD is a real command",
    () => {
      const entry = exec(final.find((i) => i.op === "ENTRYPOINT")!.args);
      const cmd = exec(final.find((i) => i.op === "CMD")!.args);
      assert.deepEqual(entry, ["/app/email-agent"]);
      assert.ok(
        final.some((i) =>
          i.op === "COPY" &&
          i.args.endsWith("/src/email-agent /app/email-agent")
        ),
      );
      const parsed = parseArgs(cmd);
      assert.ok(parsed.ok && parsed.command.name === "serve");
    },
  );

  await t.step(
    "DATA_DIR is a volume and HOST listens on all interfaces",
    () => {
      const env = final.filter((i) => i.op === "ENV").map((i) => i.args).join(
        " ",
      );
      const dataDir = /DATA_DIR=(\S+)/.exec(env)?.[1];
      assert.ok(dataDir);
      assert.match(env, /HOST=0\.0\.0\.0/);
      const vol = final.find((i) => i.op === "VOLUME");
      assert.ok(vol);
      assert.deepEqual(exec(vol.args), [dataDir]);
    },
  );

  await t.step(
    "every COPY source exists and is not dockerignored",
    async () => {
      const patterns = (await read(".dockerignore")).split("\n").map((l) =>
        l.trim()
      )
        .filter((l) => l !== "" && !l.startsWith("#"));
      const copies = ins.filter((i) =>
        i.op === "COPY" && !i.args.includes("--from=")
      );
      assert.ok(copies.length >= 2);
      for (const c of copies) {
        const parts = c.args.split(" ").filter((p) => !p.startsWith("--"));
        for (const src of parts.slice(0, -1)) {
          assert.ok(await exists(src), `COPY source ${src} does not exist`);
          if (src !== ".") {
            assert.ok(
              !ignored(patterns, src),
              `COPY source ${src} is dockerignored`,
            );
          }
        }
      }
      const fromBuild = ins.filter((i) =>
        i.op === "COPY" && i.args.includes("--from=build")
      );
      for (const c of fromBuild) {
        for (const src of copySources(c)) {
          if (!src.startsWith("/src/")) continue;
          const rel = src.slice("/src/".length);
          if (rel === "email-agent") continue;
          assert.ok(
            await exists(rel),
            `COPY --from=build ${src}: ${rel} does not exist`,
          );
          assert.ok(!ignored(patterns, rel), `${rel} is dockerignored`);
        }
      }
    },
  );

  await t.step(
    "the runtime image holds every example file the classifier reads beside EXAMPLES_FILE",
    () => {
      // The executable reads EXAMPLES_FILE from /app (WORKDIR); the files
      // beside it are skipped when missing, so a missing copy would train
      // the classifier without them, silently.
      const copied = final.filter((i) => i.op === "COPY").flatMap(copySources);
      for (const f of bundledExampleFiles(DEFAULT_EXAMPLES_FILE)) {
        const rel = f.replace(/^\.\//, "");
        assert.ok(
          copied.includes(`/src/${rel}`),
          `the runtime stage must COPY ${rel}`,
        );
      }
    },
  );

  await t.step(
    ".dockerignore keeps secrets and local state out of the build",
    async () => {
      const patterns = (await read(".dockerignore")).split("\n").map((l) =>
        l.trim()
      )
        .filter((l) => l !== "" && !l.startsWith("#"));
      for (
        const p of [
          ".env",
          ".env.local",
          ".env.production",
          "client_secret.json",
          "client_secret_1234-abc.apps.googleusercontent.com.json",
          "data/agent.kv",
          "data/encryption.key",
          "node_modules/.deno/x",
          ".git/config",
          "test-artifacts/shot.png",
        ]
      ) {
        assert.ok(ignored(patterns, p), `${p} must be dockerignored`);
      }
      for (
        const p of [
          "main.ts",
          "deno.json",
          "deno.lock",
          "knowledge_base/shipping.md",
          "db/migrations/001_init.sql",
          "app/ops/compile.ts",
        ]
      ) {
        assert.ok(!ignored(patterns, p), `${p} is needed by the build`);
      }
    },
  );
});

Deno.test("compile wrapper explains an offline failure in one line", async (t) => {
  // What `deno compile` 2.9.6 prints when dl.deno.land is unreachable.
  const offline =
    "Compile main.ts to email-agent\nDownload https://dl.deno.land/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip\nerror: Writing deno compile executable to temporary file 'email-agent.tmp-1'\n\nCaused by:\n    0: Setting up base binary.\n    1: error sending request for url (https://dl.deno.land/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip): client error (Connect): dns error\n";
  await t.step(
    "a download failure names dl.deno.land, internet and DENORT_BIN",
    () => {
      const line = explainCompileFailure(offline, 1);
      assert.ok(!line.includes("\n"));
      assert.match(line, /dl\.deno\.land/);
      assert.match(line, /internet/);
      assert.match(line, /DENORT_BIN/);
      assert.match(line, /No executable was written/);
    },
  );
  await t.step("any other failure points at the messages above", () => {
    const line = explainCompileFailure("TS2307 [ERROR]: Cannot find module", 1);
    assert.match(line, /deno compile failed \(exit code 1\)/);
    assert.doesNotMatch(line, /dl\.deno\.land/);
  });
});
