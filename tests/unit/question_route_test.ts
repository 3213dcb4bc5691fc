/**
 * Which emails are looked up in the knowledge base: a sure Question always;
 * an Other or unsure email only when it asks something in so many words;
 * a Refund that speaks of a refund never (it has its own flow); one in name
 * only is read like Other.
 */
import assert from "node:assert/strict";
import { questionRoute } from "../../pipeline/decide/question_route.ts";
import type { Category } from "../../pipeline/types.ts";

const c = (category: Category, confidence: number) => ({
  category,
  confidence,
  scores: { Question: 0, Refund: 0, Other: 0, [category]: confidence },
});
const email = (body: string) => ({ subject: "", body });

Deno.test("questionRoute() sends a sure Question to the knowledge base", () => {
  assert.deepEqual(
    questionRoute(c("Question", 0.9), 0.6, email("Shipping times")),
    { route: "question" },
  );
});

Deno.test("questionRoute() tries an Other that asks, keeping its review reason", () => {
  const body = "Hi, I bought my bike in April. Do I get a free service?";
  assert.deepEqual(questionRoute(c("Other", 0.9), 0.6, email(body)), {
    route: "asks",
    reason: "needs_human",
  });
  assert.deepEqual(questionRoute(c("Question", 0.4), 0.6, email(body)), {
    route: "asks",
    reason: "low_confidence",
  });
});

Deno.test("questionRoute() tries an Other whose subject asks, with an empty body or a phone's signature", () => {
  for (const body of ["", "Sent from my iPhone"]) {
    assert.deepEqual(
      questionRoute(c("Other", 0.9), 0.6, {
        subject: "Re: How much does it cost to send a bike back?",
        body,
      }),
      { route: "asks", reason: "needs_human" },
    );
  }
});

Deno.test("questionRoute() leaves an Other that asks nothing to a person", () => {
  assert.deepEqual(
    questionRoute(
      c("Other", 0.9),
      0.6,
      email("i would like you just stop it."),
    ),
    { route: null, reason: "needs_human" },
  );
});

Deno.test("questionRoute() never answers a Refund from the knowledge base", () => {
  const body = "When will I see my money back?";
  assert.equal(questionRoute(c("Refund", 0.3), 0.6, email(body)).route, null);
  assert.equal(questionRoute(c("Refund", 0.9), 0.6, email(body)).route, null);
});

Deno.test("questionRoute() reads a Refund with no refund wording like Other: it asks, so it is tried", () => {
  // Real customer wording the classifier called Refund (dev_mobile, dev_gym).
  for (
    const body of [
      "Does the esim work on an iPhone 13? Bought it outright last year.",
      "can off peak members come in on saturdays? and how much is off peak",
      "Is there a minimum period I have to stay for on the monthly one?",
    ]
  ) {
    assert.deepEqual(questionRoute(c("Refund", 0.9), 0.6, email(body)), {
      route: "asks",
      reason: "needs_human",
    }, body);
  }
  assert.deepEqual(
    questionRoute(c("Refund", 0.9), 0.6, email("I am not happy at all.")),
    { route: null, reason: "needs_human" },
  );
});
