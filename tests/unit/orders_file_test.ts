/** parseOrdersFile(): CSV and JSON lines, validated row by row. */
import assert from "node:assert/strict";
import { parseCsv } from "../../db/csv.ts";
import { parseOrdersFile } from "../../db/orders_file.ts";
import { readSampleOrders } from "../../db/sample_orders.ts";

const HEADER = "order_id,customer_email,order_date,amount,status";

Deno.test("parseOrdersFile()", async (t) => {
  await t.step(
    "reads CSV with quoted fields, CRLF and any column order",
    () => {
      const text = [
        "status,order_id,amount,customer_email,order_date",
        "Delivered,ORD1,49.99,Alice@Example.com,2026-11-18",
        '"shipped, partly",ORD2,"1,5",bob@example.com,2026-11-20T10:00:00Z',
      ].join("\r\n").replace('"1,5"', "15");
      const r = parseOrdersFile(text, "orders.csv");
      assert.ok(r.ok, JSON.stringify(r));
      assert.deepEqual(r.orders[0], {
        orderId: "ORD1",
        customerEmail: "alice@example.com",
        orderDate: new Date("2026-11-18T00:00:00.000Z"),
        amount: 49.99,
        status: "delivered",
        refundRequestedAt: null,
      });
      assert.equal(r.orders[1]?.status, "shipped, partly");
      assert.deepEqual(
        r.orders[1]?.orderDate,
        new Date("2026-11-20T10:00:00Z"),
      );
    },
  );

  await t.step("reports every bad row with its line number", () => {
    const text = [
      HEADER,
      "ORD1,a@example.com,2026-11-01,10,delivered",
      "",
      "ORD2,b@example.com,2026-11-02,abc,delivered",
      "ORD3,not-an-email,someday,5,",
      "ord1,c@example.com,2026-11-03,1,shipped",
    ].join("\n");
    const r = parseOrdersFile(text, "orders.csv");
    assert.equal(r.ok, false);
    assert.deepEqual(!r.ok && r.errors, [
      'line 4: amount must be a number of 0 or more: current value is "abc"',
      'line 5: customer_email must be an email address: current value is "not-an-email"',
      'line 5: order_date must be a date (YYYY-MM-DD or ISO 8601): current value is "someday"',
      'line 5: status must be a non-empty text: current value is ""',
      "line 6: order_id ord1 repeats line 2",
    ]);
  });

  await t.step("rejects a header without the required columns", () => {
    const r = parseOrdersFile("id,email\n1,a@example.com\n", "x.csv");
    assert.equal(r.ok, false);
    assert.match(
      !r.ok ? r.errors[0]! : "",
      /line 1: .*missing order_id, customer_email, order_date, amount, status/,
    );
  });

  await t.step("reads JSON lines by extension or by a leading brace", () => {
    const line = (id: string, amount: unknown) =>
      JSON.stringify({
        order_id: id,
        customer_email: "a@example.com",
        order_date: "2026-11-01",
        amount,
        status: "shipped",
      });
    const ok = parseOrdersFile(
      `${line("J1", 12.5)}\n\n${line("J2", "7")}\n`,
      "o.txt",
    );
    assert.ok(ok.ok);
    assert.deepEqual(ok.orders.map((o) => o.amount), [12.5, 7]);
    const bad = parseOrdersFile(
      `${line("J1", 1)}\n{oops\n${line("J3", -1)}`,
      "o.jsonl",
    );
    assert.equal(bad.ok, false);
    const errors = !bad.ok ? bad.errors : [];
    assert.match(errors[0]!, /^line 2: not valid JSON/);
    assert.equal(
      errors[1],
      "line 3: amount must be a number of 0 or more: current value is -1",
    );
  });

  await t.step("reads a JSON array and names items", () => {
    const r = parseOrdersFile('[{"order_id":"A"}]', "o.json");
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.errors[0]! : "", /^item 1: customer_email/);
  });

  await t.step("rejects an empty file and an unclosed quote", () => {
    assert.deepEqual(parseOrdersFile(HEADER + "\n", "e.csv"), {
      ok: false,
      errors: ["e.csv holds no orders"],
    });
    const r = parseOrdersFile(
      `${HEADER}\nORD1,"a@example.com,2026-11-01,1,x\n`,
      "q.csv",
    );
    assert.match(
      !r.ok ? r.errors[0]! : "",
      /line 2: a quoted field is not closed/,
    );
  });
});

Deno.test("parseCsv() keeps line numbers across quoted line breaks", () => {
  const recs = parseCsv('a,b\n"x\ny",z\nlast,"q""uote"\n');
  assert.deepEqual(recs, [
    { line: 1, fields: ["a", "b"] },
    { line: 2, fields: ["x\ny", "z"] },
    { line: 4, fields: ["last", 'q"uote'] },
  ]);
});

Deno.test("the bundled sample orders are valid and shift to the current day", async () => {
  const asOf = await readSampleOrders(new Date("2026-11-24T12:00:00Z"));
  assert.ok(asOf.length >= 20);
  const first = asOf.find((o) => o.orderId === "ORD10001");
  assert.deepEqual(first?.orderDate, new Date("2026-11-18T00:00:00Z"));
  assert.ok(asOf.some((o) => o.customerEmail === "bob@example.com"));
  const later = await readSampleOrders(new Date("2027-03-10T08:00:00Z"));
  assert.deepEqual(
    later.find((o) => o.orderId === "ORD10001")?.orderDate,
    new Date("2027-03-04T00:00:00Z"),
  );
});
