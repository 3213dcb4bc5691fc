/**
 * Draft mode to the end: the agent drafts, a person sends the draft from
 * Gmail (`drafts.send` in the emulator), as drafted or after editing it
 * (Gmail then gives it a new message id). Either way it is one reply; it
 * is the agent's own while its Message-ID is kept (the customer's follow-up
 * gets a new draft), else the person's (the thread goes to review).
 */
import assert from "node:assert/strict";
import { openGmailAgent } from "../helpers/gmail_agent.ts";

const SHOP = "support@shop.example";

for (const edited of [false, true]) {
  Deno.test(`Gmail draft mode: a person sends the agent's draft from Gmail (${edited ? "after editing it" : "as drafted"})`, async () => {
    const agent = await openGmailAgent({ replyMode: "draft" });
    try {
      const { emu, store, account } = agent;
      const w = agent.worker();
      await w.pollOnce();
      const first = await emu.deliver(SHOP, {
        from: "dora@example.net",
        subject: "Tracking",
        text: "Hi, how do I track my order?",
        message_id: "<dora-1@example.net>",
      });
      assert.equal((await w.pollOnce()).drafted, 1);
      const [draft] = await emu.drafts(SHOP);
      assert.ok(draft);
      const sent = await emu.sendDraft(SHOP, draft.id, { edited });
      assert.equal(sent.threadId, first.threadId);
      const s = await w.pollOnce();
      assert.equal(s.errors, 0);
      assert.equal((await emu.sent(SHOP)).length, 1, "one reply, never two");
      await emu.deliver(SHOP, {
        from: "dora@example.net",
        subject: "Re: Tracking",
        text: "Thanks! Do you ship internationally?",
        in_reply_to: "<dora-1@example.net>",
        references: ["<dora-1@example.net>"],
      });
      const next = await w.pollOnce();
      // An edited draft has a new id; when Gmail also gave it its own
      // Message-ID (EMU_REWRITE_MESSAGE_IDS), nothing marks it as the
      // agent's: it counts as the person's reply and the thread is theirs.
      const persons = edited && emu.emulator.state.flags.rewriteMessageIds;
      assert.deepEqual(
        [next.drafted, next.queued, next.errors],
        persons ? [0, 1, 0] : [1, 0, 0],
      );
      const items = await store.review.list({ accountId: account.id });
      assert.equal(items.length, persons ? 1 : 0);
    } finally {
      await agent.close();
    }
  });
}
