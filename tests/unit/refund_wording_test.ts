/**
 * hasRefundWording(): what makes a first email a refund matter when the
 * classifier says Refund.
 */
import assert from "node:assert/strict";
import { hasRefundWording } from "../../pipeline/refund/refund_wording.ts";

Deno.test("hasRefundWording() finds refunds, money back, returns and cancelled orders, with one typing slip", () => {
  for (
    const text of [
      "I want a refund",
      "a refuund for my sweater",
      "i would like a rfeund",
      "is it possible to ask for my moneey back?",
      "where can i get my 49 euros back",
      "you still owe me 1499 dollars",
      "how do I send them back?",
      "I need help cancelling the pruchase I made yesterday",
      "an order cancellation",
      "where do i demand a rebate of my money",
      "I expect a restitution of $12",
      "The kettle arrived broken",
      "it never arrived",
      "you sent the wrong size",
      "I was charged twice",
    ]
  ) assert.equal(hasRefundWording(text), true, text);
});

Deno.test("hasRefundWording() is false for plain questions the classifier called Refund", () => {
  for (
    const text of [
      "Does the esim work on an iPhone 13? Bought it outright last year.",
      "can off peak members come in on saturdays? and how much is off peak",
      "Is there a minimum period I have to stay for on the monthly one?",
      "if i dont use all my gigs this month do i lose them or do they carry on",
      "how late can i cancel a class without getting in trouble",
      "Is breakfast included for my 4 year old?",
      "How much money does the premium plan cost?",
    ]
  ) assert.equal(hasRefundWording(text), false, text);
});
