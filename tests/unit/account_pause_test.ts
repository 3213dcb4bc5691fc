import assert from "node:assert/strict";
import {
  nextPacificMidnight,
  pausedUntil,
  pauseFor,
  stopsTheAccount,
} from "../../pipeline/worker/account_pause.ts";
import { withRetry } from "../../pipeline/gmail/retry.ts";
import {
  DailyQuotaExhaustedError,
  MailUnavailableError,
  RateLimitedError,
} from "../../pipeline/ports.ts";

Deno.test("nextPacificMidnight(): midnight in Los Angeles, in winter (PST) and summer (PDT)", () => {
  assert.equal(
    nextPacificMidnight(new Date("2026-11-30T10:00:00Z")).toISOString(),
    "2026-12-01T08:00:00.000Z",
  );
  assert.equal(
    nextPacificMidnight(new Date("2026-11-30T07:59:00Z")).toISOString(),
    "2026-11-30T08:00:00.000Z",
  );
  assert.equal(
    nextPacificMidnight(new Date("2026-07-01T12:00:00Z")).toISOString(),
    "2026-07-02T07:00:00.000Z",
  );
});

Deno.test("pauseFor(): the daily quota and a rate limit with a retry time pause the account; other errors do not", () => {
  const now = new Date("2026-11-30T10:00:00Z");
  const daily = pauseFor(new DailyQuotaExhaustedError("daily"), now);
  assert.equal(daily?.until.toISOString(), "2026-12-01T08:00:00.000Z");
  assert.match(daily?.reason ?? "", /daily quota is used up/);
  const at = new Date("2026-11-30T10:02:00Z");
  assert.equal(
    pauseFor(new RateLimitedError("rate", at), now)?.until.toISOString(),
    at.toISOString(),
  );
  assert.equal(pauseFor(new RateLimitedError("rate", null), now), null);
  assert.equal(pauseFor(new MailUnavailableError("503"), now), null);
  assert.ok(stopsTheAccount(new RateLimitedError("rate", null)));
  assert.ok(!stopsTheAccount(new MailUnavailableError("503")));
});

Deno.test("pausedUntil(): a pause in the past is over", async () => {
  const pauses = new Map([["a", new Date("2026-11-30T10:00:00.000Z")]]);
  const syncState = {
    pausedUntil: (accountId: string) =>
      Promise.resolve(pauses.get(accountId) ?? null),
  };
  assert.equal(
    (await pausedUntil(syncState, "a", new Date("2026-11-30T09:00:00Z")))
      ?.toISOString(),
    "2026-11-30T10:00:00.000Z",
  );
  assert.equal(
    await pausedUntil(syncState, "a", new Date("2026-11-30T10:00:00Z")),
    null,
  );
  assert.equal(await pausedUntil(syncState, "b", new Date()), null);
});

Deno.test("withRetry(): waits at least the time the server asked for; beyond maxWaitMs it fails at once", async () => {
  const err = Object.assign(new Error("429"), { status: 429 });
  const waits: number[] = [];
  let calls = 0;
  const result = await withRetry(() => {
    calls++;
    return calls < 3 ? Promise.reject(err) : Promise.resolve("ok");
  }, {
    sleep: (ms) => Promise.resolve(void waits.push(ms)),
    random: () => 0,
    retryAfterMs: () => 20_000,
  });
  assert.equal(result, "ok");
  assert.deepEqual(waits, [20_000, 20_000]);
  calls = 0;
  await assert.rejects(
    withRetry(() => {
      calls++;
      return Promise.reject(err);
    }, {
      sleep: () => Promise.resolve(),
      retryAfterMs: () => 120_000,
      maxWaitMs: 60_000,
    }),
  );
  assert.equal(calls, 1, "no retry when the wait is beyond the cap");
});
