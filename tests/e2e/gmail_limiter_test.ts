/**
 * The client-side limiter keeps the agent under the per-user units per
 * minute (the emulator enforcing the current table's budget): the agent
 * waits instead of collecting 429s, and every email is answered.
 */
import assert from "node:assert/strict";
import { openGmailAgent } from "../helpers/gmail_agent.ts";
import { GMAIL_COST_TABLES } from "../../pipeline/gmail/quota_costs.ts";

const SHOP = "support@shop.example";

Deno.test("Gmail limiter: under a 600-units-per-minute budget, 10 emails are answered with no 429 (the agent waits instead)", async () => {
  const agent = await openGmailAgent({
    sharedClock: true,
    quota: { costs: GMAIL_COST_TABLES.current, unitsPerMinute: 600 },
  });
  try {
    const { emu, clock } = agent;
    await emu.quota({ cost_table: "current", units_per_minute: 600 });
    // The limiter's waits move the shared fake clock by minutes while no
    // real timer renews the cycle's lease: lease and deadline are set past
    // them, as real time would renew the lease (this test is about pacing).
    const w = agent.worker({
      leaseTtlMs: 30 * 60_000,
      cycleDeadlineMs: 30 * 60_000,
    });
    await w.pollOnce();
    for (let i = 0; i < 10; i++) {
      await emu.deliver(SHOP, {
        from: `m${i}@example.net`,
        subject: "Tracking",
        text: "Hi, how do I track my order?",
      });
    }
    const t0 = clock.now().getTime();
    const s = await w.pollOnce();
    assert.deepEqual([s.replied, s.errors], [10, 0]);
    assert.equal((await emu.quota({})).refused, 0, "no call was refused");
    // 10 × 125 units at 600 per minute: the limiter waited about 2 minutes.
    assert.ok(clock.now().getTime() - t0 >= 60_000);
  } finally {
    await agent.close();
  }
});
