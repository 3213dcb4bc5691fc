import assert from "node:assert/strict";
import {
  createSpelling,
  editDistance,
} from "../../pipeline/knowledge/spelling.ts";

const VOCABULARY = new Map([
  ["password", 3],
  ["newsletter", 2],
  ["unsubscribe", 1],
  ["deliver", 2],
  ["hear", 1],
  ["card", 2],
  ["cart", 2],
  ["help", 4],
]);
const REAL = new Set([
  "password",
  "newsletter",
  "unsubscribe",
  "deliver",
  "hear",
  "need",
  "help",
  "card",
  "cart",
  "u",
  "from",
  "my",
  "the",
]);
const correct = createSpelling(VOCABULARY, (w) => REAL.has(w));

Deno.test("editDistance() counts a swap of neighbouring letters as one edit", () => {
  assert.equal(editDistance("newslettre", "newsletter", 2), 1);
  assert.equal(editDistance("pssword", "password", 2), 1);
  assert.equal(editDistance("abc", "xyz", 1), 2);
});

Deno.test("a misspelt word becomes the knowledge base's word one edit away, two for long words", () => {
  assert.equal(correct("reset my pssword"), "reset my password");
  assert.equal(
    correct("unsubsrcibe from the newslettre"),
    "unsubscribe from the newsletter",
  );
});

Deno.test("two words run together are split when both are real words", () => {
  assert.equal(correct("I needhelp"), "I need help");
});

Deno.test("names, real words, short words and ties are left as written", () => {
  // "Hvar" is one edit from "hear", but a capitalised word inside a sentence is a name.
  assert.equal(correct("Do you ship to Hvar?"), "Do you ship to Hvar?");
  assert.equal(correct("my card"), "my card");
  assert.equal(correct("the crd"), "the crd");
  // "carx" is one edit from both "card" and "cart", equally frequent: no guess.
  assert.equal(correct("my carx"), "my carx");
});

Deno.test("a text of endless made-up words is looked up a bounded number of times", () => {
  const garbage = Array.from({ length: 5_000 }, (_, i) => `pssword${i % 10}x`)
    .join(" ");
  const words = correct(`reset my pssword ${garbage}`).split(" ");
  assert.equal(words[2], "password");
  // The speller stops after MAX_LOOKUPS unknown words; the rest stay as written.
  assert.equal(words.at(-1), `pssword9x`);
});
