import assert from "node:assert/strict";
import {
  type ImportanceInput,
  scoreImportance,
} from "../../pipeline/decide/importance.ts";

const input = (body: string, extra: Partial<ImportanceInput> = {}) => ({
  subject: "Hello",
  body,
  senderAddress: "someone@example.com",
  vipSenders: [],
  priorFromSender: 0,
  ...extra,
});

Deno.test("scoreImportance() gives a plain email the base score and no reasons", () => {
  assert.deepEqual(scoreImportance(input("Do you sell blue mugs?")), {
    score: 2,
    reasons: [],
  });
});

Deno.test("scoreImportance() never counts a word inside another word", async (t) => {
  const negatives: Array<[string, string]> = [
    ["I need more tissue paper for the packing", "problem:"],
    [
      "Great deals this week.\n\nTo stop these emails, unsubscribe here.",
      "billing:",
    ],
    ["Your staff were very helpful, thanks!", "problem:"],
    ["The courtesy call was nice", "legal:"],
    ["The blueprint is attached", "legal:"],
    ["Our candidates are great", "complaint:"],
  ];
  for (const [body, kind] of negatives) {
    await t.step(JSON.stringify(body), () => {
      const r = scoreImportance(input(body));
      assert.ok(
        !r.reasons.some((x) => x.startsWith(kind)),
        `unexpected ${kind} in ${JSON.stringify(r.reasons)}`,
      );
      assert.ok(r.score <= 2, `score ${r.score}`);
    });
  }
});

Deno.test("scoreImportance() counts the real words the negatives look like", () => {
  assert.ok(
    scoreImportance(input("There is an issue")).reasons.includes(
      "problem:issue",
    ),
  );
  assert.ok(
    scoreImportance(input("I want to subscribe")).reasons.includes(
      "billing:subscribe",
    ),
  );
  assert.ok(
    scoreImportance(input("please help")).reasons.includes(
      "problem:help",
    ),
  );
});

Deno.test("scoreImportance() scores urgency, legal risk, tone, VIP and repeats with reasons", () => {
  const r = scoreImportance(
    input("URGENT: my lawyer says this is unacceptable", {
      senderAddress: "Boss@Example.com",
      vipSenders: ["boss@example.com"],
      priorFromSender: 2,
    }),
  );
  assert.equal(r.score, 5);
  for (
    const want of [
      "urgency:urgent",
      "legal:lawyer",
      "complaint:unacceptable",
      "vip_sender",
      "repeat_sender:2",
    ]
  ) assert.ok(r.reasons.includes(want), `missing ${want} in ${r.reasons}`);

  const legal = scoreImportance(input("I will file a chargeback"));
  assert.equal(legal.score, 4);
  assert.deepEqual(legal.reasons, ["legal:chargeback"]);

  const urgent = scoreImportance(input("I need this asap, deadline today"));
  assert.equal(urgent.score, 3);
  assert.deepEqual(urgent.reasons, [
    "urgency:asap",
    "urgency:deadline",
    "urgency:today",
  ]);
});

Deno.test("scoreImportance() hears shouting and lowers bulk mail", () => {
  const caps = scoreImportance(input("WHERE IS MY PARCEL, I PAID WEEKS AGO"));
  assert.ok(caps.reasons.includes("complaint:caps"));
  assert.equal(caps.score, 3);
  const bang = scoreImportance(input("Where is it!!!"));
  assert.ok(bang.reasons.includes("complaint:exclamations"));
  const bulk = scoreImportance(input("Our newsletter. Unsubscribe"));
  assert.equal(bulk.score, 1);
  assert.ok(bulk.reasons.includes("bulk:newsletter"));
});

Deno.test("scoreImportance() stays within 1..5", () => {
  const r = scoreImportance(input(
    "URGENT!!! lawyer fraud chargeback terrible worst broken invoice",
    { vipSenders: ["someone@example.com"], priorFromSender: 9 },
  ));
  assert.equal(r.score, 5);
});
