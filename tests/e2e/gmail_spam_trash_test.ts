/**
 * Mail in Spam or Trash, or mail a person archived, is never answered, even
 * when Gmail's history records carry no labelIds (Google says they may
 * not): the agent reads the labels of the message itself.
 */
import assert from "node:assert/strict";
import { openGmailAgent } from "../helpers/gmail_agent.ts";

const SHOP = "support@shop.example";
const TEXT = "Hi, how do I track my order?";

for (const historyLabels of [false, true]) {
  Deno.test(`Gmail spam/trash (history labelIds ${historyLabels ? "on" : "off"}): only inbox mail is answered`, async () => {
    const agent = await openGmailAgent();
    try {
      const { emu, store, account } = agent;
      await emu.settings({ history_label_ids: historyLabels });
      const w = agent.worker();
      await w.pollOnce();
      const spam = await emu.deliver(SHOP, {
        from: "spam@example.net",
        subject: "Tracking",
        text: TEXT,
        spam: true,
      });
      const trashed = await emu.deliver(SHOP, {
        from: "trash@example.net",
        subject: "Tracking",
        text: TEXT,
      });
      await emu.move(SHOP, trashed.id, "trash");
      const archived = await emu.deliver(SHOP, {
        from: "archived@example.net",
        subject: "Tracking",
        text: TEXT,
      });
      await emu.move(SHOP, archived.id, "archive");
      const reported = await emu.deliver(SHOP, {
        from: "reported@example.net",
        subject: "Tracking",
        text: TEXT,
      });
      await emu.move(SHOP, reported.id, "spam");
      const inbox = await emu.deliver(SHOP, {
        from: "inbox@example.net",
        subject: "Tracking",
        text: TEXT,
      });
      const s = await w.pollOnce();
      assert.equal(s.replied, 1);
      const sent = await emu.sent(SHOP);
      assert.deepEqual(sent.map((m) => m.threadId), [inbox.threadId]);
      for (const m of [spam, trashed, archived, reported]) {
        const entry = await store.ledger.get(account.id, m.id);
        assert.ok(
          entry === null || entry.decision === null,
          `no decision for ${m.id}`,
        );
      }
      assert.equal((await w.pollOnce()).replied, 0, "nothing answered later");
    } finally {
      await agent.close();
    }
  });
}
