/**
 * `orders import` reads Shopify's and WooCommerce's order exports and maps
 * their status words to the agent's; the default refundable statuses cover
 * both vocabularies.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../../app/config.ts";
import { parseOrdersFile } from "../../db/orders_file.ts";
import { mapStatus } from "../../db/shop_exports.ts";

const SHOPIFY = [
  "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Currency,Subtotal,Shipping,Taxes,Total,Created at,Lineitem quantity,Lineitem name",
  "#1001,ann@example.com,paid,2026-11-01 10:00:00 -0500,fulfilled,2026-11-02 09:00:00 -0500,USD,45.00,4.95,0.00,49.95,2026-11-01 09:58:12 -0500,1,Blue teapot",
  "#1001,,,,,,,,,,,2026-11-01 09:58:12 -0500,2,Mug",
  '#1002,Bob@Example.com,refunded,,unfulfilled,,USD,10.00,0,0,"1,010.00",2026-11-03 12:00:00 +0100,1,Lamp',
  "#1003,cy@example.com,paid,,,,USD,5,0,0,5.00,2026-11-04 08:00:00 +0000,1,Card",
].join("\n");

const WOO = [
  "Order ID,Order Date,Order Status,Billing Email Address,Order Total Amount,Payment Method",
  "5001,2026-11-05 14:30:00,wc-completed,dee@example.com,$120.50,stripe",
  "5002,2026-11-06,Processing,eve@example.com,30,paypal",
  "5003,2026-11-07,on-hold,fay@example.com,12.00,bacs",
].join("\n");

Deno.test("orders import reads a Shopify export: one order per Name, statuses mapped", () => {
  const r = parseOrdersFile(SHOPIFY, "orders_export.csv");
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(
    r.orders.map((o) => [o.orderId, o.customerEmail, o.amount, o.status]),
    [
      ["1001", "ann@example.com", 49.95, "shipped"],
      ["1002", "bob@example.com", 1010, "refunded"],
      ["1003", "cy@example.com", 5, "processing"],
    ],
  );
  assert.equal(
    r.orders[0]!.orderDate.toISOString(),
    "2026-11-01T14:58:12.000Z",
  );
});

Deno.test("orders import reads a WooCommerce export: completed is delivered", () => {
  const r = parseOrdersFile(WOO, "woo.csv");
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(
    r.orders.map((o) => [o.orderId, o.customerEmail, o.amount, o.status]),
    [
      ["5001", "dee@example.com", 120.5, "delivered"],
      ["5002", "eve@example.com", 30, "processing"],
      ["5003", "fay@example.com", 12, "on_hold"],
    ],
  );
});

Deno.test("an unknown header still names the agent's columns", () => {
  const r = parseOrdersFile("id,mail\n1,a@b.c\n", "x.csv");
  assert.equal(r.ok, false);
  assert.match(
    (r as { errors: string[] }).errors[0]!,
    /order_id,customer_email,order_date,amount,status \(or be a Shopify or WooCommerce order export\)/,
  );
});

Deno.test("mapStatus() maps both vocabularies and keeps unknown words", () => {
  assert.equal(mapStatus("Completed"), "delivered");
  assert.equal(mapStatus("fulfilled"), "shipped");
  assert.equal(mapStatus("wc-refunded"), "refunded");
  assert.equal(mapStatus("in_transit"), "in_transit");
});

Deno.test("default refundable statuses cover WooCommerce's completed and Shopify's fulfilled", () => {
  const r = loadConfig({});
  assert.ok(r.ok);
  for (const s of ["delivered", "shipped", "completed", "fulfilled"]) {
    assert.ok(r.config.REFUND_ELIGIBLE_STATUSES.includes(s), s);
  }
});
