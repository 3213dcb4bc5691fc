/**
 * `orders import`, `orders get` and `accounts list` CLI functions on both
 * backends.
 */
import assert from "node:assert/strict";
import { accountsList } from "../../app/cli/accounts_commands.ts";
import { ordersGet, ordersImport } from "../../app/cli/orders_commands.ts";
import { AppError } from "../../pipeline/errors.ts";
import { forEachStore } from "../helpers/stores.ts";

const HEADER = "order_id,customer_email,order_date,amount,status";

const isInvalid = (re: RegExp) => (e: unknown) =>
  e instanceof AppError && e.code === "invalid_input" && re.test(e.message) &&
  !e.message.includes("\n");

Deno.test("orders and accounts CLI functions", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "agent_cli_test_" });
  try {
    const good = `${dir}/good.csv`;
    await Deno.writeTextFile(
      good,
      `${HEADER}\nORD1,alice@example.com,2026-11-18,49.99,delivered\n` +
        `ORD2,"bob@example.com",2026-11-20,129,shipped\n`,
    );
    const bad = `${dir}/bad.csv`;
    await Deno.writeTextFile(
      bad,
      `${HEADER}\nORD7,a@example.com,2026-11-01,1,shipped\n` +
        `ORD8,b@example.com,2026-11-01,2,shipped\n` +
        `ORD9,c@example.com,2026-11-01,abc,shipped\n`,
    );
    await forEachStore(t, async (store) => {
      assert.deepEqual(await ordersImport(store, good), { imported: 2 });
      assert.deepEqual(await ordersGet(store, "ord1"), {
        order_id: "ORD1",
        customer_email: "alice@example.com",
        order_date: "2026-11-18T00:00:00.000Z",
        amount: 49.99,
        status: "delivered",
        refund_requested_at: null,
      });
      await store.orders.markRefundRequested(
        "ORD2",
        new Date("2026-11-24T08:00:00Z"),
      );
      const o2 = await ordersGet(store, "ORD2");
      assert.equal(o2.status, "refund_requested");
      assert.equal(o2.refund_requested_at, "2026-11-24T08:00:00.000Z");

      await assert.rejects(
        () => ordersImport(store, bad),
        isInvalid(
          /^Cannot import bad\.csv, nothing was written: line 4: amount must be a number/,
        ),
      );
      assert.equal(await store.orders.get("ORD7"), null);
      assert.equal(await store.orders.count(), 2);

      await assert.rejects(
        () => ordersImport(store, `${dir}/missing.csv`),
        isInvalid(/^Cannot read .*missing\.csv: it does not exist$/),
      );
      await assert.rejects(
        () => ordersGet(store, "ORD404"),
        (e: unknown) => e instanceof AppError && e.code === "not_found",
      );

      await store.accounts.upsert({
        email: "shop@example.com",
        tokens: {
          accessToken: "ya29.cli-secret",
          refreshToken: "1//cli-secret",
          expiryDate: null,
        },
      });
      const list = await accountsList(store);
      assert.equal(list.length, 1);
      assert.equal(list[0]?.email, "shop@example.com");
      assert.equal(list[0]?.status, "active");
      assert.ok(!JSON.stringify(list).includes("cli-secret"));
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
