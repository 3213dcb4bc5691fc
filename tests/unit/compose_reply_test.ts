import assert from "node:assert/strict";
import {
  composeReply,
  isAgentMessageId,
  replyMessageId,
  replySubject,
} from "../../pipeline/mail/compose_reply.ts";
import { parseEmail } from "../../pipeline/mail/parse_email.ts";
import type { ParsedEmail } from "../../pipeline/types.ts";

const account = { id: "acc-1", email: "support@shop.example" };
const now = new Date("2026-11-24T03:00:00Z");

async function original(headers: string, body = "Where is my order?") {
  const raw = new TextEncoder().encode(
    `${headers}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`,
  );
  return await parseEmail(raw, { id: "g123", threadId: "th9", labelIds: [] });
}

async function reparse(raw: Uint8Array): Promise<ParsedEmail> {
  return await parseEmail(raw, { id: "r", threadId: "th9", labelIds: [] });
}

Deno.test("replySubject() keeps the customer's subject and adds Re: only without a reply prefix", () => {
  assert.equal(replySubject("Order status"), "Re: Order status");
  assert.equal(replySubject("Re: Order status"), "Re: Order status");
  assert.equal(replySubject("RE: Order status"), "RE: Order status");
  assert.equal(replySubject("Re[2]: Order status"), "Re[2]: Order status");
  assert.equal(replySubject("Antw: Bestelling"), "Antw: Bestelling");
  assert.equal(
    replySubject("Re: RE: Aw: Order  status"),
    "Re: RE: Aw: Order  status",
  );
  assert.equal(replySubject(""), "Re:");
  assert.equal(replySubject("Refund please"), "Re: Refund please");
  assert.equal(replySubject("Reply needed"), "Re: Reply needed");
  assert.equal(replySubject("Fwd: invoice"), "Re: Fwd: invoice");
});

Deno.test("replyMessageId() is deterministic per account and message, and unchanged: SHA-256 of account:message", async () => {
  const a = await replyMessageId("acc-1", "g1", "Shop.Example");
  assert.equal(a, await replyMessageId("acc-1", "g1", "shop.example"));
  assert.notEqual(a, await replyMessageId("acc-2", "g1", "shop.example"));
  assert.notEqual(a, await replyMessageId("acc-1", "g2", "shop.example"));
  assert.match(a, /^<agent-[0-9a-f]{32}@shop\.example>$/);
  // The first 32 hex digits of SHA-256("acc-1:g1"): the ids of replies sent
  // before any change of the code must still be found by a retry.
  assert.equal(a, "<agent-374cdf55f3cf68e086a7203346f9b3eb@shop.example>");
  assert.ok(isAgentMessageId(a));
  assert.ok(!isAgentMessageId("<CAF=abc@mail.gmail.com>"));
  assert.ok(!isAgentMessageId(null));
});

Deno.test("composeReply()", async (t) => {
  await t.step(
    "threads the reply: In-Reply-To, References, Re: once, From, To",
    async () => {
      const o = await original(
        "From: Jane <jane@example.com>\r\nTo: support@shop.example\r\nSubject: =?UTF-8?Q?Re:_Commande_=C3=A9gar=C3=A9e?=\r\nMessage-ID: <m2@example.com>\r\nReferences: <m0@example.com> <m1@example.com>",
      );
      const r = await composeReply({
        account,
        original: o,
        text: "Votre colis arrive demain. Merci — l'équipe",
        now,
        autoSubmitted: true,
      });
      const p = await reparse(r.raw);
      assert.equal(p.subject, "Re: Commande égarée");
      assert.equal(p.inReplyTo, "<m2@example.com>");
      assert.deepEqual(p.references, [
        "<m0@example.com>",
        "<m1@example.com>",
        "<m2@example.com>",
      ]);
      assert.equal(p.from?.address, "support@shop.example");
      assert.deepEqual(p.to.map((a) => a.address), ["jane@example.com"]);
      assert.equal(
        p.messageId,
        await replyMessageId("acc-1", "g123", "shop.example"),
      );
      assert.equal(r.messageId, p.messageId);
      assert.equal(r.threadId, "th9");
      assert.equal(
        p.text.trim(),
        "Votre colis arrive demain. Merci — l'équipe",
      );
      assert.match(
        p.headers["content-type"] ?? "",
        /text\/plain; charset=utf-8/i,
      );
      assert.equal(p.headers["auto-submitted"], "auto-replied");
    },
  );
  await t.step("answers the Reply-To when there is one", async () => {
    const o = await original(
      "From: Shop Form <form@example.com>\r\nReply-To: Bob <bob@example.org>\r\nSubject: Hi\r\nMessage-ID: <m3@example.com>",
    );
    const r = await composeReply({
      account,
      original: o,
      text: "Hello",
      now,
      autoSubmitted: false,
    });
    const p = await reparse(r.raw);
    assert.deepEqual(p.to.map((a) => a.address), ["bob@example.org"]);
    assert.deepEqual(p.references, ["<m3@example.com>"]);
    assert.equal(p.headers["auto-submitted"], undefined);
  });
  await t.step(
    "answers the From, never the Reply-To, when asked to (refund replies)",
    async () => {
      const o = await original(
        "From: Alice <alice@example.com>\r\nReply-To: Mallory <mallory@evil.test>\r\nSubject: Refund ORD10001\r\nMessage-ID: <m4@example.com>",
      );
      const r = await composeReply({
        account,
        original: o,
        text: "Your refund request is recorded.",
        now,
        autoSubmitted: true,
        recipient: "from",
      });
      const p = await reparse(r.raw);
      assert.deepEqual(p.to.map((a) => a.address), ["alice@example.com"]);
    },
  );
  await t.step("refuses a message without a sender", async () => {
    const o = await original("Subject: nobody");
    await assert.rejects(
      composeReply({
        account,
        original: o,
        text: "x",
        now,
        autoSubmitted: true,
      }),
      TypeError,
    );
  });
});
