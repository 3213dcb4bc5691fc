import assert from "node:assert/strict";
import { checkPolicy, daysBetween } from "../../pipeline/refund/policy.ts";
import type { Order } from "../../pipeline/types.ts";

const policy = {
  windowDays: 30,
  eligibleStatuses: ["delivered", "shipped"],
  autoLimit: 200,
};
const now = new Date("2026-03-31T15:00:00Z");
const order = (o: Partial<Order> = {}): Order => ({
  orderId: "ORD1000",
  customerEmail: "alice@example.com",
  orderDate: new Date("2026-03-20"),
  amount: 50,
  status: "delivered",
  refundRequestedAt: null,
  ...o,
});

Deno.test("checkPolicy() accepts an eligible order within window and limit", () => {
  assert.equal(checkPolicy(order(), now, policy), "eligible");
  assert.equal(
    checkPolicy(order({ status: "Shipped" }), now, policy),
    "eligible",
  );
  assert.equal(checkPolicy(order({ amount: 200 }), now, policy), "eligible");
});

Deno.test("checkPolicy() counts the window in whole UTC days, inclusive", () => {
  assert.equal(
    checkPolicy(order({ orderDate: new Date("2026-03-01") }), now, policy),
    "eligible",
  );
  assert.equal(
    checkPolicy(order({ orderDate: new Date("2026-02-28") }), now, policy),
    "outside_window",
  );
  assert.equal(daysBetween(new Date("2026-03-01T23:59:00Z"), now), 30);
});

Deno.test("checkPolicy() rejects by status, escalates by amount, reports repeats first", () => {
  assert.equal(
    checkPolicy(order({ status: "processing" }), now, policy),
    "ineligible_status",
  );
  assert.equal(
    checkPolicy(order({ amount: 200.01 }), now, policy),
    "over_limit",
  );
  assert.equal(
    checkPolicy(
      order({
        status: "refund_requested",
        refundRequestedAt: new Date("2026-03-25"),
      }),
      now,
      policy,
    ),
    "already_requested",
  );
  // Outside the window and over the limit: the window decides (no person needed).
  assert.equal(
    checkPolicy(
      order({ amount: 999, orderDate: new Date("2025-01-01") }),
      now,
      policy,
    ),
    "outside_window",
  );
});

Deno.test("checkPolicy() never grants a refunded order again, even when requested before or listed as eligible", () => {
  const refunded = order({
    status: "refunded",
    refundRequestedAt: new Date("2026-03-25"),
  });
  assert.equal(checkPolicy(refunded, now, policy), "ineligible_status");
  assert.equal(
    checkPolicy(order({ status: " Refunded " }), now, {
      ...policy,
      eligibleStatuses: [...policy.eligibleStatuses, "refunded"],
    }),
    "ineligible_status",
  );
});
