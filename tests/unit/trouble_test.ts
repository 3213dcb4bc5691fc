import assert from "node:assert/strict";
import { unaskedMishap } from "../../pipeline/answer/trouble.ts";

/** Closeness by spelling only: 1 when the text holds the word, else 0. */
const literal = (w: string, t: string) =>
  t.toLowerCase().includes(w.toLowerCase()) ? 1 : 0;

Deno.test("a section on a mishap the email never speaks of is not the answer", () => {
  assert.equal(
    unaskedMishap(
      "Delivery problems",
      "how long it takes for my item to arrive",
      literal,
    ),
    "problems",
  );
  assert.equal(
    unaskedMishap("Charged twice", "When is my card charged?", literal),
    "twice",
  );
});

Deno.test("a customer who tells of trouble, or names it, may be answered from the mishap's section", () => {
  for (
    const email of [
      "My parcel hasn't arrived and it is a week late",
      "the box came damaged, what do I do",
      "I think there is a problem with my delivery",
    ]
  ) {
    assert.equal(unaskedMishap("Delivery problems", email, literal), null);
  }
  // A word of the email close in meaning to the mishap counts too.
  assert.equal(
    unaskedMishap("Lost property", "I left my hoodie at the gym", () => 0.7),
    null,
  );
});

Deno.test("a heading that names no mishap never blocks an answer", () => {
  assert.equal(
    unaskedMishap("Shipping options", "how long does shipping take", literal),
    null,
  );
});
