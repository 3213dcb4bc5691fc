/**
 * The agent never rewrites a customer's subject, so its reply stays in the
 * customer's thread: the emulator (like Gmail) keeps a sent reply in its
 * thread only when the subjects match. Subjects with other languages' reply
 * prefixes (Antw:, VS:, Re(2):, …) left the thread when `Re: ` replaced
 * them; a 20,000-character
 * subject gave a 20,001-character Subject line.
 */
import assert from "node:assert/strict";
import { openGmailAgent } from "../helpers/gmail_agent.ts";
import { parseEmail } from "../../pipeline/mail/parse_email.ts";

const SHOP = "support@shop.example";

Deno.test("Gmail subject: replies to subjects with any reply prefix stay in the customer's thread, subject kept", async () => {
  const agent = await openGmailAgent();
  try {
    const { emu } = agent;
    const w = agent.worker();
    await w.pollOnce();
    const subjects = [
      "Antw: How do I track my order?",
      "SV: How do I track my order?",
      "VS: How do I track my order?",
      "Re(2): How do I track my order?",
      "RE: How do I track my order?",
      "How do I track my order?",
    ];
    const delivered = [];
    for (const [i, subject] of subjects.entries()) {
      delivered.push(
        await emu.deliver(SHOP, {
          from: `s${i}@example.net`,
          subject,
          text: "Hi, how do I track my order?",
          message_id: `<s${i}@example.net>`,
        }),
      );
    }
    assert.equal((await w.pollOnce()).replied, subjects.length);
    const sent = await emu.sent(SHOP);
    for (const [i, subject] of subjects.entries()) {
      const reply = sent.find((m) => m.rfc822.includes(`<s${i}@example.net>`));
      assert.ok(reply, `a reply to ${subject}`);
      assert.equal(reply.threadId, delivered[i]!.threadId, subject);
      const parsed = await parseEmail(new TextEncoder().encode(reply.rfc822), {
        id: "r",
        threadId: "t",
        labelIds: [],
      });
      const expected = i === subjects.length - 1 ? `Re: ${subject}` : subject;
      assert.equal(parsed.subject, expected);
    }
  } finally {
    await agent.close();
  }
});

Deno.test("Gmail subject: a 20,000-character subject is answered in its thread with a capped, folded Subject", async () => {
  const agent = await openGmailAgent();
  try {
    const { emu } = agent;
    const w = agent.worker();
    await w.pollOnce();
    const subject = `Tracking ${"a".repeat(20_000)}`;
    const m = await emu.deliver(SHOP, {
      from: "long@example.net",
      subject,
      text: "Hi, how do I track my order?",
    });
    assert.equal((await w.pollOnce()).replied, 1);
    const [reply] = await emu.sent(SHOP);
    assert.ok(reply);
    const head = reply.rfc822.split("\r\n\r\n")[0]!;
    const longest = Math.max(...head.split("\r\n").map((l) => l.length));
    assert.ok(longest <= 78, `longest header line: ${longest}`);
    // Gmail compares subjects once decoded: a cut subject leaves the thread,
    // so only subjects beyond the hard cap start a new one.
    assert.notEqual(reply.threadId, m.threadId);
  } finally {
    await agent.close();
  }
});
