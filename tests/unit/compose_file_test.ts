import assert from "node:assert/strict";
import { parse } from "yaml";
import { loadConfig } from "../../app/config.ts";

const root = new URL("../../", import.meta.url);
const read = (p: string) => Deno.readTextFile(new URL(p, root));

// deno-lint-ignore no-explicit-any
type Yaml = any;

/** Names of every configuration variable (the resolved config's keys). */
function configNames(): string[] {
  const r = loadConfig({});
  assert.ok(r.ok);
  return Object.keys(r.config).sort();
}

Deno.test("compose.yaml runs the app on a private, healthy Postgres 16", async (t) => {
  const doc: Yaml = parse(await read("compose.yaml"));
  const db = doc.services.db;
  const app = doc.services.app;

  await t.step("Postgres 16 keeps its data in a named volume", () => {
    assert.match(db.image, /^postgres:16(\.|-|$)/);
    const vol = db.volumes.find((v: string) =>
      v.endsWith(":/var/lib/postgresql/data")
    );
    assert.ok(vol, "db needs a data volume");
    const name = vol.split(":")[0];
    assert.ok(
      !name.startsWith(".") && !name.startsWith("/"),
      "a named volume, not a bind mount",
    );
    assert.ok(name in doc.volumes, `volume ${name} is declared`);
  });

  await t.step("Postgres is not published to the host", () => {
    assert.equal(db.ports, undefined);
    assert.equal(db.network_mode, undefined);
  });

  await t.step("Postgres has a pg_isready healthcheck", () => {
    assert.match(JSON.stringify(db.healthcheck.test), /pg_isready/);
  });

  await t.step("the password comes from .env with no default", () => {
    const pw = String(db.environment.POSTGRES_PASSWORD);
    assert.match(pw, /^\$\{POSTGRES_PASSWORD:\?[^}]*\}$/);
    const url = String(app.environment.DATABASE_URL);
    assert.match(
      url,
      /^postgres:\/\/\w+:\$\{POSTGRES_PASSWORD:\?[^}]*\}@db:5432\/\w+$/,
    );
  });

  await t.step("the app waits for a healthy Postgres and reads .env", () => {
    assert.equal(app.depends_on.db.condition, "service_healthy");
    const envFiles = [app.env_file].flat().map((e: Yaml) =>
      typeof e === "string" ? e : e.path
    );
    assert.ok(envFiles.includes(".env"));
    assert.equal(app.build === "." || app.build?.context === ".", true);
  });

  await t.step(
    "the app listens in the container and publishes on loopback only",
    () => {
      assert.equal(app.environment.HOST, "0.0.0.0");
      for (const p of app.ports) assert.match(String(p), /^127\.0\.0\.1:/);
      assert.ok(app.volumes.some((v: string) => v.endsWith(":/data")));
      assert.equal(app.environment.DATA_DIR, "/data");
    },
  );

  await t.step("the app's compose environment is a valid configuration", () => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(app.environment)) {
      env[k] = String(v).replace(/\$\{POSTGRES_PASSWORD:\?[^}]*\}/, "pw");
    }
    env.ENCRYPTION_KEY = btoa("k".repeat(32));
    const r = loadConfig(env);
    assert.ok(r.ok, r.ok ? "" : r.errors.join("; "));
    assert.equal(r.config.PORT, 8000);
  });
});

Deno.test(".env.example and docs/configuration.md document every configuration variable", async (t) => {
  const names = configNames();
  const example = await read(".env.example");
  const reference = await read("docs/configuration.md");
  await t.step(".env.example lists each variable with a comment", () => {
    const lines = example.split("\n");
    for (const name of names) {
      const i = lines.findIndex((l) => new RegExp(`^#?\\s*${name}=`).test(l));
      assert.ok(i >= 0, `.env.example lacks ${name}`);
      assert.ok(
        i > 0 && lines[i - 1]!.startsWith("#"),
        `${name} needs a comment line above it`,
      );
    }
    assert.ok(
      /^#?\s*POSTGRES_PASSWORD=/m.test(example),
      "compose needs POSTGRES_PASSWORD",
    );
  });
  await t.step(".env.example holds no real secret", () => {
    for (const line of example.split("\n")) {
      const m = /^#?\s*(\w*(KEY|SECRET|PASSWORD|TOKEN)\w*)=(.*)$/.exec(line);
      if (m) assert.equal(m[3], "", `${m[1]} must be empty in .env.example`);
    }
  });
  await t.step(
    "the example's values are valid when all are uncommented",
    () => {
      const env: Record<string, string> = {};
      for (const line of example.split("\n")) {
        const m = /^#?\s*([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
        if (m) env[m[1]!] = m[2]!;
      }
      const r = loadConfig(env);
      assert.ok(r.ok, r.ok ? "" : r.errors.join("; "));
    },
  );
  await t.step(
    "the configuration reference (docs/configuration.md) has a row per variable",
    () => {
      for (const name of names) {
        assert.ok(
          reference.includes(`| \`${name}\``),
          `docs/configuration.md lacks a row for ${name}`,
        );
      }
    },
  );
});
