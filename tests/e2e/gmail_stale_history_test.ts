/**
 * An invalid `startHistoryId` falls back to a full sync whether Gmail
 * answers 404 (documented) or 400 "Invalid startHistoryId" (also seen).
 */
import assert from "node:assert/strict";
import { openGmailAgent } from "../helpers/gmail_agent.ts";

const SHOP = "support@shop.example";

for (const status of [404, 400] as const) {
  Deno.test(`Gmail stale history (${status}): a full sync answers what arrived, then incremental sync resumes`, async () => {
    const agent = await openGmailAgent();
    try {
      const { emu } = agent;
      await emu.settings({ stale_history_status: status });
      const w = agent.worker();
      await w.pollOnce();
      for (const i of [1, 2]) {
        await emu.deliver(SHOP, {
          from: `h${i}@example.net`,
          subject: "Tracking",
          text: "Hi, how do I track my order?",
        });
      }
      await emu.expireHistory(SHOP);
      const s = await w.pollOnce();
      assert.deepEqual([s.replied, s.errors], [2, 0]);
      await emu.deliver(SHOP, {
        from: "h3@example.net",
        subject: "Tracking",
        text: "Hi, how do I track my order?",
      });
      const list = (await emu.calls()).calls["messages.list"] ?? 0;
      assert.equal((await w.pollOnce()).replied, 1);
      assert.equal((await emu.calls()).calls["messages.list"] ?? 0, list);
    } finally {
      await agent.close();
    }
  });
}
