/**
 * Injected Gmail faults (429, 403 userRateLimitExceeded, 500, in counts):
 * every email is still answered exactly once.
 */
import assert from "node:assert/strict";
import { openGmailAgent } from "../helpers/gmail_agent.ts";

const SHOP = "support@shop.example";
/** The worker's default back-off before a failed email is claimed again. */
const BACKOFF_MS = 30_000;
const refund = (i: number) => ({
  from: `customer${i}@example.net`,
  subject: `Refund request ${i}`,
  text: "I would like a refund, the item does not fit.",
});

Deno.test("Gmail faults: 429, 403 userRateLimitExceeded and 500 are retried; each email is answered exactly once", async (t) => {
  const agent = await openGmailAgent({ maxAttempts: 4 });
  try {
    const { emu } = agent;
    const worker = agent.worker();
    // Seed the cursor and the label first.
    assert.equal((await worker.pollOnce()).errors, 0);
    for (let i = 1; i <= 4; i++) await emu.deliver(SHOP, refund(i));

    await t.step(
      "faults within the retry budget cost nothing but retries",
      async () => {
        await emu.fault({ status: 429, count: 2, path: "/messages/send" });
        await emu.fault({
          status: 403,
          reason: "userRateLimitExceeded",
          count: 2,
          path: "/messages/",
        });
        await emu.fault({ status: 500, count: 1, path: "/history" });
        await emu.fault({ status: 503, count: 1, path: "/modify" });
        const s = await worker.pollOnce();
        assert.deepEqual(s, {
          accounts: 1,
          fetched: 4,
          replied: 4,
          drafted: 0,
          queued: 0,
          ignored: 0,
          errors: 0,
        });
        const sent = await emu.sent(SHOP);
        assert.equal(sent.length, 4);
        assert.equal(new Set(sent.map((m) => m.threadId)).size, 4);
      },
    );

    await t.step(
      "faults beyond the retry budget leave the email for the next cycle, still once",
      async () => {
        const late = await emu.deliver(SHOP, refund(5));
        await emu.fault({ status: 500, count: 4, path: "/messages/send" });
        const s1 = await worker.pollOnce();
        assert.equal(s1.errors, 1);
        assert.equal(s1.replied, 0);
        assert.equal((await emu.sent(SHOP)).length, 4);
        const acc = await agent.store.accounts.get(agent.account.id);
        assert.match(acc?.lastError ?? "", /failed/);
        agent.clock.advance(BACKOFF_MS);
        const s2 = await worker.pollOnce();
        assert.equal(s2.errors, 0);
        assert.equal(s2.replied, 1);
        const sent = await emu.sent(SHOP);
        assert.equal(sent.length, 5);
        assert.equal(
          sent.filter((m) => m.threadId === late.threadId).length,
          1,
        );
        assert.equal(
          (await agent.store.ledger.get(agent.account.id, late.id))?.state,
          "done",
        );
      },
    );

    await t.step("a 400 is not retried", async () => {
      const before = (await emu.calls()).calls["messages.get"] ?? 0;
      const m = await emu.deliver(SHOP, refund(6));
      await emu.fault({ status: 400, count: 1, path: `/messages/${m.id}` });
      const s = await worker.pollOnce();
      assert.equal(s.errors, 1);
      assert.equal(
        ((await emu.calls()).calls["messages.get"] ?? 0) - before,
        1,
      );
      assert.equal((await worker.pollOnce()).replied, 0, "backing off");
      agent.clock.advance(BACKOFF_MS);
      assert.equal((await worker.pollOnce()).replied, 1);
    });

    await t.step("a second poll sends nothing", async () => {
      assert.equal((await worker.pollOnce()).fetched, 0);
      assert.equal((await emu.sent(SHOP)).length, 6);
    });
  } finally {
    await agent.close();
  }
});
