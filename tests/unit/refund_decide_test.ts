import assert from "node:assert/strict";
import type { RefundDeps } from "../../pipeline/refund/decide_refund.ts";
import type { Order, RefundCase } from "../../pipeline/types.ts";
import {
  ACCOUNT,
  classified,
  loadAndDecideRefund,
  mail,
  order,
  refundConfig,
} from "../helpers/refund_fixtures.ts";

const NOW = new Date("2026-03-31T12:00:00Z");

/** Fake read-only ports: decideRefund gets no way to write. */
function fakes(o: {
  existing?: RefundCase | null;
  orders?: Order[];
  attempts?: number;
}): RefundDeps & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    refunds: {
      getCase: () => {
        reads.push("getCase");
        return Promise.resolve(o.existing ?? null);
      },
      countInvalidAttempts: () => {
        reads.push("countInvalidAttempts");
        return Promise.resolve(o.attempts ?? 0);
      },
    } satisfies RefundDeps["refunds"],
    orders: {
      get: (id: string) => {
        reads.push(`orders.get:${id}`);
        return Promise.resolve(o.orders?.find((x) => x.orderId === id) ?? null);
      },
    } satisfies RefundDeps["orders"],
    config: refundConfig(),
  };
}

const existingCase = (
  state: RefundCase["state"],
  version: number,
): RefundCase => ({
  accountId: ACCOUNT.id,
  threadId: "u1",
  state,
  customerEmail: "hal@example.com",
  orderIds: [],
  history: [{
    at: new Date("2026-03-30T00:00:00Z"),
    from: null,
    to: state,
    gmailId: "g0",
    orderId: null,
    note: "awaiting_order_id",
  }],
  createdAt: new Date("2026-03-30T00:00:00Z"),
  updatedAt: new Date("2026-03-30T00:00:00Z"),
  version,
});

Deno.test("decideRefund() plans the mark and a versioned save, writes nothing", async () => {
  const deps = fakes({
    existing: existingCase("awaiting_order_id", 7),
    orders: [order("ORD40001", "hal@example.com")],
  });
  const email = mail({
    from: "hal@example.com",
    body: "ORD40001",
    threadId: "u1",
  });
  const plan = await loadAndDecideRefund({
    email,
    account: ACCOUNT,
    classification: classified("Other"),
    threadTexts: [],
    now: NOW,
  }, deps);
  assert.ok(plan);
  assert.equal(plan.decision.reason, "refund_requested");
  assert.deepEqual(deps.reads, ["getCase", "orders.get:ORD40001"]);
  const [mark, save] = plan.effects;
  assert.deepEqual(mark, {
    type: "mark_refund_requested",
    orderId: "ORD40001",
  });
  assert.equal(save?.type, "save_refund_case");
  if (save?.type !== "save_refund_case") return;
  assert.equal(save.expectedVersion, 7);
  assert.equal(save.refundCase.version, 8);
  assert.deepEqual(save.refundCase.history.map((h) => [h.from, h.to, h.note]), [
    [null, "awaiting_order_id", "awaiting_order_id"],
    ["awaiting_order_id", "requested", "refund_requested"],
  ]);
  assert.deepEqual(save.refundCase.orderIds, ["ORD40001"]);
});

Deno.test("decideRefund() leaves non-refund mail without an open case alone", async () => {
  for (const state of [null, "requested", "rejected_policy"] as const) {
    const deps = fakes({ existing: state ? existingCase(state, 1) : null });
    const plan = await loadAndDecideRefund({
      email: mail({
        from: "hal@example.com",
        body: "Where is ORD40001?",
        threadId: "u1",
      }),
      account: ACCOUNT,
      classification: classified("Question"),
      threadTexts: [],
      now: NOW,
    }, deps);
    assert.equal(plan, null, String(state));
  }
});

Deno.test("decideRefund() opens no case for a Refund in name only: no order and no refund wording", async () => {
  const ask = async (body: string) =>
    await loadAndDecideRefund({
      email: mail({
        from: "hal@example.com",
        subject: "Quick question",
        body,
        threadId: "u1",
      }),
      account: ACCOUNT,
      classification: classified("Refund", 0.95),
      threadTexts: [],
      now: NOW,
    }, fakes({}));
  // A plain question the classifier called Refund gets no "send us your
  // order number" reply; the question route decides it.
  assert.equal(await ask("Does the esim work on an iPhone 13?"), null);
  assert.equal(await ask("how late can i cancel a class?"), null);
  // Refund wording, misspelt or not, or an order id opens the case.
  for (
    const body of [
      "I want a refund please",
      "hi, could I get a reund?",
      "when do i get the $45 back?",
      "I'd like to send the kettle back",
      "Please cancel the mug set I ordered",
      "Is ORD40001 covered?",
    ]
  ) {
    const plan = await ask(body);
    assert.ok(plan, body);
    assert.equal(plan.decision.category, "Refund", body);
  }
});

Deno.test("decideRefund() escalates a case that reached the attempt limit", async () => {
  const deps = fakes({ attempts: 2 });
  const plan = await loadAndDecideRefund({
    email: mail({
      from: "hal@example.com",
      body: "refund ORD49999",
      threadId: "u2",
    }),
    account: ACCOUNT,
    classification: classified("Refund"),
    threadTexts: [],
    now: NOW,
  }, deps);
  assert.equal(plan?.decision.reason, "too_many_invalid_attempts");
  assert.equal(plan?.decision.action, "review");
  assert.deepEqual(plan?.effects.map((e) => e.type), [
    "save_refund_case",
    "log_invalid_attempt",
    "enqueue_review",
  ]);
});
