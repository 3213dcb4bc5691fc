/**
 * The reply cap over the Gmail path (emulator over HTTP, both stores):
 * five senders sharing one Reply-To get at most MAX_AUTO_REPLIES_PER_SENDER
 * answers mailed to that address; a From naming two addresses is not
 * answered and counts against neither of them.
 */
import assert from "node:assert/strict";
import { openGmailAgent } from "../helpers/gmail_agent.ts";

const SHOP = "support@shop.example";
const QUESTION = "Hi, how long does standard shipping take? Thanks";

for (const backend of ["kv", "postgres"] as const) {
  Deno.test(`reply cap (${backend}): five senders with one Reply-To get three answers to it, the rest wait for a person`, async () => {
    const agent = await openGmailAgent({ backend, maxAutoRepliesPerSender: 3 });
    try {
      for (let i = 1; i <= 5; i++) {
        await agent.emu.deliver(SHOP, {
          from: `sender${i}@example.com`,
          subject: `Shipping ${i}`,
          text: QUESTION,
          headers: { "Reply-To": "victim@third.test" },
        });
      }
      const s = await agent.worker().pollOnce();
      assert.equal(s.replied, 3);
      assert.equal(s.queued, 2);
      const sent = await agent.emu.sent(SHOP);
      assert.equal(
        sent.filter((m) => /^To: victim@third\.test\r?$/m.test(m.rfc822))
          .length,
        3,
      );
      const review = await agent.store.review.list({
        accountId: agent.account.id,
      });
      assert.deepEqual(review.map((r) => r.reason), [
        "rate_limited",
        "rate_limited",
      ]);
    } finally {
      await agent.close();
    }
  });

  Deno.test(`reply cap (${backend}): a From with two addresses is not answered and counts against neither owner`, async () => {
    const agent = await openGmailAgent({ backend, maxAutoRepliesPerSender: 3 });
    try {
      await agent.emu.deliver(SHOP, {
        from: "alice@example.com, bob@example.org",
        subject: "Shipping",
        text: QUESTION,
      });
      const first = await agent.worker().pollOnce();
      assert.equal(first.replied, 0);
      assert.equal(first.queued, 1);
      const [item] = await agent.store.review.list({
        accountId: agent.account.id,
      });
      assert.equal(item?.reason, "ambiguous_sender");
      // Alice herself still gets her three answers of the day.
      for (let i = 1; i <= 3; i++) {
        await agent.emu.deliver(SHOP, {
          from: "alice@example.com",
          subject: `Shipping question ${i}`,
          text: QUESTION,
        });
      }
      const second = await agent.worker().pollOnce();
      assert.equal(second.replied, 3);
    } finally {
      await agent.close();
    }
  });
}
