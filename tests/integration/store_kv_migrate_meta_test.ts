/**
 * A Deno KV file from before the typed state: its string-keyed `meta`
 * markers move to the typed ports once, on a real KV file.
 */
import assert from "node:assert/strict";
import { migrateKvMeta } from "../../db/kv/kv_migrate_meta.ts";
import { createKvStore } from "../../db/kv/kv_store.ts";
import { DEFAULT_RETENTION } from "../../pipeline/ports.ts";
import { testCipher } from "../helpers/stores.ts";

const NOW = new Date("2026-11-30T12:00:00Z");
const NOTE = {
  leftOlder: 5,
  capped: false,
  windowDays: 3,
  at: "2026-11-30T10:00:00.000Z",
};

Deno.test("migrateKvMeta() moves the old meta markers to the typed state once", async () => {
  const dir = await Deno.makeTempDir({ prefix: "agent_kv_meta_" });
  const kv = await Deno.openKv(`${dir}/agent.kv`);
  try {
    const at = "2026-11-30T10:00:00.000Z";
    const old = "2026-09-01T10:00:00.000Z"; // older than the 30-day retention
    const entries: [string, string][] = [
      ["takeover:acc-1:t-1", at],
      ["agent-sent:acc-1:s-1", at],
      ["human-sent:acc-1:s-2", at],
      ["agent-sent:acc-1:s-old", old],
      ["gmail_label:acc-1:Agent/Processed", "Label_7"],
      ["initial_sync_done:acc-1", "1"],
      ["mail_paused_until:acc-1", "2026-12-01T08:00:00.000Z"],
      ["sync_note:acc-1", JSON.stringify(NOTE)],
      ["msg_failures:acc-1:g-1", "3"],
      ["sample_orders_loaded", at],
      ["something_else", "kept"],
    ];
    for (const [k, v] of entries) await kv.set(["meta", k], v);
    const opts = { retention: DEFAULT_RETENTION, now: NOW };
    assert.equal(await migrateKvMeta(kv, opts), 10);
    assert.equal(
      await migrateKvMeta(kv, opts),
      0,
      "a second run moves nothing",
    );

    const store = createKvStore(kv, await testCipher());
    assert.equal(await store.threads.isTakenOver("acc-1", "t-1"), true);
    assert.equal(await store.threads.sentBy("acc-1", "s-1", NOW), "agent");
    assert.equal(await store.threads.sentBy("acc-1", "s-2", NOW), "person");
    assert.equal(
      await store.threads.sentBy("acc-1", "s-old", NOW),
      null,
      "an expired marker is not carried over",
    );
    assert.equal(
      await store.syncState.labelId("acc-1", "Agent/Processed"),
      "Label_7",
    );
    assert.equal(await store.syncState.isInitialSyncDone("acc-1"), true);
    assert.deepEqual(
      await store.syncState.pausedUntil("acc-1"),
      new Date("2026-12-01T08:00:00.000Z"),
    );
    assert.deepEqual(await store.syncState.syncNote("acc-1"), NOTE);
    assert.equal(
      await store.failures.increment({
        accountId: "acc-1",
        gmailId: "g-1",
        at: NOW,
      }),
      4,
    );
    assert.equal(
      await store.setup.claim("sample_orders", NOW),
      false,
      "the sample orders stay loaded",
    );
    const left: string[] = [];
    for await (const e of kv.list({ prefix: ["meta"] })) {
      left.push(String(e.key[1]));
    }
    assert.deepEqual(left, ["something_else"], "only an unknown key stays");
  } finally {
    kv.close();
    await Deno.remove(dir, { recursive: true });
  }
});
