import assert from "node:assert/strict";
import { unaskedMishap } from "../../pipeline/answer/trouble.ts";

/** Closeness by spelling only: 1 when the text holds the word, else 0. */
const literal = (w: string, t: string) =>
  t.toLowerCase().includes(w.toLowerCase()) ? 1 : 0;

Deno.test("a section on a mishap the email never speaks of is not the answer", () => {
  assert.equal(
    unaskedMishap(
      "Delivery problems",
      { ask: "how long it takes for my item to arrive", context: "" },
      literal,
    ),
    "problems",
  );
  assert.equal(
    unaskedMishap(
      "Charged twice",
      { ask: "When is my card charged?", context: "" },
      literal,
    ),
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
    assert.equal(
      unaskedMishap("Delivery problems", { ask: "", context: email }, literal),
      null,
    );
  }
  // A word of the email close in meaning to the mishap counts too.
  assert.equal(
    unaskedMishap(
      "Lost property",
      { ask: "I left my hoodie at the gym", context: "" },
      () => 0.7,
    ),
    null,
  );
});

Deno.test("'Late check-out' names no mishap; 'Late deliveries' does", () => {
  assert.equal(
    unaskedMishap(
      "Late check-out",
      { ask: "Can we stay in the room longer on the last day?", context: "" },
      literal,
    ),
    null,
  );
  assert.match(
    unaskedMishap(
      "Late deliveries",
      { ask: "How long does delivery take?", context: "" },
      literal,
    ) ?? "",
    /late/i,
  );
});

Deno.test("'I left my hoodie' tells of a lost thing", () => {
  assert.equal(
    unaskedMishap(
      "Lost property",
      { ask: "I left my hoodie at the gym, can you post it?", context: "" },
      literal,
    ),
    null,
  );
});

Deno.test("a heading that names no mishap never blocks an answer", () => {
  assert.equal(
    unaskedMishap(
      "Shipping options",
      { ask: "how long does shipping take", context: "" },
      literal,
    ),
    null,
  );
});

Deno.test("closeness in meaning is read from the ask only, not from a greeting or a signature", () => {
  // "well" (as in "Hope you're all doing well") comes close to "problems".
  const near = (_w: string, t: string) => /\bwell\b/.test(t) ? 0.67 : 0;
  assert.equal(
    unaskedMishap(
      "Delivery problems",
      {
        ask: "how long it takes for my item to arrive",
        context: "Hope you're all doing well!",
      },
      near,
    ),
    "problems",
  );
});
