/**
 * `isGrounded` over the bundled knowledge base: its own sentences, quoted
 * verbatim, always pass; mechanical falsifications of them never do; and
 * faithful rewrites in a model's style pass.
 */
import assert from "node:assert/strict";
import { droppedDetail } from "../../pipeline/llm/grounded_rewrite.ts";
import { checkGrounding, sentencesOf } from "../../pipeline/llm/is_grounded.ts";
import { listKbFiles } from "../../pipeline/knowledge/load_documents.ts";
import { parseDocument } from "../../pipeline/knowledge/parse_document.ts";

const KB_DIR = new URL("../../knowledge_base", import.meta.url).pathname;

/** Groups of up to 3 consecutive sentences of every section. */
async function factGroups(): Promise<string[][]> {
  const groups: string[][] = [];
  for (const f of await listKbFiles(KB_DIR)) {
    const doc = parseDocument(
      "kb",
      f,
      await Deno.readTextFile(`${KB_DIR}/${f}`),
    );
    for (const s of doc.sections) {
      const sents = sentencesOf(s.text);
      for (let i = 0; i < sents.length; i += 3) {
        groups.push(sents.slice(i, i + 3));
      }
    }
  }
  return groups;
}

const MUTATIONS: Record<string, (t: string) => string> = {
  "a number plus one": (t) => t.replace(/\d+/, (d) => String(Number(d) + 1)),
  "a number doubled": (t) => t.replace(/\d+/, (d) => String(Number(d) * 2)),
  "days made weeks": (t) => t.replace(/\bdays\b/, "weeks"),
  "a negation dropped": (t) =>
    t.replace(/\b(is|are|do|does|can|will) not\b/, "$1")
      .replace(/\bcannot\b/, "can").replace(/\bdon't\b/, "do"),
  "a negation added": (t) =>
    t.replace(
      /\b(is|are|can|will)\b(?! not)/,
      (w) => w === "can" ? "cannot" : `${w} not`,
    ),
  "an invented sentence": (t) =>
    t + " We also offer free lifetime repairs on every product.",
  "an invented link": (t) => t.replace(/\.$/, " at https://shop.example/help."),
};

Deno.test("isGrounded() over the bundled knowledge base", async (t) => {
  const groups = await factGroups();
  assert.ok(groups.length >= 40, `only ${groups.length} groups`);

  await t.step(
    "every group of KB sentences quoted verbatim is grounded",
    () => {
      for (const facts of groups) {
        assert.deepEqual(checkGrounding(facts.join(" "), facts), { ok: true });
      }
    },
  );

  for (const [name, mutate] of Object.entries(MUTATIONS)) {
    await t.step(`${name}: rejected in every group it changes`, () => {
      let changed = 0;
      for (const facts of groups) {
        const text = facts.join(" ");
        const m = mutate(text);
        if (m === text) continue;
        changed++;
        assert.equal(checkGrounding(m, facts).ok, false, `accepted: ${m}`);
      }
      assert.ok(changed >= 10, `the mutation changed only ${changed} groups`);
    });
  }
});

Deno.test("isGrounded() accepts faithful rewrites of KB sentences", async (t) => {
  const cases: [string[], string][] = [
    [
      [
        "Standard shipping delivers in 3 to 5 business days.",
        "Express shipping delivers in 1 to 2 business days.",
      ],
      "Standard shipping takes 3 to 5 business days, while Express shipping takes 1 to 2 business days.",
    ],
    [
      ["Standard shipping costs $4.95 and is free on orders over $50."],
      "Standard shipping is $4.95, and it is free for orders over $50.",
    ],
    [
      [
        "Every product sold by Northwind Goods has a 1 year warranty from the delivery date.",
        "The warranty does not cover accidental damage, misuse, normal wear and tear, or changes made by the customer.",
      ],
      "All our products come with a 1 year warranty from the delivery date. Please note that the warranty does not cover accidental damage, misuse, normal wear and tear, or changes you make yourself.",
    ],
    [
      [
        "Gift cards are valid for 3 years from the date of purchase.",
        "Gift cards cannot be exchanged for cash and cannot be refunded.",
      ],
      "Gift cards are valid for 3 years from the date of purchase. They cannot be exchanged for cash and cannot be refunded.",
    ],
    [
      [
        "To reset your password, select Forgot password on the sign-in page and enter your account email address.",
        "We email you a reset link that is valid for 1 hour.",
      ],
      "To reset your password, select Forgot password on the sign-in page and enter the email address of your account. We will email you a reset link, which is valid for 1 hour.",
    ],
    [
      [
        "We accept credit and debit cards from Visa, Mastercard and American Express, as well as PayPal, Apple Pay and Google Pay.",
        "We do not accept cash on delivery, cheques or cryptocurrency.",
      ],
      "We accept Visa, Mastercard and American Express credit and debit cards, as well as PayPal, Apple Pay and Google Pay. We do not accept cash on delivery, cheques or cryptocurrency.",
    ],
    [
      [
        "Tracking information can take up to 24 hours to appear on the carrier's website after dispatch.",
      ],
      "It can take up to 24 hours after dispatch for the tracking information to show on the carrier's website.",
    ],
    [
      ["There is no cancellation fee for orders cancelled before they ship."],
      "There is no fee for cancelling an order before it ships.",
    ],
    [
      [
        "Return shipping is free for items that arrive damaged, faulty or wrong.",
      ],
      "If your item arrived damaged, faulty or wrong, return shipping is free.",
    ],
  ];
  for (const [facts, text] of cases) {
    await t.step(text.slice(0, 60), () => {
      assert.deepEqual(checkGrounding(text, facts), { ok: true });
      assert.equal(droppedDetail(text, facts), null);
    });
  }
  await t.step(
    "a rewrite that states the customer's order status is rejected",
    () => {
      const r = checkGrounding(
        "Since your order has already shipped, it can no longer be cancelled.",
        ["Once an order has shipped and left our warehouse, it can no longer be cancelled."],
      );
      assert.equal(r.ok, false);
    },
  );
});
