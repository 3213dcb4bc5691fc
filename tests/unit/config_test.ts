import assert from "node:assert/strict";
import { loadConfig, sandboxEnabled } from "../../app/config.ts";
import { isKey } from "../../db/crypto/key_file.ts";

const KEY = btoa(String.fromCharCode(...new Uint8Array(32).fill(7)));

Deno.test("loadConfig() gives the documented defaults with no environment", () => {
  const r = loadConfig({});
  assert.ok(r.ok);
  assert.equal(r.config.PORT, 8000);
  assert.equal(r.config.HOST, "127.0.0.1");
  assert.equal(r.config.DATA_DIR, "./data");
  assert.equal(r.config.DATABASE_URL, null);
  assert.equal(r.config.REPLY_MODE, "auto");
  assert.equal(r.config.POLL_SCHEDULE, "*/1 * * * *");
  assert.equal(r.config.MAX_AUTO_REPLIES_PER_SENDER, 3);
  assert.equal(r.config.MAX_INVALID_REFUND_ATTEMPTS, 3);
  assert.equal(sandboxEnabled(r.config), true);
  assert.equal(r.config.USER_EXAMPLES_FILE, "./data/my_examples.jsonl");
  const other = loadConfig({ DATA_DIR: "/var/lib/agent/" });
  assert.ok(other.ok);
  assert.equal(
    other.config.USER_EXAMPLES_FILE,
    "/var/lib/agent/my_examples.jsonl",
  );
});

Deno.test("loadConfig() reports every problem at once, one line each, naming the variable", () => {
  const r = loadConfig({
    PORT: "eighty",
    ENCRYPTION_KEY: "c2hvcnQ=",
    REPLY_MODE: "shout",
    DATABASE_URL: "mysql://db",
    CLASSIFY_THRESHOLD: "2",
  });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.errors.length, 5, r.errors.join("\n"));
  for (
    const name of [
      "PORT",
      "ENCRYPTION_KEY",
      "REPLY_MODE",
      "DATABASE_URL",
      "CLASSIFY_THRESHOLD",
    ]
  ) {
    const line: string | undefined = r.errors.find((e: string) =>
      e.startsWith(name)
    );
    assert.ok(line, `no line for ${name}`);
    assert.ok(!line.includes("\n"));
  }
  assert.match(r.errors.find((e) => e.startsWith("PORT"))!, /"eighty"/);
});

Deno.test("loadConfig() requires ENCRYPTION_KEY with Postgres and both Google client values", () => {
  const r = loadConfig({
    DATABASE_URL: "postgres://x@h/db",
    GOOGLE_CLIENT_ID: "id",
  });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.ok(r.errors.some((e) => e.startsWith("ENCRYPTION_KEY is required")));
  assert.ok(r.errors.some((e) => e.includes("GOOGLE_CLIENT_SECRET")));
  const good = loadConfig({
    DATABASE_URL: "postgres://x@h/db",
    ENCRYPTION_KEY: KEY,
    GOOGLE_CLIENT_ID: "id",
    GOOGLE_CLIENT_SECRET: "s",
  });
  assert.ok(good.ok);
  assert.equal(sandboxEnabled(good.config), false);
});

Deno.test("isKey() accepts only base64 of exactly 32 bytes", () => {
  assert.equal(isKey(KEY), true);
  assert.equal(isKey(btoa("x".repeat(31))), false);
  assert.equal(isKey(btoa("x".repeat(33))), false);
  assert.equal(isKey("not base64!"), false);
});

Deno.test("loadConfig() keeps sent-reply markers longer than a full sync looks back", () => {
  const d = loadConfig({});
  assert.ok(d.ok);
  assert.equal(d.config.SENT_REPLY_MARKER_DAYS, 30);
  const ok = loadConfig({
    SENT_REPLY_MARKER_DAYS: "8",
    INITIAL_SYNC_DAYS: "7",
  });
  assert.ok(ok.ok);
  assert.equal(ok.config.SENT_REPLY_MARKER_DAYS, 8);
  const short = loadConfig({
    SENT_REPLY_MARKER_DAYS: "7",
    INITIAL_SYNC_DAYS: "7",
  });
  assert.ok(!short.ok);
  assert.deepEqual(short.errors, [
    "SENT_REPLY_MARKER_DAYS must be more than INITIAL_SYNC_DAYS, as a full sync lists sent mail that recent again: current values are 7 and 7",
  ]);
  const zero = loadConfig({ SENT_REPLY_MARKER_DAYS: "0" });
  assert.ok(!zero.ok);
  assert.match(zero.errors[0] ?? "", /^SENT_REPLY_MARKER_DAYS/);
});

Deno.test("loadConfig(): the acknowledgement is off by default; its template's placeholders are checked", () => {
  const r = loadConfig({});
  assert.ok(r.ok);
  assert.equal(r.config.ACK_ENABLED, false);
  assert.equal(r.config.ACK_HOURS, 24);
  assert.equal(r.config.ACK_TEMPLATE, null);
  const on = loadConfig({
    ACK_ENABLED: "true",
    ACK_HOURS: "8",
    ACK_TEMPLATE: "Hi {name},\\nwe answer within {hours} hours.",
  });
  assert.ok(on.ok);
  assert.equal(on.config.ACK_ENABLED, true);
  assert.equal(
    on.config.ACK_TEMPLATE,
    "Hi {name},\nwe answer within {hours} hours.",
  );
  const bad = loadConfig({
    ACK_TEMPLATE: "within {hour} hours",
    ACK_HOURS: "0",
  });
  assert.equal(bad.ok, false);
  if (bad.ok) return;
  assert.deepEqual(bad.errors, [
    'ACK_HOURS must be a whole number from 1 to 720: current value is "0"',
    "ACK_TEMPLATE uses unknown placeholder {hour} (known: {name}, {hours}, {shop}, {signature})",
  ]);
});
