import assert from "node:assert/strict";
import {
  cleanCompletion,
  droppedDetail,
  rewriteAnswer,
  rewritePrompt,
} from "../../pipeline/llm/grounded_rewrite.ts";
import type { Llm } from "../../pipeline/llm/llm_port.ts";

const FACTS = [
  "For all other returns, a return shipping fee of $5.95 is deducted from your refund.",
  "Start a return at https://shop.example/returns.",
];

Deno.test("rewriteAnswer() helpers", async (t) => {
  await t.step(
    "rewritePrompt numbers the facts and cuts a long question",
    () => {
      const p = rewritePrompt({
        question: "x".repeat(5000),
        customerName: null,
        facts: FACTS,
      });
      assert.ok(p.includes(`1. ${FACTS[0]}\n2. ${FACTS[1]}`));
      assert.ok(!p.includes("x".repeat(2001)));
      assert.ok(p.includes("x".repeat(2000)));
    },
  );

  await t.step(
    "cleanCompletion removes wrapping quotes and joins lines",
    () => {
      assert.equal(cleanCompletion('\n "A b.\nC d." \n'), "A b. C d.");
      assert.equal(cleanCompletion("Plain."), "Plain.");
    },
  );

  await t.step("droppedDetail names the amount or link left out", () => {
    assert.equal(
      droppedDetail(
        "A return shipping fee of $5.95 is deducted from your refund. Start a return at https://shop.example/returns.",
        FACTS,
      ),
      null,
    );
    assert.equal(
      droppedDetail("A return shipping fee is deducted.", FACTS),
      "$5.95",
    );
    assert.equal(
      droppedDetail("A fee of $5.95 is deducted from your refund.", FACTS),
      "https://shop.example/returns",
    );
  });

  await t.step(
    "an Llm that throws something unexpected gives llm_failed",
    async () => {
      const llm = {
        complete: () => Promise.reject(new Error("boom")),
      } satisfies Llm;
      assert.deepEqual(
        await rewriteAnswer({
          question: "q?",
          customerName: null,
          facts: FACTS,
        }, {
          llm,
        }),
        { ok: false, reason: "llm_failed" },
      );
    },
  );
});
