/**
 * Guards end to end in draft mode: machine mail gets no draft and is
 * recorded with its reason; the per-sender limit sends the rest to review.
 */
import { sharedData } from "../../eval/shared_data.ts";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { openGmailAgent } from "../helpers/gmail_agent.ts";

const SHOP = "support@shop.example";
const BOUNCE = sharedData("mime/messages/postal-mime__fixtures__bounce.eml");
const REFUND_TEXT = "Please refund my order, I do not want it anymore.";

Deno.test("Gmail guards (draft mode): machine mail gets no draft and keeps its reason", async () => {
  const agent = await openGmailAgent({ replyMode: "draft" });
  try {
    const { emu } = agent;
    const base = { subject: "Refund please", text: REFUND_TEXT };
    const cases: [string, Promise<{ id: string; threadId: string }>][] = [
      [
        "auto_submitted",
        emu.deliver(SHOP, {
          ...base,
          from: "a1@example.net",
          headers: { "Auto-Submitted": "auto-replied" },
        }),
      ],
      [
        "bulk_precedence",
        emu.deliver(SHOP, {
          ...base,
          from: "a2@example.net",
          headers: { Precedence: "bulk" },
        }),
      ],
      [
        "mailing_list",
        emu.deliver(SHOP, {
          ...base,
          from: "a3@example.net",
          headers: { "List-Id": "<l.example.net>" },
        }),
      ],
      [
        "mailing_list",
        emu.deliver(SHOP, {
          ...base,
          from: "a4@example.net",
          headers: { "List-Unsubscribe": "<mailto:u@example.net>" },
        }),
      ],
      [
        "auto_reply_header",
        emu.deliver(SHOP, {
          ...base,
          from: "a5@example.net",
          headers: { "X-Autoreply": "yes" },
        }),
      ],
      [
        "auto_reply_header",
        emu.deliver(SHOP, {
          ...base,
          from: "a6@example.net",
          headers: { "X-Autorespond": "1" },
        }),
      ],
      [
        "bounce",
        emu.deliver(SHOP, {
          raw: Buffer.from(await Deno.readFile(BOUNCE)).toString("base64url"),
        }),
      ],
      [
        "noreply_sender",
        emu.deliver(SHOP, { ...base, from: "no-reply@example.net" }),
      ],
      [
        "noreply_sender",
        emu.deliver(SHOP, { ...base, from: "do-not-reply@example.net" }),
      ],
      [
        "bounce",
        emu.deliver(SHOP, { ...base, from: "postmaster@example.net" }),
      ],
      ["own_address", emu.deliver(SHOP, { ...base, from: SHOP })],
    ];
    const delivered = await Promise.all(
      cases.map(async ([r, p]) => [r, await p] as const),
    );
    const normal = await emu.deliver(SHOP, {
      ...base,
      from: "jane@example.com",
    });

    const s = await agent.worker().pollOnce();
    assert.equal(s.errors, 0);
    assert.equal(s.drafted, 1);
    assert.equal(s.replied, 0);
    // Our own address is excluded by the first sync's query (-from:me).
    assert.equal(s.ignored, cases.length - 1);
    const drafts = await emu.drafts(SHOP);
    assert.equal(drafts.length, 1);
    assert.equal(drafts[0]?.threadId, normal.threadId);
    assert.equal((await emu.sent(SHOP)).length, 0);
    for (const [reason, m] of delivered) {
      const e = await agent.store.ledger.get(agent.account.id, m.id);
      if (reason === "own_address" && e === null) continue;
      assert.equal(e?.decision?.action, "ignore", reason);
      assert.equal(e?.decision?.reason, reason);
      assert.equal(e?.state, "done");
    }
  } finally {
    await agent.close();
  }
});

Deno.test("Gmail guards: own mail arriving later through history is never answered", async () => {
  const agent = await openGmailAgent();
  try {
    await agent.worker().pollOnce();
    const m = await agent.emu.deliver(SHOP, {
      from: SHOP,
      subject: "Refund",
      text: REFUND_TEXT,
    });
    const s = await agent.worker().pollOnce();
    assert.equal(s.replied, 0);
    assert.equal(s.ignored, 1);
    const e = await agent.store.ledger.get(agent.account.id, m.id);
    assert.equal(e?.decision?.reason, "own_address");
    assert.equal((await agent.emu.sent(SHOP)).length, 0);
  } finally {
    await agent.close();
  }
});

Deno.test("Gmail guards: past MAX_AUTO_REPLIES_PER_SENDER a sender's mail goes to review", async () => {
  const agent = await openGmailAgent({ maxAutoRepliesPerSender: 2 });
  try {
    const { emu } = agent;
    const w = agent.worker();
    await w.pollOnce();
    for (let i = 1; i <= 3; i++) {
      await emu.deliver(SHOP, {
        from: "eager@example.com",
        subject: `Refund ${i}`,
        text: REFUND_TEXT,
      });
      await w.pollOnce();
    }
    assert.equal((await emu.sent(SHOP)).length, 2);
    const queued = await agent.store.review.list({
      accountId: agent.account.id,
    });
    assert.equal(queued.length, 1);
    assert.equal(queued[0]?.reason, "rate_limited");
    // A day later the sender may get automatic replies again.
    agent.clock.advance(25 * 3600_000);
    await emu.deliver(SHOP, {
      from: "eager@example.com",
      subject: "Refund 4",
      text: REFUND_TEXT,
    });
    assert.equal((await w.pollOnce()).replied, 1);
  } finally {
    await agent.close();
  }
});
