/**
 * A person's takeover survives a changed subject: Gmail (and the emulator)
 * starts a new thread when the customer changes the subject, and the agent
 * recognises the conversation by In-Reply-To/References instead of
 * answering a thread a person owns.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { openGmailAgent } from "../helpers/gmail_agent.ts";

const SHOP = "support@shop.example";

Deno.test("Gmail takeover: a customer's email with a changed subject (a new Gmail thread) still goes to the person who took over", async () => {
  const agent = await openGmailAgent();
  try {
    const { emu } = agent;
    const w = agent.worker();
    await w.pollOnce();
    const first = await emu.deliver(SHOP, {
      from: "erin@example.net",
      subject: "Tracking",
      text: "Hi, how do I track my order?",
      message_id: "<erin-1@example.net>",
    });
    assert.equal((await w.pollOnce()).replied, 1);

    // A person answers in the thread from Gmail.
    const human = [
      `From: ${SHOP}`,
      "To: erin@example.net",
      "Subject: Re: Tracking",
      "Message-ID: <CAHUMAN-ERIN@mail.gmail.com>",
      "In-Reply-To: <erin-1@example.net>",
      "References: <erin-1@example.net>",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Hi Erin, I am looking into it personally. Anna",
    ].join("\r\n");
    const token = await emu.accessToken(SHOP);
    const res = await fetch(`${emu.url}/gmail/v1/users/me/messages/send`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({
        raw: Buffer.from(human).toString("base64url"),
        threadId: first.threadId,
      }),
    });
    assert.equal(res.status, 200);
    await res.body?.cancel();
    await w.pollOnce(); // the person's reply marks the thread

    const changed = await emu.deliver(SHOP, {
      from: "erin@example.net",
      subject: "Another question about my order",
      text: "Thanks Anna. Also, how do I track my order?",
      in_reply_to: "<CAHUMAN-ERIN@mail.gmail.com>",
      references: ["<erin-1@example.net>", "<CAHUMAN-ERIN@mail.gmail.com>"],
    });
    assert.notEqual(changed.threadId, first.threadId, "Gmail: a new thread");
    const s = await w.pollOnce();
    assert.deepEqual([s.replied, s.queued], [0, 1]);
    const e = await agent.store.ledger.get(agent.account.id, changed.id);
    assert.equal(e?.decision?.reason, "human_takeover");
    // The worker copied the mark to the new thread when it applied the plan.
    assert.deepEqual(
      e?.effects.filter((x) => x.type === "mark_taken_over"),
      [{
        type: "mark_taken_over",
        accountId: agent.account.id,
        threadId: changed.threadId,
      }],
    );
    assert.equal(
      await agent.store.threads.isTakenOver(
        agent.account.id,
        changed.threadId,
      ),
      true,
    );
    assert.equal(
      (await emu.sent(SHOP)).length,
      2,
      "the agent's reply and the person's",
    );
  } finally {
    await agent.close();
  }
});
