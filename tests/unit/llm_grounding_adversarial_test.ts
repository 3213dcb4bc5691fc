/**
 * The attack on the grounding check (eval/llm_grounding_adversarial.json):
 * no rewrite that changes or invents a fact is accepted, and at most a
 * fifth of the harmless paraphrases are rejected, on the tuning split and
 * on the held-out split alike.
 */
import assert from "node:assert/strict";
import {
  readAdversarialSet,
  scoreSplit,
} from "../../eval/grounding_adversarial.ts";
import { checkGrounding } from "../../pipeline/llm/is_grounded.ts";
import { clausesOf, readClause } from "../../pipeline/llm/claim_units.ts";

const set = await readAdversarialSet();

Deno.test("the adversarial set has at least 100 dangerous rewrites and 40 paraphrases, some held out", () => {
  const n = (expect: string, split?: string) =>
    set.cases.filter((c) =>
      c.expect === expect && (!split || c.split === split)
    ).length;
  assert.ok(n("reject") >= 100, `${n("reject")} dangerous`);
  assert.ok(n("accept") >= 40, `${n("accept")} harmless`);
  assert.ok(n("reject", "holdout") >= 30);
  assert.ok(n("accept", "holdout") >= 10);
});

for (const split of ["tune", "holdout"]) {
  Deno.test(`checkGrounding accepts no dangerous rewrite of the ${split} split`, async (t) => {
    for (
      const c of set.cases.filter((c) =>
        c.split === split && c.expect === "reject"
      )
    ) {
      await t.step(`${c.id} ${c.kind}: ${c.text}`, () => {
        const r = checkGrounding(c.text, set.fact_sets[c.facts]!);
        assert.equal(r.ok, false, `accepted: ${c.text}`);
      });
    }
  });

  Deno.test(`checkGrounding rejects at most 20% of the harmless paraphrases of the ${split} split`, () => {
    const s = scoreSplit(set, split);
    assert.equal(s.accepted, 0);
    assert.ok(
      s.false_rejection_rate <= 0.2,
      `false rejections ${s.false_rejections}/${s.harmless}: ${s.misses}`,
    );
  });
}

Deno.test("a qualifier keeps the number or words it qualifies", () => {
  const over = readClause("Standard shipping is free on orders over $50");
  assert.deepEqual(
    over.qualifiers.map((q) => [q.kind, [...q.anchor]]),
    [["gt", ["50"]]],
  );
  const before = readClause("for orders placed before 2 pm on a business day");
  assert.deepEqual(before.qualifiers[0]?.kind, "before");
  assert.ok(before.qualifiers[0]?.anchor.has("2"));
  // "over weekends" compares nothing.
  assert.deepEqual(readClause("especially over weekends").qualifiers, []);
  // Comparison and modal words are qualifiers, not dropped as stop words.
  const kinds = (t: string) => readClause(t).qualifiers.map((q) => q.kind);
  assert.deepEqual(kinds("refunds only after 30 days"), ["only", "after"]);
  assert.deepEqual(kinds("the fee is not refunded unless it arrived late"), [
    "not",
    "except",
  ]);
  assert.deepEqual(kinds("your bank may add a fee"), ["may"]);
  assert.deepEqual(kinds("items must be unused"), ["must"]);
  assert.deepEqual(kinds("your order has shipped"), ["perfect"]);
  assert.deepEqual(kinds("we refunded the order"), ["past"]);
  assert.deepEqual(kinds("your order is cancelled"), ["status"]);
  assert.deepEqual(kinds("once your order is cancelled"), ["cond"]);
});

Deno.test("clausesOf splits at clause breaks, not inside lists or conditions, and lends the subject", () => {
  const texts = (s: string) => clausesOf(s).map((c) => c.text);
  assert.deepEqual(
    texts("Standard shipping costs $4.95 and is free on orders over $50."),
    [
      "Standard shipping costs $4.95",
      "Standard shipping is free on orders over $50",
    ],
  );
  assert.deepEqual(
    texts("We do not accept cash on delivery, cheques, and cryptocurrency."),
    ["We do not accept cash on delivery, cheques, and cryptocurrency"],
  );
  assert.deepEqual(
    texts(
      "If both charges remain after 5 business days, send us your order number and we will investigate.",
    ).length,
    1,
  );
  const pronoun = clausesOf(
    "Express shipping costs $12.95, and it is free on orders over $50.",
  );
  assert.equal(pronoun[1]?.text, "Express shipping is free on orders over $50");
});

Deno.test("a clause is backed by one fact clause: a subject swapped behind a pronoun is rejected", () => {
  const facts = [
    "Standard shipping costs $4.95 and is free on orders over $50.",
    "Express shipping costs $12.95 on every order.",
  ];
  assert.deepEqual(
    checkGrounding(
      "Standard shipping is $4.95, and it is free for orders over $50.",
      facts,
    ),
    { ok: true },
  );
  assert.equal(
    checkGrounding(
      "Express shipping costs $12.95, and it is free on orders over $50.",
      facts,
    ).ok,
    false,
  );
  assert.equal(
    checkGrounding(
      "Standard shipping costs $4.95 on orders over $50.",
      facts,
    ).ok,
    false,
  );
});

Deno.test("courtesy alone passes, courtesy carrying a promise does not", () => {
  const facts = ["Refunds go back to the original payment method."];
  assert.deepEqual(
    checkGrounding(
      "We are happy to help. Refunds go back to the original payment method.",
      facts,
    ),
    { ok: true },
  );
  assert.match(
    (checkGrounding(
      "We are happy to refund you to the original payment method.",
      facts,
    ) as { reason: string }).reason,
    /^unsupported_claim/,
  );
});

Deno.test('"you can" for a plain fact passes; "we can" is an offer the fact must make', () => {
  const facts = [
    "We accept credit and debit cards from Visa, Mastercard and American Express, as well as PayPal, Apple Pay and Google Pay.",
    "We do not accept cash on delivery, cheques or cryptocurrency.",
  ];
  assert.deepEqual(
    checkGrounding("You can pay with PayPal, Apple Pay or Google Pay.", facts),
    { ok: true },
  );
  assert.equal(
    checkGrounding("We can accept PayPal, Apple Pay or Google Pay.", facts).ok,
    false,
  );
  assert.equal(
    checkGrounding("You can pay by cheque or cryptocurrency.", facts).ok,
    false,
  );
});
