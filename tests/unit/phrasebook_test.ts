/**
 * The phrasebook folds how customers say a thing onto how a knowledge base
 * writes it, on both sides, and keeps different things apart.
 */
import assert from "node:assert/strict";
import { tokenize } from "../../pipeline/knowledge/tokenize.ts";

/** True when every index term of `a` is among those of `b`. */
const meets = (a: string, b: string) => {
  const bs = new Set(tokenize(b));
  return tokenize(a).every((t) => bs.has(t));
};

Deno.test("phrasebook: paying in parts meets instalments", () => {
  assert.ok(meets("split the payment", "4 interest-free instalments"));
  assert.ok(meets("pay it off over time", "monthly instalments"));
  assert.ok(meets("a payment plan", "pay in installments"));
  assert.ok(meets("financing", "instalments with Klarna"));
});

Deno.test("phrasebook: card and coin names meet the knowledge base's words", () => {
  assert.ok(meets("Amex", "Visa, Mastercard, American Express"));
  assert.ok(meets("bitcoin", "We do not accept cryptocurrency"));
  assert.ok(meets("wire transfer", "pay by bank transfer"));
});

Deno.test("phrasebook: putting it together meets assembly", () => {
  assert.ok(meets("put it together", "you assemble the handlebar"));
  assert.ok(meets("does it come built", "bikes come assembled"));
});

Deno.test("phrasebook: different things stay apart", () => {
  assert.ok(!meets("bitcoin", "We accept PayPal"));
  assert.ok(
    !meets("pay monthly", "instalments"),
    "a monthly plan is not instalments",
  );
  assert.ok(!meets("build a website", "assemble"));
});

Deno.test("phrasebook: 'how far ahead' asks for days, 'how far' for a distance", () => {
  assert.ok(meets("how far ahead", "bookings open 7 days ahead"));
  assert.ok(meets("how far in advance", "7 days ahead"));
  assert.ok(!meets("how far ahead", "a range of 60 km"));
  assert.ok(meets("how far", "a range of 60 km distance"));
});

Deno.test("phrasebook: a synonym's index word is never itself mapped on (synonyms are followed once)", async () => {
  const { SYNONYMS } = await import("../../pipeline/knowledge/phrasebook.ts");
  for (const [word, to] of Object.entries(SYNONYMS)) {
    assert.ok(!(to in SYNONYMS), `${word} -> ${to} -> ${SYNONYMS[to]}`);
  }
  // "cheaper" was mapped to "price", itself mapped to "cost": they never met.
  assert.ok(meets("cheaper", "the price is 10"));
});

Deno.test("phrasebook: payment options, early exit penalties and customer assistance meet the shop's words", () => {
  assert.ok(meets("your payment options", "Payment methods"));
  assert.ok(meets("payment modalities", "Payment methods"));
  assert.ok(meets("the early termination penalty", "Cancellation fees"));
  assert.ok(meets("early exit penalties", "cancellation fee"));
  assert.ok(meets("customer assistance", "our customer service team"));
});

Deno.test("phrasebook: pausing or putting on hold meets a freeze, a sign-up fee meets a joining fee, nicked meets stolen", () => {
  assert.ok(meets("can I pause my membership", "freeze your membership"));
  assert.ok(meets("put my membership on hold", "freeze your membership"));
  assert.ok(meets("is there a sign up fee", "a one-off joining fee"));
  assert.ok(meets("my phone got nicked", "lost or stolen phone"));
  assert.ok(!meets("a card hold", "freeze"), "a hold on a card is no freeze");
});
