/**
 * decide() answers from the knowledge base an email the classifier calls
 * Other (or is unsure of) when it asks something the knowledge base covers,
 * and leaves it to a person, with its review reason, when it does not.
 */
import assert from "node:assert/strict";
import { textEmail } from "../../eval/text_email.ts";
import { decide } from "../../pipeline/decide/decide.ts";
import { loadDecideContext } from "../../pipeline/decide/load_context.ts";
import type { Category, Decision } from "../../pipeline/types.ts";
import { decideConfig } from "../helpers/gmail_agent.ts";
import { understandingForTests } from "../helpers/gmail_understanding.ts";
import { openKvTestStore } from "../helpers/stores.ts";

const NOW = new Date("2026-11-30T12:00:00Z");

Deno.test("decide() answers a covered ask whatever the classifier said, short of a refund request", async (t) => {
  const s = await openKvTestStore();
  try {
    const u = await understandingForTests();
    const config = decideConfig();
    const account = await s.store.accounts.upsert({
      email: "support@shop.example",
      tokens: { accessToken: null, refreshToken: "x", expiryDate: null },
    });
    let n = 0;
    const run = async (
      body: string,
      category: Category,
      confidence: number,
    ): Promise<Decision> => {
      const email = textEmail(body, {
        id: `m${++n}`,
        threadId: `t${n}`,
        subject: "Hello",
      });
      const ctx = await loadDecideContext(email, {
        account,
        now: NOW,
        thread: { humanTakeover: false, threadTexts: [] },
      }, { classifier: u.classifier, config, store: s.store });
      const classification = {
        category,
        confidence,
        scores: { Question: 0, Refund: 0, Other: 0, [category]: confidence },
      };
      return (await decide(email, { ...ctx, classification }, {
        retriever: u.retriever,
        config,
      })).decision;
    };
    const covered = "Hello, how long does standard shipping take?";

    await t.step(
      "an Other that asks a covered question is answered",
      async () => {
        const d = await run(covered, "Other", 0.95);
        assert.deepEqual([d.category, d.action, d.reason], [
          "Question",
          "reply",
          "answered",
        ]);
        assert.match(d.reply ?? "", /3 to 5 business days/);
      },
    );

    await t.step("an unsure Question that is covered is answered", async () => {
      const d = await run(covered, "Question", 0.2);
      assert.equal(d.reason, "answered");
    });

    await t.step(
      "an Other whose ask is not covered keeps needs_human",
      async () => {
        const d = await run("What are the rules for chess?", "Other", 0.95);
        assert.deepEqual([d.category, d.action, d.reason], [
          "Other",
          "review",
          "needs_human",
        ]);
      },
    );

    await t.step(
      "an unsure email that asks nothing keeps low_confidence",
      async () => {
        const d = await run("Shipping to Canada next week.", "Question", 0.2);
        assert.deepEqual([d.action, d.reason], ["review", "low_confidence"]);
      },
    );

    await t.step(
      "a Refund that speaks of a refund is never answered from the knowledge base",
      async () => {
        const worded = `I would like a refund. ${covered}`;
        for (const confidence of [0.2, 0.95]) {
          const d = await run(worded, "Refund", confidence);
          assert.notEqual(d.reason, "answered");
        }
      },
    );

    await t.step(
      "a Refund in name only (no refund wording, no order) that asks a covered question is answered",
      async () => {
        const d = await run(covered, "Refund", 0.95);
        assert.deepEqual([d.category, d.action, d.reason], [
          "Question",
          "reply",
          "answered",
        ]);
      },
    );
  } finally {
    await s.close();
  }
});
