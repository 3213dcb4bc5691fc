/**
 * The refund flow through the lead's `decide()` on real stores: draft mode
 * turns refund replies into drafts, an escalated thread stays with a
 * person, a person's takeover keeps the agent out.
 */
import assert from "node:assert/strict";
import { applyEffects } from "../../pipeline/worker/apply_effects.ts";
import { type PlanDeps, planEmail } from "../../pipeline/decide/plan_email.ts";
import type { Classifier, Retriever, Store } from "../../pipeline/ports.ts";
import type { Category, ParsedEmail } from "../../pipeline/types.ts";
import { forEachStore } from "../helpers/stores.ts";
import {
  ACCOUNT,
  classified,
  mail,
  order,
  refundConfig,
} from "../helpers/refund_fixtures.ts";

const NOW = new Date("2026-03-31T12:00:00Z");
const OWNER = "gina@example.com";

function deps(store: Store, category: Category): PlanDeps {
  const classifier = {
    classify: () => classified(category),
  } satisfies Classifier;
  const retriever = { search: () => Promise.resolve([]) } satisfies Retriever;
  return {
    classifier,
    retriever,
    store,
    config: {
      replyMode: "draft",
      classifyThreshold: 0.6,
      maxAutoRepliesPerSender: 3,
      answer: { answerThreshold: 0.5, signature: "S", shopName: "Shop" },
      refund: refundConfig({ minConfidence: 0.6 }),
    },
  };
}

async function run(
  store: Store,
  email: ParsedEmail,
  category: Category,
  humanTakeover = false,
) {
  const plan = await planEmail(email, {
    account: ACCOUNT,
    now: NOW,
    thread: { humanTakeover, threadTexts: [] },
  }, deps(store, category));
  assert.deepEqual(await applyEffects(plan.effects, { store, now: NOW }), {
    conflict: false,
  });
  return plan.decision;
}

Deno.test("decide() runs the refund flow and hands escalations to a person", async (t) => {
  await forEachStore(t, async (store) => {
    await store.orders.importAll([
      order("ORD30001", OWNER),
      order("ORD30002", OWNER, { amount: 900 }),
    ]);
    const d1 = await run(
      store,
      mail({ from: OWNER, body: "refund ORD30001", threadId: "d1" }),
      "Refund",
    );
    assert.deepEqual([d1.action, d1.reason, d1.order_id], [
      "draft",
      "refund_requested",
      "ORD30001",
    ]);

    // Over the limit: acknowledged (as a draft) and queued with importance.
    const d2 = await run(
      store,
      mail({ from: OWNER, body: "refund ORD30002", threadId: "d2" }),
      "Refund",
    );
    assert.deepEqual([d2.action, d2.reason], ["draft", "over_limit"]);
    const items = await store.review.openForThread(ACCOUNT.id, "d2");
    assert.equal(items.length, 1);
    assert.ok((items[0]?.importance ?? 0) >= 3);
    // A follow-up while the item is open stays with the person.
    const d3 = await run(
      store,
      mail({ from: OWNER, body: "any news? ORD30002", threadId: "d2" }),
      "Other",
    );
    assert.deepEqual([d3.action, d3.reason], ["review", "thread_in_review"]);

    // An angry email: review, no reply, importance from legal words.
    const d4 = await run(
      store,
      mail({
        from: OWNER,
        body: "Refund ORD30001 or I sue you",
        threadId: "d4",
      }),
      "Refund",
    );
    assert.deepEqual([d4.action, d4.reason, d4.reply], [
      "review",
      "escalated_tone",
      null,
    ]);
    assert.ok((d4.importance ?? 0) >= 4);
    assert.ok(d4.importance_reasons?.includes("legal:sue you"));

    // A person took the thread over: the agent stays out.
    const d5 = await run(
      store,
      mail({ from: OWNER, body: "refund please", threadId: "d5" }),
      "Refund",
      true,
    );
    assert.deepEqual([d5.action, d5.reason], ["review", "human_takeover"]);
    assert.equal(await store.refunds.getCase(ACCOUNT.id, "d5"), null);

    // A doubtful refund (below the threshold) opens no case.
    const plan = await planEmail(
      mail({ from: OWNER, body: "refund?", threadId: "d6" }),
      {
        account: ACCOUNT,
        now: NOW,
        thread: { humanTakeover: false, threadTexts: [] },
      },
      {
        ...deps(store, "Refund"),
        classifier: { classify: () => classified("Refund", 0.4) },
      },
    );
    assert.equal(plan.decision.reason, "low_confidence");
  });
});
