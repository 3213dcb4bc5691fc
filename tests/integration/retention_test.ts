/**
 * pruneOldRecords(): the daily retention job over a real store. Finished
 * records older than RETENTION_DAYS go, in batches until none is left; the
 * review queue, refund cases and unfinished or recent records stay.
 */
import assert from "node:assert/strict";
import { pruneOldRecords } from "../../pipeline/worker/retention.ts";
import { openKvTestStore } from "../helpers/stores.ts";

const DAY = 86_400_000;
const NOW = new Date("2026-11-30T03:17:00Z");

Deno.test("pruneOldRecords() deletes finished records older than the retention, batch after batch, and keeps the review queue and refund cases", async () => {
  const s = await openKvTestStore();
  try {
    const store = s.store;
    const old = new Date(NOW.getTime() - 91 * DAY);
    for (let i = 0; i < 1203; i++) {
      await store.ledger.claim({
        accountId: "acc",
        gmailId: `m${i}`,
        threadId: `t${i}`,
        workerId: "w",
        now: old,
        staleAfterMs: 60_000,
      });
      await store.ledger.markDone("acc", `m${i}`, old);
    }
    await store.ledger.claim({
      accountId: "acc",
      gmailId: "recent",
      threadId: "t-recent",
      workerId: "w",
      now: new Date(NOW.getTime() - 89 * DAY),
      staleAfterMs: 60_000,
    });
    const item = await store.review.add({
      accountId: "acc",
      gmailId: "m0",
      threadId: "t0",
      sender: "c***@example.com",
      subject: "Partnership",
      excerpt: "",
      category: "Other",
      importance: 3,
      importanceReasons: [],
      reason: "low_confidence",
    }, old);
    await store.refunds.saveCase({
      accountId: "acc",
      threadId: "t1",
      state: "requested",
      customerEmail: "c@example.com",
      orderIds: ["ORD10001"],
      history: [],
      createdAt: old,
      updatedAt: old,
      version: 1,
    }, 0);
    await store.audit.add({
      at: old,
      actor: "admin",
      action: "login",
      target: null,
      detail: {},
    });

    const result = await pruneOldRecords(store, {
      now: NOW,
      retentionDays: 90,
    });
    assert.deepEqual(result, { ledger: 1203, audit: 1 });
    assert.deepEqual(
      (await store.ledger.listActivity({ limit: 2000 })).map((e) => e.gmailId),
      ["recent"],
    );
    assert.equal((await store.review.get(item.id))?.subject, "Partnership");
    assert.notEqual(await store.refunds.getCase("acc", "t1"), null);
    assert.deepEqual(
      await pruneOldRecords(store, { now: NOW, retentionDays: 90 }),
      { ledger: 0, audit: 0 },
    );
  } finally {
    await s.close();
  }
});
