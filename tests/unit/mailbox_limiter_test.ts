import assert from "node:assert/strict";
import { createMailboxLimiter } from "../../pipeline/gmail/mailbox_limiter.ts";
import {
  GMAIL_COST_TABLES,
  GMAIL_UNITS_PER_MINUTE,
} from "../../pipeline/gmail/quota_costs.ts";
import { QUOTA_UNITS as EMULATOR_LEGACY } from "../../emulator/gmail_method.ts";
import { COST_TABLES as EMULATOR_TABLES } from "../../emulator/quota.ts";

function fakeTime(start = Date.parse("2026-11-30T10:00:00Z")) {
  let t = start;
  const slept: number[] = [];
  return {
    clock: { now: () => new Date(t) },
    sleep: (ms: number) => {
      slept.push(ms);
      t += ms;
      return Promise.resolve();
    },
    advance: (ms: number) => void (t += ms),
    slept,
    elapsed: () => t - start,
  };
}

Deno.test("mailbox limiter: calls within the budget never wait", async () => {
  const time = fakeTime();
  const limiter = createMailboxLimiter({
    costs: GMAIL_COST_TABLES.current,
    unitsPerMinute: GMAIL_UNITS_PER_MINUTE.current,
    ...time,
  });
  for (let i = 0; i < 50; i++) (await limiter.take("messages.send"))(); // 5,000
  (await limiter.take("messages.get"))(); // 5,020
  assert.deepEqual(time.slept, []);
  assert.equal(limiter.used(), 5_020);
});

Deno.test("mailbox limiter: past the per-minute budget a call waits until enough units leave the 60 s window", async () => {
  const time = fakeTime();
  const limiter = createMailboxLimiter({
    costs: { "messages.send": 100, "messages.get": 20 },
    unitsPerMinute: 300,
    ...time,
  });
  // Each call ends as soon as it starts (`done` at once).
  (await limiter.take("messages.send"))(); // t=0
  time.advance(10_000);
  (await limiter.take("messages.send"))(); // t=10s
  time.advance(10_000);
  (await limiter.take("messages.send"))(); // t=20s, 300 used
  (await limiter.take("messages.get"))(); // must wait for the first send to leave: t=60s
  assert.deepEqual(time.slept, [40_000]);
  assert.equal(limiter.used(), 220);
});

Deno.test("mailbox limiter: a pause holds every call back until Google's retry time", async () => {
  const time = fakeTime();
  const limiter = createMailboxLimiter({
    costs: GMAIL_COST_TABLES.legacy,
    unitsPerMinute: GMAIL_UNITS_PER_MINUTE.legacy,
    ...time,
  });
  limiter.pauseUntil(new Date(time.clock.now().getTime() + 15_000));
  (await limiter.take("history.list"))();
  assert.deepEqual(time.slept, [15_000]);
});

Deno.test("mailbox limiter: concurrent calls are served in order and never pass the budget together", async () => {
  const time = fakeTime();
  const limiter = createMailboxLimiter({
    costs: { "messages.get": 20 },
    unitsPerMinute: 100,
    ...time,
  });
  const order: number[] = [];
  await Promise.all(
    Array.from(
      { length: 12 },
      (_, i) =>
        limiter.take("messages.get").then((done) => {
          order.push(i);
          done();
        }),
    ),
  );
  assert.deepEqual(order, [...Array(12).keys()]);
  // 5 fit at t=0, 5 more at t=60 s, 2 at t=120 s.
  assert.equal(time.elapsed(), 120_000);
});

Deno.test("mailbox limiter: a call in flight keeps its units until it ends, then for a window after its end", async () => {
  const time = fakeTime();
  const limiter = createMailboxLimiter({
    costs: { "messages.send": 100 },
    unitsPerMinute: 100,
    ...time,
  });
  const first = await limiter.take("messages.send"); // t=0, in flight
  let second = false;
  const waiting = limiter.take("messages.send").then((done) => {
    second = true;
    return done;
  });
  // Past a window after the first call started, it is still in flight.
  time.advance(90_000);
  for (let i = 0; i < 20; i++) await Promise.resolve();
  assert.equal(
    second,
    false,
    "waits while the call that fills it is in flight",
  );
  first(); // ended at t=90 s: counted until t=150 s
  (await waiting)();
  assert.equal(second, true);
  assert.equal(time.elapsed(), 150_000, "a window after the first call ended");
});

Deno.test("mailbox limiter: the agent's cost tables are the emulator's (Google's published values)", () => {
  assert.deepEqual(GMAIL_COST_TABLES.legacy, EMULATOR_TABLES.legacy);
  assert.deepEqual(GMAIL_COST_TABLES.current, EMULATOR_TABLES.current);
  assert.deepEqual(GMAIL_COST_TABLES.legacy, EMULATOR_LEGACY);
  assert.throws(
    () =>
      createMailboxLimiter({
        costs: {},
        unitsPerMinute: 0,
        ...fakeTime(),
      }),
    /unitsPerMinute must be positive/,
  );
});
