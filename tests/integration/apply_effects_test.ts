/**
 * applyEffects on real stores: retries after a crash are safe, effects that
 * went through JSON still apply, lost races report a conflict, review items
 * are resolved by a person's reply.
 */
import assert from "node:assert/strict";
import { applyEffects } from "../../pipeline/worker/apply_effects.ts";
import { resolveThreadOnHumanReply } from "../../pipeline/dashboard/review_actions.ts";
import type { Store } from "../../pipeline/ports.ts";
import type { Effect, ParsedEmail } from "../../pipeline/types.ts";
import { forEachStore } from "../helpers/stores.ts";
import {
  ACCOUNT,
  classified,
  loadAndDecideRefund,
  mail,
  order,
  refundConfig,
} from "../helpers/refund_fixtures.ts";

const NOW = new Date("2026-03-31T12:00:00Z");
const LATER = new Date("2026-03-31T12:05:00Z");
const OWNER = "erin@example.com";

async function planFor(store: Store, email: ParsedEmail, now = NOW) {
  const plan = await loadAndDecideRefund({
    email,
    account: ACCOUNT,
    classification: classified("Refund"),
    threadTexts: [],
    now,
  }, { refunds: store.refunds, orders: store.orders, config: refundConfig() });
  assert.ok(plan);
  return plan;
}

Deno.test("applyEffects() re-applied after a crash changes nothing twice", async (t) => {
  await forEachStore(t, async (store) => {
    await store.orders.importAll([order("ORD20001", OWNER)]);
    const email = mail({
      from: OWNER,
      body: "refund ORD20001",
      threadId: "a1",
    });
    const plan = await planFor(store, email);
    assert.deepEqual(plan.effects.map((e) => e.type), [
      "mark_refund_requested",
      "save_refund_case",
    ]);
    // Crash after the mark: only the first effect got applied.
    assert.deepEqual(
      await applyEffects(plan.effects.slice(0, 1), { store, now: NOW }),
      { conflict: false },
    );
    // The retry re-applies everything (a later clock), then once more.
    for (let i = 0; i < 2; i++) {
      assert.deepEqual(
        await applyEffects(plan.effects, { store, now: LATER }),
        {
          conflict: false,
        },
      );
    }
    const o = await store.orders.get("ORD20001");
    assert.equal(o?.refundRequestedAt?.getTime(), NOW.getTime());
    const c = await store.refunds.getCase(ACCOUNT.id, "a1");
    assert.equal(c?.version, 1);
    assert.equal(c?.history.length, 1);
  });
});

Deno.test("applyEffects() keeps attempts and review items unique per message, through JSON", async (t) => {
  await forEachStore(t, async (store) => {
    const cfg = refundConfig({ maxInvalidAttempts: 1 });
    const email = mail({
      from: OWNER,
      body: "refund ORD29999",
      threadId: "a2",
    });
    const plan = await loadAndDecideRefund({
      email,
      account: ACCOUNT,
      classification: classified("Refund"),
      threadTexts: [],
      now: NOW,
    }, { refunds: store.refunds, orders: store.orders, config: cfg });
    assert.equal(plan?.decision.reason, "too_many_invalid_attempts");
    const json = JSON.parse(JSON.stringify(plan!.effects)) as Effect[];
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(await applyEffects(json, { store, now: NOW }), {
        conflict: false,
      });
    }
    assert.equal(
      await store.refunds.countInvalidAttempts(
        { accountId: ACCOUNT.id, threadId: "a2" },
        new Date(0),
      ),
      1,
    );
    const items = await store.review.openForThread(ACCOUNT.id, "a2");
    assert.equal(items.length, 1);
    assert.equal(items[0]?.reason, "too_many_invalid_attempts");
    const c = await store.refunds.getCase(ACCOUNT.id, "a2");
    assert.ok(c?.history[0]?.at instanceof Date);
    assert.equal(c?.history[0]?.at.getTime(), NOW.getTime());
  });
});

Deno.test("applyEffects() reports a conflict when the case moved on or the order was marked elsewhere", async (t) => {
  await forEachStore(t, async (store) => {
    await store.orders.importAll([order("ORD20003", OWNER)]);
    // Two messages decided from the same (empty) case.
    const a = await planFor(
      store,
      mail({ from: OWNER, body: "refund", threadId: "a3" }),
    );
    const b = await planFor(
      store,
      mail({ from: OWNER, body: "refund pls", threadId: "a3" }),
    );
    assert.deepEqual(await applyEffects(a.effects, { store, now: NOW }), {
      conflict: false,
    });
    assert.deepEqual(await applyEffects(b.effects, { store, now: NOW }), {
      conflict: true,
    });

    // The order gets marked by someone else between deciding and applying.
    const email = mail({
      from: OWNER,
      body: "refund ORD20003",
      threadId: "a4",
    });
    const p = await planFor(store, email);
    await store.orders.markRefundRequested(
      "ORD20003",
      new Date("2026-03-30T08:00:00Z"),
    );
    assert.deepEqual(await applyEffects(p.effects, { store, now: NOW }), {
      conflict: true,
    });
    assert.equal(await store.refunds.getCase(ACCOUNT.id, "a4"), null);
    const again = await planFor(store, email);
    assert.equal(again.decision.reason, "already_requested");
    assert.match(again.decision.reply ?? "", /already requested on 2026-03-30/);
  });
});

Deno.test("applyEffects() records a mark even when another message saved the case first", async (t) => {
  await forEachStore(t, async (store) => {
    await store.orders.importAll([order("ORD20005", OWNER)]);
    const a = await planFor(
      store,
      mail({ from: OWNER, body: "refund ORD20005", threadId: "a5" }),
    );
    const b = await planFor(
      store,
      mail({ from: OWNER, body: "refund please", threadId: "a5" }),
    );
    assert.deepEqual(await applyEffects(b.effects, { store, now: NOW }), {
      conflict: false,
    });
    assert.deepEqual(await applyEffects(a.effects, { store, now: NOW }), {
      conflict: false,
    });
    const c = await store.refunds.getCase(ACCOUNT.id, "a5");
    assert.equal(c?.state, "requested");
    assert.equal(c?.version, 2);
    assert.deepEqual(c?.history.map((h) => [h.from, h.to, h.note]), [
      [null, "awaiting_order_id", "awaiting_order_id"],
      ["awaiting_order_id", "requested", "refund_requested"],
    ]);
    assert.deepEqual(c?.orderIds, ["ORD20005"]);
    // A retry of the same plan changes nothing.
    assert.deepEqual(await applyEffects(a.effects, { store, now: LATER }), {
      conflict: false,
    });
    assert.equal((await store.refunds.getCase(ACCOUNT.id, "a5"))?.version, 2);
  });
});

Deno.test("applyEffects() rejects malformed effects with a clear error", async () => {
  await assert.rejects(
    () =>
      applyEffects(
        [{ type: "mark_refund_requested" } as unknown as Effect],
        { store: {} as Store, now: NOW },
      ),
    /Cannot apply the effects as they are malformed: 0\.orderId/,
  );
});

Deno.test("a person's reply resolves the thread's open review items", async (t) => {
  await forEachStore(t, async (store) => {
    const item = (gmailId: string, threadId: string) => ({
      accountId: ACCOUNT.id,
      gmailId,
      threadId,
      sender: OWNER,
      subject: "Refund",
      excerpt: "…",
      category: "Refund" as const,
      importance: 4,
      importanceReasons: ["legal:lawyer"],
      reason: "escalated_tone",
    });
    await applyEffects([
      { type: "enqueue_review", item: item("r1", "h1") },
      { type: "enqueue_review", item: item("r2", "h1") },
      { type: "enqueue_review", item: item("r3", "h2") },
    ], { store, now: NOW });
    assert.equal(
      (await store.review.openForThread(ACCOUNT.id, "h1")).length,
      2,
    );

    const n = await resolveThreadOnHumanReply(
      { accountId: ACCOUNT.id, threadId: "h1", actor: "gmail", now: LATER },
      { review: store.review, audit: store.audit },
    );
    assert.equal(n, 2);
    assert.equal(
      (await store.review.openForThread(ACCOUNT.id, "h1")).length,
      0,
    );
    assert.equal(
      (await store.review.openForThread(ACCOUNT.id, "h2")).length,
      1,
    );
    const resolved = await store.review.list({ status: "resolved" });
    assert.deepEqual(resolved.map((i) => i.note), [
      "Answered by gmail",
      "Answered by gmail",
    ]);
    const audit = await store.audit.list(10);
    assert.equal(
      audit.filter((e) => e.action === "review.resolved_by_reply").length,
      1,
    );
    // Idempotent: nothing left to resolve, nothing audited.
    assert.equal(
      await resolveThreadOnHumanReply(
        { accountId: ACCOUNT.id, threadId: "h1", actor: "gmail", now: LATER },
        { review: store.review, audit: store.audit },
      ),
      0,
    );

    await applyEffects(
      [{
        type: "resolve_thread_reviews",
        accountId: ACCOUNT.id,
        threadId: "h2",
      }],
      { store, now: LATER },
    );
    assert.equal(
      (await store.review.openForThread(ACCOUNT.id, "h2")).length,
      0,
    );
  });
});
