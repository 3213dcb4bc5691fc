import assert from "node:assert/strict";
import {
  checkGrounding,
  isGrounded,
  MAX_REWRITE_CHARS,
} from "../../pipeline/llm/is_grounded.ts";

/** Sentences as the extractive answer quotes them from the knowledge base. */
const REFUND_FACTS = [
  "You can get a refund within 30 days from the order date.",
  "Orders older than 30 days from the order date are not eligible for a refund, but faulty items may still be covered by the warranty.",
  "Once we approve a refund, it takes 5 to 10 business days for the money to appear on your statement.",
  "We approve a refund within 2 business days of receiving your returned item at our warehouse.",
  "Refunds go back to the original payment method.",
];
const RETURN_FACTS = [
  "Return shipping is free for items that arrive damaged, faulty or wrong.",
  "For all other returns, a return shipping fee of $5.95 is deducted from your refund.",
  "Customers without an account can start a return from the Returns page at https://shop.example/returns with their order number and email address.",
  "You can also write to support@shop.example.",
];

Deno.test("isGrounded() accepts paraphrases of the facts", async (t) => {
  const cases: [string, string, string[]][] = [
    [
      "reworded refund window",
      "You can get a refund within 30 days of the order date.",
      REFUND_FACTS,
    ],
    [
      "two facts in two sentences, range kept",
      "Once a refund is approved, the money appears on your statement within 5 to 10 business days. Refunds go back to your original payment method.",
      REFUND_FACTS,
    ],
    [
      "range written with a dash",
      "After we approve your refund, it takes 5-10 business days for the money to appear on your statement.",
      REFUND_FACTS,
    ],
    [
      "a negative fact kept negative, with courtesy words",
      "Unfortunately, orders older than 30 days from the order date are not eligible for a refund.",
      REFUND_FACTS,
    ],
    [
      "number written as a word",
      "You can get a refund within thirty days from the order date.",
      REFUND_FACTS,
    ],
    [
      "an amount and a link quoted exactly",
      "For other returns, a return shipping fee of $5.95 is deducted from your refund. Customers without an account can start a return at https://shop.example/returns.",
      RETURN_FACTS,
    ],
    [
      "an email address from the facts",
      "You can write to support@shop.example.",
      RETURN_FACTS,
    ],
  ];
  for (const [name, text, facts] of cases) {
    await t.step(name, () => {
      assert.deepEqual(checkGrounding(text, facts), { ok: true });
    });
  }
  await t.step("the customer's name is allowed when passed", () => {
    const text = "Jane, refunds go back to the original payment method.";
    assert.equal(isGrounded(text, REFUND_FACTS), false);
    assert.equal(
      isGrounded(text, REFUND_FACTS, { allowedWords: ["Jane"] }),
      true,
    );
  });
});

Deno.test("isGrounded() rejects what the facts do not say", async (t) => {
  const cases: [string, string, string[], RegExp][] = [
    [
      "an invented number (60 days when the facts say 30)",
      "You can get a refund within 60 days from the order date.",
      REFUND_FACTS,
      /^unsupported_number \(sentence 1\)$/,
    ],
    [
      "an invented number written as a word",
      "You can get a refund within sixty days from the order date.",
      REFUND_FACTS,
      /^unsupported_number/,
    ],
    [
      "a known number with another unit (30 business days)",
      "You can get a refund within 30 business days from the order date.",
      REFUND_FACTS,
      /^unsupported_quantity/,
    ],
    [
      "a known number as a percentage",
      "You get 30% of the order back as a refund.",
      REFUND_FACTS,
      /^unsupported_quantity/,
    ],
    [
      "an amount in another currency",
      "A return shipping fee of £5.95 is deducted from your refund.",
      RETURN_FACTS,
      /^unsupported_quantity/,
    ],
    [
      "a number moved to another fact (refund takes 2 business days)",
      "Your money will appear on your statement within 2 business days.",
      REFUND_FACTS,
      /^unsupported_clause \(sentence 1\)$/,
    ],
    [
      "an invented policy sentence after a true one",
      "You can get a refund within 30 days from the order date. We also offer free express shipping on every exchange.",
      REFUND_FACTS,
      /^unsupported_term \(sentence 2\)$/,
    ],
    [
      "an added URL",
      "You can get a refund within 30 days from the order date at https://shop.example/refund-form.",
      REFUND_FACTS,
      /^unsupported_link$/,
    ],
    [
      'a condition dropped ("without an account" left out)',
      "You can start a return at https://shop.example/returns.",
      RETURN_FACTS,
      /^negation_mismatch/,
    ],
    [
      "an added email address",
      "Write to refunds@shop.example to start a return.",
      RETURN_FACTS,
      /^unsupported_link$/,
    ],
    [
      "a negation flip (not eligible → eligible)",
      "Orders older than 30 days from the order date are eligible for a refund.",
      REFUND_FACTS,
      /^negation_mismatch/,
    ],
    [
      "an added negation",
      "You cannot get a refund within 30 days from the order date.",
      REFUND_FACTS,
      /^negation_mismatch/,
    ],
    [
      "free shipping turned into not free",
      "Return shipping is not free for items that arrive damaged.",
      RETURN_FACTS,
      /^negation_mismatch/,
    ],
    [
      "CANNOT_ANSWER",
      "CANNOT_ANSWER",
      REFUND_FACTS,
      /^cannot_answer$/,
    ],
    [
      "CANNOT_ANSWER after text",
      "Refunds go back to the original payment method. CANNOT_ANSWER",
      REFUND_FACTS,
      /^cannot_answer$/,
    ],
    [
      "a greeting the template already adds",
      "Hi Jane, refunds go back to the original payment method.",
      REFUND_FACTS,
      /^greeting_or_signoff$/,
    ],
    [
      "markdown",
      "- Refunds go back to the original payment method.",
      REFUND_FACTS,
      /^markup$/,
    ],
    [
      "more sentences than four and than the facts it restates",
      Array(6).fill("Refunds go back to the original payment method.").join(
        " ",
      ),
      REFUND_FACTS,
      /^too_many_sentences$/,
    ],
    [
      "over the length limit",
      "Refunds go back to the original payment method, ".repeat(20) + ".",
      REFUND_FACTS,
      /^too_long$/,
    ],
    ["empty", "   ", REFUND_FACTS, /^empty$/],
    [
      "words of several facts stitched into a new claim",
      "Faulty items go back to the warehouse within the warranty.",
      REFUND_FACTS,
      /^unsupported_clause \(sentence 1\)$/,
    ],
  ];
  for (const [name, text, facts, reason] of cases) {
    await t.step(name, () => {
      const r = checkGrounding(text, facts);
      assert.equal(r.ok, false, `accepted: ${text}`);
      if (!r.ok) assert.match(r.reason, reason);
      assert.equal(isGrounded(text, facts), false);
    });
  }
  await t.step("the length limit is the documented one", () => {
    assert.equal(MAX_REWRITE_CHARS, 700);
  });
});
