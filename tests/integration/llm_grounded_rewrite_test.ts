import assert from "node:assert/strict";
import {
  REWRITE_MAX_TOKENS,
  REWRITE_SYSTEM_PROMPT,
  rewriteAnswer,
} from "../../pipeline/llm/grounded_rewrite.ts";
import { createOpenAiChat } from "../../pipeline/llm/openai_chat.ts";
import {
  manualDeadlines,
  startOpenAiStub,
} from "../helpers/openai_stub_server.ts";

const FACTS = [
  "You can get a refund within 30 days from the order date.",
  "Once we approve a refund, it takes 5 to 10 business days for the money to appear on your statement.",
];
const QUESTION =
  "How long do I have to ask for a refund, and when will I see the money?";

Deno.test("rewriteAnswer() over the chat endpoint sends only verified text", async (t) => {
  const stub = startOpenAiStub();
  // No wall-clock wait: a hanging request's deadline fires when it arrives.
  const deadlines = manualDeadlines();
  stub.onHang = deadlines.expire;
  const llm = createOpenAiChat({
    baseUrl: stub.baseUrl,
    model: "tiny-model",
    apiKey: "sk-test",
    maxAttempts: 2,
    deadline: deadlines.deadline,
    sleep: () => Promise.resolve(),
  });
  const input = { question: QUESTION, customerName: "Jane", facts: FACTS };
  try {
    await t.step(
      "a grounded paraphrase is returned, and the prompt holds the question and the facts",
      async () => {
        stub.requests.length = 0;
        const good =
          "You can get a refund within 30 days of your order date. Once your refund is approved, the money appears on your statement within 5 to 10 business days.";
        stub.script({ content: `  "${good}"\n` });
        const r = await rewriteAnswer(input, { llm });
        assert.deepEqual(r, { ok: true, text: good });
        const body = stub.requests[0]!.body as {
          messages: { role: string; content: string }[];
          max_tokens: number;
        };
        assert.equal(body.max_tokens, REWRITE_MAX_TOKENS);
        assert.equal(body.messages[0]!.content, REWRITE_SYSTEM_PROMPT);
        assert.match(REWRITE_SYSTEM_PROMPT, /exactly CANNOT_ANSWER/);
        const user = body.messages[1]!.content;
        assert.ok(user.includes(QUESTION));
        assert.ok(user.includes(`1. ${FACTS[0]}`));
        assert.ok(user.includes(`2. ${FACTS[1]}`));
      },
    );

    await t.step("the customer's name may be used", async () => {
      stub.script({
        content:
          "Jane, you can get a refund within 30 days from the order date, and once we approve it the money takes 5 to 10 business days to appear on your statement.",
      });
      const r = await rewriteAnswer(input, { llm });
      assert.equal(r.ok, true);
    });

    await t.step("CANNOT_ANSWER is not an answer", async () => {
      stub.script({ content: "CANNOT_ANSWER" });
      assert.deepEqual(await rewriteAnswer(input, { llm }), {
        ok: false,
        reason: "not_grounded: cannot_answer",
      });
    });

    await t.step("an invented number is rejected", async () => {
      stub.script({
        content:
          "You can get a refund within 60 days from the order date. The money appears on your statement within 5 to 10 business days.",
      });
      const r = await rewriteAnswer(input, { llm });
      assert.equal(r.ok, false);
      assert.match(
        (r as { reason: string }).reason,
        /^not_grounded: unsupported_number/,
      );
    });

    await t.step("an invented policy is rejected", async () => {
      stub.script({
        content:
          "You can get a refund within 30 days from the order date. Once we approve a refund, the money appears on your statement within 5 to 10 business days. We also send you a free gift voucher for the trouble.",
      });
      const r = await rewriteAnswer(input, { llm });
      assert.equal(r.ok, false);
      assert.match(
        (r as { reason: string }).reason,
        /^not_grounded: unsupported_term \(sentence 3\)/,
      );
    });

    await t.step(
      "a grounded answer that drops the duration asked for is rejected",
      async () => {
        stub.script({
          content: "You can get a refund within 30 days from the order date.",
        });
        assert.deepEqual(await rewriteAnswer(input, { llm }), {
          ok: false,
          reason: "dropped_detail",
        });
      },
    );

    await t.step(
      "an endpoint that keeps failing gives ok:false, not an exception",
      async () => {
        stub.script({ status: 500, body: {} }, { status: 503, body: {} });
        assert.deepEqual(await rewriteAnswer(input, { llm }), {
          ok: false,
          reason: "llm_http_status",
        });
      },
    );

    await t.step("a timeout gives ok:false", async () => {
      stub.script({ hang: true }, { hang: true });
      assert.deepEqual(await rewriteAnswer(input, { llm }), {
        ok: false,
        reason: "llm_timeout",
      });
    });

    await t.step("a malformed response gives ok:false", async () => {
      stub.script({ status: 200, body: { choices: [{ text: "legacy" }] } });
      assert.deepEqual(await rewriteAnswer(input, { llm }), {
        ok: false,
        reason: "llm_bad_response",
      });
    });

    await t.step("no facts: the model is not asked", async () => {
      stub.requests.length = 0;
      assert.deepEqual(
        await rewriteAnswer({ ...input, facts: [" "] }, { llm }),
        { ok: false, reason: "no_facts" },
      );
      assert.equal(stub.requests.length, 0);
    });
  } finally {
    await stub.close();
  }
});
