/**
 * A Deno KV file from before `store.emails`: its review items and its
 * per-sender and per-recipient indexes give the one-read values once, so
 * a thread already in review is not answered and the reply cap keeps
 * counting the replies of the last day after the upgrade.
 */
import assert from "node:assert/strict";
import { keys } from "../../db/kv/keys.ts";
import { migrateKvIndexes } from "../../db/kv/kv_migrate_indexes.ts";
import { createKvStore } from "../../db/kv/kv_store.ts";
import type { ReviewItem } from "../../pipeline/types.ts";
import { testCipher } from "../helpers/stores.ts";

const NOW = new Date("2026-11-30T12:00:00Z");
const HOUR = 3_600_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms);

function item(id: string, threadId: string, status: ReviewItem["status"]) {
  return {
    id,
    accountId: "acc",
    gmailId: "g-" + id,
    threadId,
    sender: "ann@example.com",
    subject: "Help",
    excerpt: "",
    category: "Question",
    importance: 3,
    importanceReasons: [],
    reason: "no_kb_match",
    status,
    assignee: null,
    note: null,
    createdAt: ago(HOUR),
    updatedAt: ago(HOUR),
  } satisfies ReviewItem;
}

Deno.test("migrateKvIndexes() builds a thread's open review items and the recent reply marks once", async () => {
  const dir = await Deno.makeTempDir({ prefix: "agent_kv_idx_" });
  const kv = await Deno.openKv(`${dir}/agent.kv`);
  try {
    // The keys an older version wrote (no one-read values).
    for (
      const i of [
        item("r1", "t-1", "pending"),
        item("r2", "t-1", "in_progress"),
        item("r3", "t-2", "resolved"),
      ]
    ) {
      await kv.set(keys.review(i.id), i);
      await kv.set(keys.reviewByThread(i.accountId, i.threadId, i.id), null);
    }
    const marks: [string, string, Date, string][] = [
      ["ledger_by_sender", "g1", ago(2 * HOUR), "reply"],
      ["ledger_by_sender", "g2", ago(3 * HOUR), "reply"],
      ["ledger_by_sender", "g3", ago(4 * HOUR), "review"],
      ["ledger_by_sender", "g0", ago(9 * 24 * HOUR), "reply"],
      ["ledger_by_recipient", "g1", ago(2 * HOUR), "reply"],
    ];
    for (const [index, g, at, action] of marks) {
      await kv.set([index, "acc", "ann@example.com", g], { at, action });
    }
    const built = await migrateKvIndexes(kv, { now: NOW });
    assert.deepEqual(built, { threads: 1, marks: 2 });
    assert.equal(await migrateKvIndexes(kv, { now: NOW }), null, "once");

    const store = createKvStore(kv, await testCipher());
    const snap = (threadId: string) =>
      store.emails.snapshot({
        accountId: "acc",
        gmailId: "new-" + threadId,
        threadId,
        workerId: "w",
        now: NOW,
        staleAfterMs: 60_000,
        capSender: "ann@example.com",
        capRecipients: ["ann@example.com"],
        sender: "ann@example.com",
      });
    const s1 = await snap("t-1");
    assert.equal(s1.openReviewItems, 2);
    assert.equal(s1.repliesToSenderLast24h, 2);
    assert.equal(s1.repliesToRecipientLast24h, 1);
    assert.equal(s1.fromSenderLast7d, 3, "the 9-day-old mark is left out");
    assert.equal((await snap("t-2")).openReviewItems, 0, "resolved");
  } finally {
    kv.close();
    await Deno.remove(dir, { recursive: true });
  }
});
