/**
 * Answers with the bundled word vectors on a small knowledge base written in
 * words customers do not use: the three cases, two asks in one
 * email, a partly covered email (review with a suggested draft), and
 * off-topic text.
 */
import assert from "node:assert/strict";
import {
  answerQuestion,
  type AskTrace,
} from "../../pipeline/answer/answer_question.ts";
import { createKnowledgeBase } from "../../pipeline/knowledge/knowledge_base.ts";
import {
  loadWordVectors,
  type WordVectors,
} from "../../pipeline/knowledge/word_vectors.ts";
import type { Retriever } from "../../pipeline/ports.ts";
import { silentLogger } from "../../app/ops/logger.ts";
import { textEmail } from "../../eval/text_email.ts";

const KB: Record<string, string> = {
  "returns.md": `---
title: Returns
---

## Sending a bike back

Unridden bikes can be returned within 30 days of delivery in their original box.
Return labels cost $5, which is taken off your refund. We refund the original
payment method within 7 business days of receiving the bike.
`,
  "warranty.md": `---
title: Warranty
---

## Frame warranty

Each frame carries a lifetime warranty against defects for the first owner.
Crash damage and normal wear are excluded.

## Components

Gears, brakes and wheels have a 2-year warranty from the date of purchase.
`,
  "sizing.md": `---
title: Sizing
---

## Frame sizes

Pick your frame by body height.
From 160 to 170 cm a size S fits best.
From 170 to 180 cm a size M fits best.
From 180 to 190 cm a size L fits best.
`,
  "payment.md": `---
title: Payment
---

## Payment methods

We accept Visa, Mastercard and PayPal at checkout. Cheques and cash on delivery
are not accepted.

## Spreading the cost

Orders from $200 can be split into 3 interest-free monthly instalments with
Klarna; choose Klarna as the payment option.
`,
  "roaming.md": `---
title: Roaming
---

## Roaming abroad

Roaming is switched on for all new lines. In Europe a daily roaming fee lets
you use your allowance as you would at home. The fee is charged only on a day
on which you call, text or use data abroad. Days are counted from midnight to
midnight UK time. Receiving calls alone does not trigger the fee. The daily fee
is £2.25 in Europe and £6 in the United States. Daily fees are capped at £22.50
per bill month. Roaming is not available on cruise ships.
`,
};

async function withKb(
  fn: (retriever: Retriever, vectors: WordVectors) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "answer_vectors_" });
  try {
    await Deno.mkdir(`${dir}/kb`);
    for (const [name, text] of Object.entries(KB)) {
      await Deno.writeTextFile(`${dir}/kb/${name}`, text);
    }
    const vectors = await loadWordVectors();
    const kb = createKnowledgeBase({
      dir: `${dir}/kb`,
      cacheDir: dir,
      logger: silentLogger,
      wordVectors: vectors,
    });
    await kb.reindex();
    await fn(kb.retriever, vectors);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Runs `fn` over the knowledge base of the dev answer set `name` (the
 * bundled one for "bundled"), with vectors.
 */
async function withDevKb(
  name: string,
  fn: (retriever: Retriever) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "answer_vectors_dev_" });
  try {
    const kb = createKnowledgeBase({
      dir: new URL(
        name === "bundled"
          ? "../../knowledge_base"
          : `../../eval/answers/${name}/kb`,
        import.meta.url,
      ).pathname,
      cacheDir: dir,
      logger: silentLogger,
      wordVectors: await loadWordVectors(),
    });
    await kb.reindex();
    await fn(kb.retriever);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const CONFIG = { answerThreshold: 0.5, signature: "Bike Team", shopName: "B" };

function ask(retriever: Retriever, text: string, traces: AskTrace[] = []) {
  return answerQuestion(textEmail(text), {
    retriever,
    config: CONFIG,
    onAsk: (t) => traces.push(t),
  });
}

Deno.test("answerQuestion() with word vectors answers in the customer's words", async (t) => {
  await withKb(async (retriever) => {
    await t.step(
      "a misspelt word is read as the knowledge base's word ('paypall')",
      async () => {
        const r = await ask(retriever, "do you take paypall?");
        assert.ok(r.ok, JSON.stringify(r));
        assert.match(r.reply, /PayPal/);
      },
    );
    await t.step(
      "'cost to send it back' finds 'Return labels cost $5'",
      async () => {
        const r = await ask(
          retriever,
          "how much does it cost to send it back?",
        );
        assert.ok(r.ok, JSON.stringify(r));
        assert.match(r.reply, /Return labels cost \$5/);
      },
    );
    await t.step(
      "'is the frame covered and for how long' finds the lifetime warranty",
      async () => {
        const r = await ask(
          retriever,
          "is the frame covered and for how long?",
        );
        assert.ok(r.ok, JSON.stringify(r));
        assert.match(r.reply, /lifetime warranty/);
        assert.doesNotMatch(r.reply, /2-year/);
      },
    );
    await t.step(
      "a height picks the sentence whose range holds it",
      async () => {
        const r = await ask(retriever, "which size for 176 cm?");
        assert.ok(r.ok, JSON.stringify(r));
        assert.match(r.reply, /From 170 to 180 cm a size M/);
        assert.doesNotMatch(r.reply, /size S|size L/);
        const tall = await ask(retriever, "Which size for 186 cm?");
        assert.ok(tall.ok);
        assert.match(tall.reply, /a size L/);
      },
    );
    await t.step("a height no range holds is left to a person", async () => {
      const r = await ask(retriever, "which size for 120 cm?");
      assert.equal(r.ok, false);
    });
    await t.step(
      "a help-page entry of up to 9 sentences is quoted whole, so the fact beside the closest sentence is in",
      async () => {
        const traces: AskTrace[] = [];
        await ask(
          retriever,
          "What does it cost per day when I call and text from abroad?",
          traces,
        );
        assert.match(traces[0]?.sentences.join(" ") ?? "", /£6 in the United/);
      },
    );
    await t.step("two asks in one email are both answered", async () => {
      const r = await ask(
        retriever,
        "Do you accept PayPal? And can I pay in instalments?",
      );
      assert.ok(r.ok, JSON.stringify(r));
      assert.match(r.reply, /PayPal/);
      assert.match(r.reply, /Klarna/);
      assert.equal(r.paragraphs.length, 2);
    });
  });
});

Deno.test("answerQuestion() never sends a reply that leaves an ask unanswered", async (t) => {
  await withKb(async (retriever) => {
    await t.step(
      "a covered and an uncovered ask: review, with a draft for the covered one",
      async () => {
        const r = await ask(
          retriever,
          "Do you accept PayPal? Also, do you have a showroom in Paris?",
        );
        assert.equal(r.ok, false);
        assert.ok(!r.ok && r.suggestedReply, JSON.stringify(r));
        assert.match(r.suggestedReply!, /PayPal/);
        assert.doesNotMatch(r.suggestedReply!, /Paris/);
      },
    );
    await t.step("nothing covered: review without a draft", async () => {
      const r = await ask(retriever, "Do you have a showroom in Paris?");
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.suggestedReply, undefined);
    });
    await t.step("off-topic text is not answered", async () => {
      for (
        const q of [
          "what are the rules for chess?",
          "how do I get red wine out of the carpet?",
        ]
      ) {
        const traces: AskTrace[] = [];
        const r = await ask(retriever, q, traces);
        assert.equal(r.ok, false, q);
        assert.ok((traces[0]?.probability ?? 0) < 0.5, q);
      }
    });
  });
});

Deno.test("answerQuestion(): a follow-up read with the ask before it is answered only when its own words bear on the quoted sentences", async () => {
  // dev_bike's knowledge base: the follow-up borrowed the first ask's
  // words and was 'answered' by the warranty sentence that answered it.
  await withDevKb("dev_bike", async (retriever) => {
    const r = await ask(
      retriever,
      "Is the frame warranty lifetime? And do I need the original receipt to claim?",
    );
    assert.equal(r.ok, false, JSON.stringify(r));
    assert.match(!r.ok && r.suggestedReply || "", /lifetime warranty/);
    // A follow-up that leans on the first ask is still answered.
    const lean = await ask(
      retriever,
      "How do I book the free first service and how early?",
    );
    assert.ok(lean.ok, JSON.stringify(lean));
    assert.match(lean.reply, /2 days ahead/);
  });
});

Deno.test("answerQuestion(): a name of several words the section never writes is left to a person", async () => {
  // dev_gym's holiday section speaks of Christmas Eve and New Year's Day.
  await withDevKb("dev_gym", async (retriever) => {
    const eve = await ask(retriever, "Are you open on New Year's Eve?");
    assert.equal(eve.ok, false, JSON.stringify(eve));
    const day = await ask(retriever, "Are you open on Christmas Day?");
    assert.ok(day.ok, JSON.stringify(day));
    assert.match(day.reply, /Christmas Day: all clubs are closed/);
  });
});

Deno.test("answerQuestion(): a place the customer gives that the section neither names nor comes near is left to a person", async () => {
  // dev_bike: "Bikes ship 90% assembled" shares "ship" and "bike" with the
  // ask but says nothing of Hawaii; it was sent as the answer before.
  await withDevKb("dev_bike", async (retriever) => {
    const r = await ask(
      retriever,
      "Hi! I live in Honolulu. Can you ship an e-bike to me?",
    );
    assert.ok(
      !r.ok || /Hawaii/.test(r.reply),
      `answered without Hawaii: ${JSON.stringify(r)}`,
    );
    assert.ok(!r.ok || !/90% assembled/.test(r.reply), JSON.stringify(r));
  });
});

Deno.test("answerQuestion(): an email in capitals or Title Case is answered as in plain case, and its place still counts", async () => {
  await withDevKb("dev_bike", async (retriever) => {
    for (
      const text of [
        "HOW MUCH DOES IT COST TO SEND IT BACK?",
        "How Much Does It Cost To Send It Back?",
      ]
    ) {
      const r = await ask(retriever, text);
      assert.ok(r.ok, `${text}: ${JSON.stringify(r)}`);
      assert.match(r.reply, /\$5/);
    }
    for (
      const text of [
        "HI! I LIVE IN HONOLULU. CAN YOU SHIP AN E-BIKE TO ME?",
        "Hi! I Live In Honolulu. Can You Ship An E-Bike To Me?",
      ]
    ) {
      const r = await ask(retriever, text);
      assert.ok(!r.ok || !/90% assembled/.test(r.reply), JSON.stringify(r));
    }
  });
});

Deno.test("retrieval with word vectors weighs the meaning of a section's heading: the help page named for the ask comes first", async () => {
  await withDevKb("dev_gym", async (retriever) => {
    const cases: Array<[string, string]> = [
      [
        "if i sign up for a whole year do i still have to pay the joining fee",
        "Joining fee",
      ],
      [
        "I think a payment didn't go through last week. How do I sort it out so I can get back in?",
        "What happens if a payment fails?",
      ],
    ];
    for (const [query, heading] of cases) {
      const hits = await retriever.search(query, 3);
      assert.equal(hits[0]?.heading, heading, query);
    }
  });
});

Deno.test("answerQuestion() does not read how a customer asks as what is asked (Bitext wording, bundled knowledge base)", async () => {
  await withDevKb("bundled", async (retriever) => {
    const cases: Array<[string, RegExp]> = [
      [
        "I need assistance to see what options for delivery I have",
        /three shipping options/,
      ],
      ["help me see the cancellation charge", /free of charge/],
      [
        "can i see what hours i can call customer service",
        /9 am to 6 pm/,
      ],
    ];
    for (const [text, fact] of cases) {
      const r = await ask(retriever, text);
      assert.ok(r.ok, text);
      assert.match(r.reply, fact, text);
    }
  });
});

Deno.test("answerQuestion() does not answer an ask from a section on a mishap the email never speaks of", async () => {
  await withDevKb("bundled", async (retriever) => {
    const traces: AskTrace[] = [];
    const r = await ask(
      retriever,
      "help me to check how long it takes for my item to arrive",
      traces,
    );
    // Without the rule: "If your parcel is marked as delivered but you cannot find it…".
    if (r.ok) assert.doesNotMatch(r.reply, /cannot find it/);
    const late = await ask(
      retriever,
      "My parcel is marked as delivered but it never arrived. What should I do?",
    );
    assert.ok(late.ok, JSON.stringify(late));
    assert.match(late.reply, /check with your neighbours/);
  });
});
