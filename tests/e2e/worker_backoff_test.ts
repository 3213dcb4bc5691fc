/**
 * A failed email is claimed again after a back-off that doubles with each
 * of its failures, up to a cap (emulator over HTTP, fake clock): a message
 * Gmail keeps failing (500 on messages.get) is tried again after 30 s,
 * then 60 s, 120 s, 240 s, then every 240 s; never sooner. Once Gmail
 * answers, it is answered once.
 */
import assert from "node:assert/strict";
import { openGmailAgent } from "../helpers/gmail_agent.ts";

const SHOP = "support@shop.example";
const BASE = 30_000;
const CAP = 240_000;

for (const backend of ["kv", "postgres"] as const) {
  Deno.test(`back-off (${backend}): a failing email waits 30 s, 60 s, 120 s, 240 s, then 240 s between tries`, async () => {
    const agent = await openGmailAgent({ backend });
    try {
      const { emu, clock } = agent;
      const worker = agent.worker({
        retryBackoffMs: BASE,
        maxRetryBackoffMs: CAP,
      });
      assert.equal((await worker.pollOnce()).errors, 0);
      const m = await emu.deliver(SHOP, {
        from: "ann@example.com",
        subject: "Shipping",
        text: "How long does standard shipping take?",
      });
      await emu.fault({ status: 500, count: 1000, path: `/messages/${m.id}` });
      const entry = () => agent.store.ledger.get(agent.account.id, m.id);
      const waits: number[] = [];
      let tries = 0;
      for (const expected of [BASE, 2 * BASE, 4 * BASE, CAP, CAP]) {
        const s = await worker.pollOnce();
        assert.equal(s.errors, 1, `try ${tries + 1} fails`);
        tries++;
        const e = await entry();
        assert.equal(e?.retries, tries);
        waits.push(e!.retryAt!.getTime() - clock.now().getTime());
        // Not a moment sooner.
        clock.advance(expected - 1);
        const early = await worker.pollOnce();
        assert.equal(early.errors, 0, "still backing off");
        assert.equal((await entry())?.retries, tries);
        clock.advance(1);
      }
      assert.deepEqual(waits, [BASE, 2 * BASE, 4 * BASE, CAP, CAP]);
      await emu.clearFaults();
      const s = await worker.pollOnce();
      assert.equal(s.replied, 1);
      assert.equal((await emu.sent(SHOP)).length, 1);
      assert.equal((await entry())?.state, "done");
    } finally {
      await agent.close();
    }
  });
}
