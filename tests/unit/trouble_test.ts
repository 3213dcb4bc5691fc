import assert from "node:assert/strict";
import { unaskedMishap } from "../../pipeline/answer/trouble.ts";

/** Closeness by spelling only: 1 when the text holds the word, else 0. */
const literal = (w: string, t: string) =>
  t.toLowerCase().includes(w.toLowerCase()) ? 1 : 0;
/** "well" (as in "Hope you're all doing well") comes close to "problems". */
const wellNearProblems = (_w: string, t: string) =>
  /\bwell\b/.test(t) ? 0.67 : 0;

type Near = (w: string, t: string) => number;

/** [why, heading, ask, rest of the email, closeness, mishap left unasked]. */
const CASES: Array<[string, string, string, string, Near, RegExp | null]> = [
  [
    "a section on a mishap the email never speaks of is not the answer",
    "Delivery problems",
    "how long it takes for my item to arrive",
    "",
    literal,
    /^problems$/,
  ],
  [
    "'charged' alone is no trouble: 'Charged twice' does not answer it",
    "Charged twice",
    "When is my card charged?",
    "",
    literal,
    /^twice$/,
  ],
  [
    "a negation in the email tells of trouble",
    "Delivery problems",
    "",
    "My parcel hasn't arrived and it is a week late",
    literal,
    null,
  ],
  [
    "a word of trouble in the email",
    "Delivery problems",
    "",
    "the box came damaged, what do I do",
    literal,
    null,
  ],
  [
    "the mishap named in the email",
    "Delivery problems",
    "",
    "I think there is a problem with my delivery",
    literal,
    null,
  ],
  [
    "a word of the ask close in meaning to the mishap",
    "Lost property",
    "Is my scarf at reception?",
    "",
    () => 0.7,
    null,
  ],
  [
    "'I left my hoodie' tells of a lost thing",
    "Lost property",
    "I left my hoodie at the gym, can you post it?",
    "",
    literal,
    null,
  ],
  [
    "'Late check-out' names no mishap",
    "Late check-out",
    "Can we stay in the room longer on the last day?",
    "",
    literal,
    null,
  ],
  [
    "'Late deliveries' names one",
    "Late deliveries",
    "How long does delivery take?",
    "",
    literal,
    /late/i,
  ],
  [
    "a heading that names no mishap never blocks an answer",
    "Shipping options",
    "how long does shipping take",
    "",
    literal,
    null,
  ],
  [
    "closeness in meaning is read from the ask only, not from a greeting",
    "Delivery problems",
    "how long it takes for my item to arrive",
    "Hope you're all doing well!",
    wellNearProblems,
    /^problems$/,
  ],
];

Deno.test("unaskedMishap(): a section on a mishap answers only an email that tells of trouble", async (t) => {
  for (const [why, heading, ask, context, near, want] of CASES) {
    await t.step(why, () => {
      const got = unaskedMishap(heading, { ask, context }, near);
      if (want === null) assert.equal(got, null);
      else assert.match(got ?? "", want);
    });
  }
});
