/**
 * Thread awareness: once a person has replied in a thread from Gmail, the
 * agent stops answering it and queues the next email for review.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { parseEmail } from "../../pipeline/mail/parse_email.ts";
import { openGmailAgent } from "../helpers/gmail_agent.ts";

const SHOP = "support@shop.example";

Deno.test("Gmail thread: a person's reply in the thread hands the next email to review", async () => {
  const agent = await openGmailAgent();
  try {
    const { emu } = agent;
    const w = agent.worker();
    await w.pollOnce();
    const first = await emu.deliver(SHOP, {
      from: "carl@example.net",
      subject: "Tracking",
      text: "Hi, how do I track my order?",
    });
    assert.equal((await w.pollOnce()).replied, 1);
    const agentReply = (await emu.sent(SHOP))[0]!;
    const ar = await parseEmail(new TextEncoder().encode(agentReply.rfc822), {
      id: "r",
      threadId: "t",
      labelIds: [],
    });

    // A person answers in the thread from Gmail (a normal Gmail Message-ID).
    const human = [
      `From: ${SHOP}`,
      "To: carl@example.net",
      "Subject: Re: Tracking",
      "Message-ID: <CAHUMAN123@mail.gmail.com>",
      `In-Reply-To: ${ar.messageId}`,
      `References: ${[...ar.references, ar.messageId].join(" ")}`,
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Hi Carl, I checked personally: it ships today. Anna",
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

    const follow = await emu.deliver(SHOP, {
      from: "carl@example.net",
      subject: "Re: Tracking",
      text: "Thanks! And how do I track my order once it ships?",
      in_reply_to: "<CAHUMAN123@mail.gmail.com>",
      references: [
        ...ar.references,
        ar.messageId!,
        "<CAHUMAN123@mail.gmail.com>",
      ],
    });
    assert.equal(follow.threadId, first.threadId);
    const s = await w.pollOnce();
    assert.equal(s.queued, 1);
    assert.equal(s.replied, 0);
    const e = await agent.store.ledger.get(agent.account.id, follow.id);
    assert.equal(e?.decision?.reason, "human_takeover");
    assert.equal(
      (await emu.sent(SHOP)).length,
      2,
      "the agent's reply and the person's",
    );
  } finally {
    await agent.close();
  }
});

Deno.test("Gmail thread: the agent's own earlier reply does not count as a takeover", async () => {
  const agent = await openGmailAgent();
  try {
    const { emu } = agent;
    const w = agent.worker();
    await w.pollOnce();
    const first = await emu.deliver(SHOP, {
      from: "dana@example.net",
      subject: "Shipping",
      text: "How do I track my order?",
    });
    assert.equal((await w.pollOnce()).replied, 1);
    const ar = await parseEmail(
      new TextEncoder().encode((await emu.sent(SHOP))[0]!.rfc822),
      { id: "r", threadId: "t", labelIds: [] },
    );
    const follow = await emu.deliver(SHOP, {
      from: "dana@example.net",
      subject: "Re: Shipping",
      text: "Thanks. Do you ship internationally?",
      in_reply_to: ar.messageId!,
      references: [...ar.references, ar.messageId!],
    });
    assert.equal(follow.threadId, first.threadId);
    const s = await w.pollOnce();
    const e = await agent.store.ledger.get(agent.account.id, follow.id);
    assert.notEqual(e?.decision?.reason, "human_takeover");
    assert.equal(s.replied, 1);
    const calls = (await emu.calls()).calls;
    assert.equal(
      calls["threads.get"] ?? 0,
      0,
      "the takeover comes from the store, not from threads.get",
    );
    assert.equal(
      calls["messages.get"] ?? 0,
      2,
      "one get per inbound email; the agent's recorded reply costs none",
    );
    assert.equal(
      await agent.store.threads.isTakenOver(agent.account.id, first.threadId),
      false,
    );
  } finally {
    await agent.close();
  }
});
