/**
 * Deno KV orders import spans several atomic batches: when a later batch
 * fails, the earlier ones are rolled back, so nothing partial remains.
 */
import assert from "node:assert/strict";
import type { Order } from "../../pipeline/types.ts";
import { openKvTestStore } from "../helpers/stores.ts";

const order = (i: number, status = "delivered"): Order => ({
  orderId: `ORD${20000 + i}`,
  customerEmail: `c${i}@example.com`,
  orderDate: new Date("2026-11-01T00:00:00Z"),
  amount: i,
  status,
  refundRequestedAt: null,
});

Deno.test("kv orders import rolls back earlier batches when a later one fails", async () => {
  const s = await openKvTestStore();
  try {
    await s.store.orders.importAll([order(1, "shipped")]);
    const many = Array.from({ length: 350 }, (_, i) => order(i));
    // A value over Deno KV's 64 KiB limit makes the last batch fail.
    many.push(order(999, "x".repeat(70_000)));
    await assert.rejects(() => s.store.orders.importAll(many));
    assert.equal(await s.store.orders.count(), 1);
    assert.equal((await s.store.orders.get("ORD20001"))?.status, "shipped");
    assert.equal(await s.store.orders.get("ORD20200"), null);
    assert.equal(await s.store.orders.importAll(many.slice(0, 350)), 350);
    assert.equal(await s.store.orders.count(), 350);
  } finally {
    await s.close();
  }
});
