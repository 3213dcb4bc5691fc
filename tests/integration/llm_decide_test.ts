/**
 * With LLM_BASE_URL set, a grounded answer may be rephrased by the model,
 * and the model's text is used only when it checks out against the quoted
 * knowledge-base facts. The model is an OpenAI-compatible stub over HTTP.
 */
import assert from "node:assert/strict";
import { buildAgent } from "../../app/build_agent.ts";
import { loadConfig } from "../../app/config.ts";
import { silentLogger } from "../../app/ops/logger.ts";
import { systemClock } from "../../pipeline/ports.ts";
import { startOpenAiStub } from "../helpers/openai_stub_server.ts";
import { openKvTestStore } from "../helpers/stores.ts";

const RAW = new TextEncoder().encode(
  "From: Jane Doe <jane@example.com>\r\nTo: support@example.com\r\n" +
    "Subject: Shipping time\r\nMessage-ID: <llm1@example.com>\r\n\r\n" +
    "Hello, how long does standard shipping take?\r\n",
);

async function simulateWith(env: Record<string, string>) {
  const t = await openKvTestStore();
  const loaded = loadConfig({ DATA_DIR: t.dir, SANDBOX: "off", ...env });
  if (!loaded.ok) throw new Error(loaded.errors.join("; "));
  const agent = await buildAgent({
    config: loaded.config,
    store: t.store,
    logger: silentLogger,
    clock: systemClock,
    sandbox: false,
    sleep: () => Promise.resolve(),
  });
  try {
    return (await agent.simulate(RAW)).decision;
  } finally {
    await agent.close();
    await t.close();
  }
}

Deno.test("decide() with an LLM: grounded rephrasing is used, anything else falls back to the extractive answer", async (t) => {
  const stub = startOpenAiStub();
  try {
    const extractive = await simulateWith({});
    assert.equal(extractive.reason, "answered");
    assert.match(extractive.reply ?? "", /3 to 5 business days/);
    const env = { LLM_BASE_URL: stub.baseUrl, LLM_MODEL: "test-model" };

    await t.step(
      "a grounded rewrite replaces the quoted sentences, inside the same template",
      async () => {
        // The extractive reply quotes the whole short section; the rewrite
        // keeps every one of its facts.
        stub.script({
          content:
            "We offer three shipping options: Standard, Express and Next Day. " +
            "With Standard shipping, delivery takes 3 to 5 business days. " +
            "Express shipping delivers in 1 to 2 business days. " +
            "Next Day delivery is available for orders placed before 2 pm on a business day and arrives the following business day. " +
            "You choose the shipping option at checkout, and you cannot change it after the order has shipped.",
        });
        const d = await simulateWith(env);
        assert.equal(d.reason, "answered");
        assert.equal(d.action, "reply");
        assert.match(
          d.reply ?? "",
          /^Hi Jane,\n\nWe offer three shipping options: Standard, Express and Next Day\. With Standard shipping, delivery takes 3 to 5 business days\. Express/,
        );
        assert.match(d.reply ?? "", /Sources: Shipping and Delivery/);
        assert.match(d.reply ?? "", /reply with the word "human"/);
        assert.deepEqual(d.sources, extractive.sources);
        const req = stub.requests.at(-1)!;
        assert.equal((req.body as { model: string }).model, "test-model");
      },
    );

    await t.step(
      "an invented number is refused: the extractive reply is sent",
      async () => {
        stub.script({
          content: "Standard shipping delivers in 2 business days.",
        });
        const d = await simulateWith(env);
        assert.equal(d.reply, extractive.reply);
      },
    );

    await t.step(
      "a model error is not fatal: the extractive reply is sent",
      async () => {
        stub.script({ status: 500, body: { error: "boom" } }, {
          status: 500,
          body: { error: "boom" },
        });
        const d = await simulateWith(env);
        assert.equal(d.reply, extractive.reply);
      },
    );
  } finally {
    await stub.close();
  }
});
