import assert from "node:assert/strict";
import { createLogger } from "../../app/ops/logger.ts";
import { LlmError } from "../../pipeline/llm/llm_port.ts";
import { createOpenAiChat } from "../../pipeline/llm/openai_chat.ts";
import {
  manualDeadlines,
  startOpenAiStub,
} from "../helpers/openai_stub_server.ts";

const input = { system: "be brief", user: "the question", maxTokens: 77 };

Deno.test("createOpenAiChat() over a real OpenAI-compatible endpoint", async (t) => {
  const stub = startOpenAiStub();
  // No wall-clock wait: a hanging request's deadline fires when it arrives.
  const deadlines = manualDeadlines();
  stub.onHang = deadlines.expire;
  const waits: number[] = [];
  const sleep = (ms: number) => {
    waits.push(ms);
    return Promise.resolve();
  };
  const client = (
    extra: Parameters<typeof createOpenAiChat>[0] | object = {},
  ) =>
    createOpenAiChat({
      baseUrl: stub.baseUrl + "/",
      model: "tiny-model",
      apiKey: "sk-test-123",
      sleep,
      random: () => 0.5,
      deadline: deadlines.deadline,
      ...extra,
    });
  try {
    await t.step(
      "sends the model, both messages, max_tokens, temperature 0 and the bearer key",
      async () => {
        stub.requests.length = 0;
        stub.script({ content: "Refunds take 5 to 10 business days." });
        const out = await client().complete(input);
        assert.equal(out, "Refunds take 5 to 10 business days.");
        assert.equal(stub.requests.length, 1);
        const req = stub.requests[0]!;
        assert.equal(req.path, "/v1/chat/completions");
        assert.equal(req.headers.get("authorization"), "Bearer sk-test-123");
        assert.equal(req.headers.get("content-type"), "application/json");
        assert.deepEqual(req.body, {
          model: "tiny-model",
          messages: [
            { role: "system", content: "be brief" },
            { role: "user", content: "the question" },
          ],
          max_tokens: 77,
          temperature: 0,
        });
      },
    );

    await t.step(
      "sends no Authorization header when there is no key",
      async () => {
        stub.requests.length = 0;
        stub.script({ content: "ok" });
        assert.equal(await client({ apiKey: null }).complete(input), "ok");
        assert.equal(stub.requests[0]!.headers.get("authorization"), null);
      },
    );

    await t.step(
      "retries 429 and 500 with full-jitter backoff, then succeeds",
      async () => {
        stub.requests.length = 0;
        waits.length = 0;
        stub.script(
          { status: 429, body: { error: { message: "slow down" } } },
          { status: 500, body: { error: { message: "oops" } } },
          { content: "third time" },
        );
        const out = await client({ maxAttempts: 3, baseDelayMs: 1000 })
          .complete(
            input,
          );
        assert.equal(out, "third time");
        assert.equal(stub.requests.length, 3);
        // random 0.5 of caps 1000 and 2000
        assert.deepEqual(waits, [500, 1000]);
      },
    );

    await t.step("honours Retry-After on 429", async () => {
      waits.length = 0;
      stub.script(
        { status: 429, body: {}, headers: { "retry-after": "3" } },
        { content: "ok" },
      );
      assert.equal(await client().complete(input), "ok");
      assert.deepEqual(waits, [3000]);
    });

    await t.step(
      "gives up after maxAttempts with the last status",
      async () => {
        stub.requests.length = 0;
        waits.length = 0;
        stub.script(
          { status: 503, body: {} },
          { status: 503, body: {} },
        );
        const err = await client({ maxAttempts: 2 }).complete(input).catch((
          e,
        ) => e);
        assert.ok(err instanceof LlmError);
        assert.equal(err.code, "http_status");
        assert.equal(err.status, 503);
        assert.equal(stub.requests.length, 2);
        assert.equal(waits.length, 1);
      },
    );

    await t.step(
      "does not retry a 400 or 401, and the key is not in the error",
      async () => {
        for (const status of [400, 401]) {
          stub.requests.length = 0;
          stub.script({ status, body: { error: { message: "bad" } } });
          const err = await client().complete(input).catch((e) => e);
          assert.ok(err instanceof LlmError);
          assert.equal(err.status, status);
          assert.equal(stub.requests.length, 1);
          assert.ok(!String(err.message).includes("sk-test-123"));
          assert.ok(!String(err.message).includes("the question"));
        }
      },
    );

    await t.step("times out a hanging endpoint", async () => {
      stub.requests.length = 0;
      stub.script({ hang: true });
      const err = await client({ timeoutMs: 30, maxAttempts: 1 }).complete(
        input,
      ).catch((e) => e);
      assert.ok(err instanceof LlmError);
      assert.equal(err.code, "timeout");
      assert.match(err.message, /did not answer within 30 ms/);
    });

    await t.step("retries after a timeout", async () => {
      waits.length = 0;
      stub.script({ hang: true }, { content: "late but fine" });
      const out = await client({ timeoutMs: 30, maxAttempts: 2 }).complete(
        input,
      );
      assert.equal(out, "late but fine");
      assert.equal(waits.length, 1);
    });

    await t.step(
      "a body that is not JSON is a clear bad_response error",
      async () => {
        stub.script({ status: 200, body: "<html>proxy error</html>" });
        const err = await client().complete(input).catch((e) => e);
        assert.ok(err instanceof LlmError);
        assert.equal(err.code, "bad_response");
        assert.match(err.message, /is not JSON/);
      },
    );

    await t.step(
      "a JSON body of the wrong shape names the bad path",
      async () => {
        stub.script(
          { status: 200, body: { choices: [] } },
          { status: 200, body: { choices: [{ message: { content: null } }] } },
        );
        const e1 = await client().complete(input).catch((e) => e);
        assert.ok(e1 instanceof LlmError);
        assert.equal(e1.code, "bad_response");
        assert.match(e1.message, /does not have the OpenAI shape: choices/);
        const e2 = await client().complete(input).catch((e) => e);
        assert.match(e2.message, /choices\.0\.message\.content/);
      },
    );

    await t.step("an unreachable endpoint is a network error", async () => {
      const err = await createOpenAiChat({
        baseUrl: "http://127.0.0.1:1/v1",
        model: "m",
        maxAttempts: 1,
      }).complete(input).catch((e) => e);
      assert.ok(err instanceof LlmError);
      assert.equal(err.code, "network");
    });

    await t.step(
      "logs attempts and statuses, never the key, prompt or completion",
      async () => {
        const lines: string[] = [];
        const logger = createLogger({
          level: "debug",
          write: (l) => lines.push(l),
        });
        stub.script(
          { status: 429, body: { error: { message: "the question" } } },
          { status: 500, body: {} },
          { status: 500, body: {} },
        );
        await client({ logger, maxAttempts: 3 }).complete(input).catch(
          () => {},
        );
        assert.equal(lines.length, 3);
        const parsed = lines.map((l) => JSON.parse(l));
        assert.deepEqual(parsed.map((p) => p.status), [429, 500, 500]);
        assert.deepEqual(parsed.map((p) => p.attempt), [1, 2, 3]);
        for (const l of lines) {
          assert.ok(!l.includes("sk-test-123"));
          assert.ok(!l.includes("the question"));
          assert.ok(!l.includes("be brief"));
        }
        stub.script({ content: "a completion with customer text" });
        lines.length = 0;
        await client({ logger }).complete(input);
        assert.ok(lines.every((l) => !l.includes("customer text")));
      },
    );

    await t.step("rejects a bad maxTokens before any request", async () => {
      stub.requests.length = 0;
      await assert.rejects(
        client().complete({ ...input, maxTokens: 0 }),
        RangeError,
      );
      assert.equal(stub.requests.length, 0);
    });
  } finally {
    await stub.close();
  }
});
