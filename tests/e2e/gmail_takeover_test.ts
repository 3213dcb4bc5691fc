/**
 * A person's reply sent from Gmail resolves the thread's review items at the
 * next poll (no customer email needed), keeps the agent out of the thread,
 * and the agent's own replies never count as a person's.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { openGmailAgent } from "../helpers/gmail_agent.ts";
import type { TestEmulator } from "../helpers/emulator.ts";

const SHOP = "support@shop.example";

/** Sends a message as the account's user through the Gmail API. */
async function sendAsUser(
  emu: TestEmulator,
  msg: {
    to: string;
    subject: string;
    messageId: string;
    threadId: string;
    /** The Message-ID answered (Gmail threads only with it). */
    inReplyTo: string;
  },
): Promise<{ id: string; threadId: string }> {
  const rfc822 = [
    `From: ${SHOP}`,
    `To: ${msg.to}`,
    `Subject: ${msg.subject}`,
    `Message-ID: ${msg.messageId}`,
    `In-Reply-To: ${msg.inReplyTo}`,
    `References: ${msg.inReplyTo}`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Hello, I am looking into this myself. Anna",
  ].join("\r\n");
  const res = await fetch(`${emu.url}/gmail/v1/users/me/messages/send`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${await emu.accessToken(SHOP)}`,
      "content-type": "application/json",
    },
    body: JSON.stringify({
      raw: Buffer.from(rfc822).toString("base64url"),
      threadId: msg.threadId,
    }),
  });
  assert.equal(res.status, 200);
  return await res.json();
}

for (const backend of ["kv", "postgres"] as const) {
  Deno.test(`Gmail takeover (${backend}): a person's reply from Gmail resolves the thread's review items`, async (t) => {
    const agent = await openGmailAgent({ backend });
    try {
      const { emu, store, account } = agent;
      const w = agent.worker();
      await w.pollOnce();
      const first = await emu.deliver(SHOP, {
        from: "partner@agency.example",
        subject: "Partnership",
        text:
          "We are a marketing agency and would like to discuss a collaboration.",
        message_id: "<partner-1@agency.example>",
      });
      assert.equal((await w.pollOnce()).queued, 1);
      const [item] = await store.review.openForThread(
        account.id,
        first.threadId,
      );
      assert.ok(item, "the email waits in the review queue");
      assert.equal(item.status, "pending");

      await t.step(
        "the next poll resolves the item, no customer email needed",
        async () => {
          const person = await sendAsUser(emu, {
            to: "partner@agency.example",
            subject: "Re: Partnership",
            messageId: "<CAPERSON1@mail.gmail.com>",
            threadId: first.threadId,
            inReplyTo: "<partner-1@agency.example>",
          });
          assert.equal(person.threadId, first.threadId);
          const before = await emu.calls();
          const s = await w.pollOnce();
          const after = await emu.calls();
          assert.deepEqual([s.fetched, s.replied, s.errors], [0, 0, 0]);
          assert.deepEqual(
            await store.review.openForThread(account.id, first.threadId),
            [],
          );
          const resolved = await store.review.get(item.id);
          assert.equal(resolved?.status, "resolved");
          assert.equal(resolved?.note, "Answered by gmail");
          assert.equal(
            await store.threads.isTakenOver(account.id, first.threadId),
            true,
          );
          const audit = (await store.audit.list(20)).find((e) =>
            e.action === "review.resolved_by_reply"
          );
          assert.equal(audit?.actor, "gmail");
          assert.equal(audit?.detail?.replyGmailId, person.id);
          const delta = (m: string) =>
            (after.calls[m] ?? 0) - (before.calls[m] ?? 0);
          assert.equal(delta("history.list"), 1);
          assert.equal(
            delta("messages.get"),
            1,
            "the person's Message-ID only",
          );
          assert.equal(delta("messages.send"), 0);
          assert.equal(delta("threads.get"), 0);
          // The person's message is no inbound mail: not in the ledger.
          assert.equal(await store.ledger.get(account.id, person.id), null);
        },
      );

      await t.step(
        "the customer's next email waits for the person, no reply",
        async () => {
          const follow = await emu.deliver(SHOP, {
            from: "partner@agency.example",
            subject: "Re: Partnership",
            text: "Great, when can we talk? How do I track my order?",
            in_reply_to: "<CAPERSON1@mail.gmail.com>",
            references: [
              "<partner-1@agency.example>",
              "<CAPERSON1@mail.gmail.com>",
            ],
          });
          assert.equal(follow.threadId, first.threadId);
          const s = await w.pollOnce();
          assert.deepEqual([s.queued, s.replied], [1, 0]);
          const e = await store.ledger.get(account.id, follow.id);
          assert.equal(e?.decision?.reason, "human_takeover");
          assert.equal((await emu.sent(SHOP)).length, 1, "only the person's");
          const open = await store.review.openForThread(
            account.id,
            first.threadId,
          );
          assert.deepEqual(open.map((i) => i.gmailId), [follow.id]);
        },
      );

      await t.step(
        "a later customer email leaves the unanswered items open",
        async () => {
          const again = await emu.deliver(SHOP, {
            from: "partner@agency.example",
            subject: "Re: Partnership",
            text: "Hello? Any news about the collaboration?",
            in_reply_to: "<CAPERSON1@mail.gmail.com>",
            references: [
              "<partner-1@agency.example>",
              "<CAPERSON1@mail.gmail.com>",
            ],
          });
          const s = await w.pollOnce();
          assert.deepEqual([s.queued, s.replied], [1, 0]);
          const open = await store.review.openForThread(
            account.id,
            first.threadId,
          );
          assert.equal(open.length, 2, "no one has answered either yet");
          assert.ok(open.some((i) => i.gmailId === again.id));
        },
      );
    } finally {
      await agent.close();
    }
  });
}

Deno.test("Gmail takeover: the agent's own replies never mark a takeover", async (t) => {
  const agent = await openGmailAgent();
  try {
    const { emu, store, account } = agent;
    // This test is about the agent's own Message-ID seen in Gmail, so Gmail
    // keeps it here; with rewritten ids the recorded gmail id is what counts
    // (worker_crash_rewrite_test.ts covers a crash in between).
    await emu.settings({ rewrite_message_ids: false });
    const w = agent.worker();
    await w.pollOnce();
    const first = await emu.deliver(SHOP, {
      from: "dana@example.net",
      subject: "Shipping",
      text: "How do I track my order?",
      message_id: "<dana-1@example.net>",
    });
    assert.equal((await w.pollOnce()).replied, 1);
    const reply = (await emu.sent(SHOP))[0]!;
    const takenOver = () =>
      store.threads.isTakenOver(account.id, first.threadId);

    await t.step(
      "a recorded agent reply costs nothing and changes nothing",
      async () => {
        assert.equal(
          await store.threads.sentBy(account.id, reply.id, agent.clock.now()),
          "agent",
        );
        const before = await emu.calls();
        const s = await w.pollOnce();
        const after = await emu.calls();
        assert.deepEqual([s.fetched, s.errors], [0, 0]);
        assert.equal(after.units - before.units, 2, "one history.list");
        assert.equal(await takenOver(), false);
      },
    );

    await t.step(
      "an agent Message-ID with no record (a crash after the send) is still the agent's",
      async () => {
        const hex = "0123456789abcdef0123456789abcdef";
        await sendAsUser(emu, {
          to: "dana@example.net",
          subject: "Re: Shipping",
          messageId: `<agent-${hex}@shop.example>`,
          threadId: first.threadId,
          inReplyTo: "<dana-1@example.net>",
        });
        const before = await emu.calls();
        await w.pollOnce();
        const after = await emu.calls();
        assert.equal(
          (after.calls["messages.get"] ?? 0) -
            (before.calls["messages.get"] ?? 0),
          1,
        );
        assert.equal(await takenOver(), false);
      },
    );

    await t.step(
      "the customer's follow-up is answered by the agent",
      async () => {
        await emu.deliver(SHOP, {
          from: "dana@example.net",
          subject: "Re: Shipping",
          text: "Thanks. Do you ship internationally?",
          in_reply_to: "<dana-1@example.net>",
          references: ["<dana-1@example.net>"],
        });
        const s = await w.pollOnce();
        assert.deepEqual([s.replied, s.queued], [1, 0]);
        assert.equal(await takenOver(), false);
      },
    );
  } finally {
    await agent.close();
  }
});

Deno.test("Gmail takeover: a person's reply during a history gap is found by the full sync", async () => {
  const agent = await openGmailAgent();
  try {
    const { emu, store, account } = agent;
    const w = agent.worker();
    await w.pollOnce();
    const first = await emu.deliver(SHOP, {
      from: "partner@agency.example",
      subject: "Partnership",
      text:
        "We are a marketing agency and would like to discuss a collaboration.",
      message_id: "<partner-2@agency.example>",
    });
    assert.equal((await w.pollOnce()).queued, 1);
    await sendAsUser(emu, {
      to: "partner@agency.example",
      subject: "Re: Partnership",
      messageId: "<CAPERSON2@mail.gmail.com>",
      threadId: first.threadId,
      inReplyTo: "<partner-2@agency.example>",
    });
    await emu.expireHistory(SHOP);
    const s = await w.pollOnce();
    assert.equal(s.errors, 0);
    assert.deepEqual(
      await store.review.openForThread(account.id, first.threadId),
      [],
    );
    assert.equal(
      await store.threads.isTakenOver(account.id, first.threadId),
      true,
    );
  } finally {
    await agent.close();
  }
});

Deno.test("Gmail takeover: a history listing without labels still finds a person's reply", async () => {
  let proxy: Deno.HttpServer<Deno.NetAddr> | null = null;
  const agent = await openGmailAgent({
    // A proxy drops `labelIds` from history records (Gmail documents only
    // id and threadId as certain): each message is then read in full.
    googleBaseUrl: (target) => {
      proxy = Deno.serve(
        { port: 0, hostname: "127.0.0.1", onListen: () => {} },
        async (req) => {
          const url = new URL(req.url);
          const res = await fetch(target + url.pathname + url.search, {
            method: req.method,
            headers: req.headers,
            body: req.body,
          });
          if (!url.pathname.endsWith("/history") || res.status !== 200) {
            return res;
          }
          const body = await res.json();
          for (const h of body.history ?? []) {
            for (const a of h.messagesAdded ?? []) delete a.message.labelIds;
          }
          return Response.json(body);
        },
      );
      return `http://127.0.0.1:${proxy.addr.port}`;
    },
  });
  try {
    const { emu, store, account } = agent;
    const w = agent.worker();
    await w.pollOnce();
    const first = await emu.deliver(SHOP, {
      from: "partner@agency.example",
      subject: "Partnership",
      text:
        "We are a marketing agency and would like to discuss a collaboration.",
      message_id: "<partner-3@agency.example>",
    });
    assert.equal((await w.pollOnce()).queued, 1);
    const person = await sendAsUser(emu, {
      to: "partner@agency.example",
      subject: "Re: Partnership",
      messageId: "<CAPERSON3@mail.gmail.com>",
      threadId: first.threadId,
      inReplyTo: "<partner-3@agency.example>",
    });
    const s = await w.pollOnce();
    assert.deepEqual([s.replied, s.queued, s.errors], [0, 0, 0]);
    assert.deepEqual(
      await store.review.openForThread(account.id, first.threadId),
      [],
    );
    assert.equal(
      await store.threads.isTakenOver(account.id, first.threadId),
      true,
    );
    const e = await store.ledger.get(account.id, person.id);
    assert.equal(e?.decision?.reason, "own_address", "never inbound mail");
  } finally {
    await agent.close();
    await (proxy as Deno.HttpServer<Deno.NetAddr> | null)?.shutdown();
  }
});
