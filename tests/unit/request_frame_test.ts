import assert from "node:assert/strict";
import { withoutRequestFrame } from "../../pipeline/answer/request_frame.ts";

const CASES: Array<[string, string]> = [
  [
    "can you help me check your accepted payment options?",
    "your accepted payment options?",
  ],
  [
    "help me to check how long it takes for my item to arrive",
    "how long it takes for my item to arrive",
  ],
  [
    "can ya tell me at what time i can call customer service",
    "at what time i can call customer service",
  ],
  [
    "i want information about the cancellation of my account",
    "i want the cancellation of my account",
  ],
  [
    "I have got to see your fucking payment options",
    "I have got your payment options",
  ],
  ["wanna leave some feedback", "leave some feedback"],
];

/** Asks whose words are all the topic: nothing is taken off. */
const KEPT = [
  "What time is check in?",
  "can I check out late?",
  "Do you ship to Canada?",
  "How much does express shipping cost?",
  // A looking verb that is the question itself, not a request to be told.
  "Can I see the room before I book?",
  "Do you check the ID at reception?",
];

Deno.test("the words of how a customer asks are taken off the ask, the topic stays", () => {
  for (const [ask, topic] of CASES) {
    assert.equal(withoutRequestFrame(ask), topic, ask);
  }
});

Deno.test("an ask with no request frame, or with check in or check out, is kept whole", () => {
  for (const ask of KEPT) assert.equal(withoutRequestFrame(ask), ask);
});

Deno.test("an ask that is all request frame is kept whole rather than emptied", () => {
  assert.equal(withoutRequestFrame("can you help me?"), "can you help me?");
});

Deno.test("help as a thing ('a help page', 'the help centre') is not taken for a request frame", () => {
  for (const ask of ["Is there a help page?", "Where is the help centre?"]) {
    assert.equal(withoutRequestFrame(ask), ask);
  }
});
