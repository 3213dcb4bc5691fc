import assert from "node:assert/strict";
import {
  canonicalOrderId,
  extractOrderIds,
  findOrderIds,
} from "../../pipeline/refund/order_ids.ts";

const noPattern = { pattern: null };

Deno.test("extractOrderIds() finds the default forms and normalises them", async (t) => {
  const cases: Array<[string, string[]]> = [
    ["Please refund ORD12345", ["ORD12345"]],
    ["my order id is ORD123", ["ORD123"]],
    ["My order id is ORD12345, thanks", ["ORD12345"]],
    ["refund for ord-12345 please", ["ORD12345"]],
    ["refund for ORD 98765 please", ["ORD98765"]],
    ["my order #12345 arrived broken", ["ORD12345"]],
    ["Order number: 55555", ["ORD55555"]],
    ["order no. 4444 was wrong", ["ORD4444"]],
    ["Order No 4444", ["ORD4444"]],
    ["order id is 777888", ["ORD777888"]],
    ["order ref: 1234567", ["ORD1234567"]],
    ["Order number is ORD-31337.", ["ORD31337"]],
    ["(ORD12345)", ["ORD12345"]],
  ];
  for (const [text, want] of cases) {
    await t.step(JSON.stringify(text), () => {
      assert.deepEqual(extractOrderIds(text, noPattern), want);
    });
  }
});

Deno.test("extractOrderIds() never takes a plain word or stray number", async (t) => {
  const cases = [
    "my order id is missing",
    "my order id is IS",
    "I ordered 12345 things",
    "record 12345 shows",
    "ORDER NOW",
    "call me on 555 1234",
    "the order of 2024 items",
    "ORD12", // too short
    "ORD12345678901", // too long
    "XORD12345",
    "ORD12345X",
  ];
  for (const text of cases) {
    await t.step(JSON.stringify(text), () => {
      assert.deepEqual(extractOrderIds(text, noPattern), []);
    });
  }
});

Deno.test("extractOrderIds() keeps several ids in order, without repeats", () => {
  assert.deepEqual(
    extractOrderIds(
      "Refund ORD222 and order #111, also ORD-222 again",
      noPattern,
    ),
    ["ORD222", "ORD111"],
  );
  const many = Array.from({ length: 9 }, (_, i) => `ORD${1000 + i}`).join(" ");
  assert.equal(extractOrderIds(many, noPattern).length, 5);
});

Deno.test("extractOrderIds() uses a configured pattern: capture group or whole match", () => {
  assert.deepEqual(
    extractOrderIds("ref AB-12-XY please", { pattern: "\\b(AB-\\d+-XY)\\b" }),
    ["AB-12-XY"],
  );
  assert.deepEqual(
    extractOrderIds("ticket sh99001 here", { pattern: "\\bSH\\d{5}\\b" }),
    ["SH99001"],
  );
  // A pattern that matches plain words still never yields a word.
  assert.deepEqual(
    extractOrderIds("my order id is here", { pattern: "\\bis\\s+(\\w+)" }),
    [],
  );
});

Deno.test("canonicalOrderId() maps bare numbers to ORD<number>", () => {
  assert.equal(canonicalOrderId("12345"), "ORD12345");
  assert.equal(canonicalOrderId(" ord-12345 "), "ORD12345");
  assert.equal(canonicalOrderId("ORD 12345"), "ORD12345");
});

Deno.test("findOrderIds() prefers body, then case, then subject, then thread", () => {
  const base = {
    subject: "Refund ORD111",
    body: "",
    caseOrderIds: [] as string[],
    threadTexts: [] as string[],
  };
  assert.deepEqual(findOrderIds({ ...base, body: "it's ORD222" }, noPattern), {
    ids: ["ORD222"],
    source: "body",
  });
  assert.deepEqual(findOrderIds(base, noPattern), {
    ids: ["ORD111"],
    source: "subject",
  });
  assert.deepEqual(
    findOrderIds(
      {
        ...base,
        subject: "Re: ORD1 and ORD2",
        caseOrderIds: ["ORD1", "ORD333"],
      },
      noPattern,
    ),
    { ids: ["ORD333"], source: "case" },
  );
  assert.deepEqual(
    findOrderIds({
      ...base,
      subject: "Re: refund",
      threadTexts: ["first ORD444", "no id here"],
    }, noPattern),
    { ids: ["ORD444"], source: "thread" },
  );
  assert.deepEqual(
    findOrderIds({ ...base, subject: "Re: refund" }, noPattern),
    { ids: [], source: "none" },
  );
});
