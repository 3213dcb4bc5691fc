import { GaxiosError } from "gaxios";
import assert from "node:assert/strict";
import {
  isRetryableGoogleError,
  withRetry,
} from "../../pipeline/gmail/retry.ts";

/** A Gaxios-like error with Google's body. */
function gerr(status: number, reason?: string) {
  return Object.assign(new Error(`status ${status}`), {
    name: "GaxiosError",
    status,
    response: {
      status,
      data: reason
        ? {
          error: {
            code: status,
            message: "x",
            errors: [{ reason, domain: "usageLimits", message: "x" }],
          },
        }
        : {},
    },
  });
}

function harness(failures: unknown[]) {
  const sleeps: number[] = [];
  let calls = 0;
  const fn = () => {
    calls++;
    const f = failures.shift();
    return f === undefined ? Promise.resolve("ok") : Promise.reject(f);
  };
  return {
    fn,
    sleeps,
    calls: () => calls,
    sleep: (ms: number) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  };
}

Deno.test("withRetry()", async (t) => {
  await t.step("returns immediately on first success", async () => {
    const h = harness([]);
    assert.equal(await withRetry(h.fn, { sleep: h.sleep }), "ok");
    assert.equal(h.calls(), 1);
    assert.deepEqual(h.sleeps, []);
  });
  await t.step(
    "retries 429, 403 rate limits and 5xx with full jitter",
    async () => {
      const h = harness([
        gerr(429),
        gerr(403, "userRateLimitExceeded"),
        gerr(403, "rateLimitExceeded"),
        gerr(500),
        gerr(503),
      ]);
      const r = await withRetry(h.fn, {
        sleep: h.sleep,
        random: () => 0.5,
        baseMs: 100,
        maxAttempts: 6,
      });
      assert.equal(r, "ok");
      assert.equal(h.calls(), 6);
      // Full jitter: random * min(max, base * 2^(n-1)).
      assert.deepEqual(h.sleeps, [50, 100, 200, 400, 800]);
    },
  );
  await t.step("caps the backoff at maxMs", async () => {
    const h = harness([gerr(500), gerr(500), gerr(500)]);
    await withRetry(h.fn, {
      sleep: h.sleep,
      random: () => 0.999,
      baseMs: 1000,
      maxMs: 1500,
    });
    assert.deepEqual(h.sleeps, [999, 1498, 1498]);
  });
  await t.step("never retries other 4xx", async () => {
    for (
      const e of [
        gerr(400),
        gerr(401),
        gerr(403, "insufficientPermissions"),
        gerr(404),
      ]
    ) {
      const h = harness([e]);
      await assert.rejects(withRetry(h.fn, { sleep: h.sleep }), (x) => x === e);
      assert.equal(h.calls(), 1);
    }
  });
  await t.step("gives up after maxAttempts with the last error", async () => {
    const last = gerr(503);
    const h = harness([gerr(500), gerr(502), last]);
    await assert.rejects(
      withRetry(h.fn, { sleep: h.sleep, maxAttempts: 3 }),
      (x) => x === last,
    );
    assert.equal(h.calls(), 3);
    assert.equal(h.sleeps.length, 2);
  });
  await t.step("does not retry programmer errors", async () => {
    const h = harness([new TypeError("bug")]);
    await assert.rejects(withRetry(h.fn, { sleep: h.sleep }), TypeError);
    assert.equal(h.calls(), 1);
  });
  await t.step("rejects a bad maxAttempts", async () => {
    await assert.rejects(
      withRetry(() => Promise.resolve(1), { maxAttempts: 0 }),
      RangeError,
    );
  });
});

Deno.test("isRetryableGoogleError() retries a network failure: a request the client made that got no answer, with or without an error code", () => {
  // Deno's fetch refuses with a TypeError that carries no code; gaxios
  // wraps it in a GaxiosError with no response.
  const refused = new GaxiosError(
    "fetch failed",
    { url: new URL("https://gmail.googleapis.com/"), headers: new Headers() },
    undefined,
    new TypeError("fetch failed"),
  );
  assert.ok(isRetryableGoogleError(refused));
  // A TypeError of our own code is not a network failure.
  assert.ok(!isRetryableGoogleError(new TypeError("x is undefined")));
  assert.ok(
    isRetryableGoogleError(
      Object.assign(new Error("reset"), { code: "ECONNRESET" }),
    ),
  );
  assert.ok(!isRetryableGoogleError(new Error("plain")));
});
