/**
 * pruneOldRecords(): the daily retention job over a real store (Deno KV and
 * Postgres). Finished records older than RETENTION_DAYS go, in batches until
 * none is left, and sent-reply markers past their own retention; the review
 * queue, refund cases, live markers and unfinished or recent records stay.
 */
import assert from "node:assert/strict";
import { pruneOldRecords } from "../../pipeline/worker/retention.ts";
import { DEFAULT_RETENTION } from "../../pipeline/ports.ts";
import { openKvTestStore, openPgTestStore } from "../helpers/stores.ts";

const DAY = 86_400_000;
const NOW = new Date("2026-11-30T03:17:00Z");

for (const open of [openKvTestStore, openPgTestStore]) {
  Deno.test(`pruneOldRecords() (${open === openKvTestStore ? "kv" : "postgres"}) deletes finished records older than the retention, batch after batch, and expired sent markers, and keeps the review queue and refund cases`, async () => {
    const s = await open();
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
      // Sent-reply markers: 502 expired (more than one batch), one live.
      const markedAt = new Date(NOW.getTime() - DEFAULT_RETENTION.sentReplyMs);
      for (let i = 0; i < 502; i++) {
        await store.threads.recordSent({
          accountId: "acc",
          gmailId: `s${i}`,
          by: i % 2 === 0 ? "agent" : "person",
          at: markedAt,
        });
      }
      await store.threads.recordSent({
        accountId: "acc",
        gmailId: "s-live",
        by: "agent",
        at: new Date(NOW.getTime() - DAY),
      });

      const result = await pruneOldRecords(store, {
        now: NOW,
        retentionDays: 90,
      });
      assert.deepEqual(result, { ledger: 1203, audit: 1, sentMarkers: 502 });
      // Read at a time they would still be live: deleted, not just expired.
      assert.equal(await store.threads.sentBy("acc", "s0", markedAt), null);
      assert.equal(await store.threads.sentBy("acc", "s-live", NOW), "agent");
      assert.deepEqual(
        (await store.ledger.listActivity({ limit: 2000 })).map((e) =>
          e.gmailId
        ),
        ["recent"],
      );
      assert.equal((await store.review.get(item.id))?.subject, "Partnership");
      assert.notEqual(await store.refunds.getCase("acc", "t1"), null);
      assert.deepEqual(
        await pruneOldRecords(store, { now: NOW, retentionDays: 90 }),
        { ledger: 0, audit: 0, sentMarkers: 0 },
      );
    } finally {
      await s.close();
    }
  });
}
