/**
 * Sender authentication over real HTTP: the emulator stamps Gmail's
 * Authentication-Results on delivered mail, the agent reads it through the
 * Gmail API, and only an authenticated From starts a refund. A failed, a
 * missing and a sender-forged result get the neutral reply (to the From
 * address), mark nothing and are logged as invalid attempts.
 */
import assert from "node:assert/strict";
import { parseEmail } from "../../pipeline/mail/parse_email.ts";
import { openGmailAgent } from "../helpers/gmail_agent.ts";

const SHOP = "support@shop.example";

function b64url(text: string): string {
  return btoa(text).replaceAll("+", "-").replaceAll("/", "_")
    .replaceAll("=", "");
}

Deno.test("Gmail flow: a refund from an unauthenticated From (fail, missing, forged) marks nothing; the authenticated one does", async () => {
  const agent = await openGmailAgent({ backend: "kv" });
  try {
    const { emu } = agent;
    const failed = await emu.deliver(SHOP, {
      from: "Bob <bob@example.org>",
      subject: "Refund ORD10002",
      text: "Please refund order ORD10002, it arrived broken.",
      auth: "fail",
    });
    const missing = await emu.deliver(SHOP, {
      from: "Jane <jane@example.com>",
      subject: "Refund ORD10001",
      text: "Please refund order ORD10001.",
      auth: "missing",
    });
    // The sender writes a passing result; Gmail's own (none) goes on top.
    const forged = await emu.deliver(SHOP, {
      raw: b64url([
        "Authentication-Results: mx.google.com; dkim=pass header.i=@example.org; spf=pass smtp.mailfrom=bob@example.org; dmarc=pass header.from=example.org",
        "From: bob@example.org",
        `To: ${SHOP}`,
        "Subject: Refund for ORD10002 again",
        "Message-ID: <forged-1@example.org>",
        "",
        "Refund ORD10002 please.",
      ].join("\r\n")),
      auth: "none",
    });
    const summary = await agent.worker().pollOnce();
    assert.equal(summary.replied, 3);
    assert.equal(summary.errors, 0);
    for (const m of [failed, missing, forged]) {
      const e = await agent.store.ledger.get(agent.account.id, m.id);
      assert.equal(e?.decision?.reason, "unverified_sender", m.id);
      assert.match(
        e?.decision?.reply ?? "",
        /write to us from the email address you used/,
      );
    }
    for (const id of ["ORD10001", "ORD10002"]) {
      const o = await agent.store.orders.get(id);
      assert.equal(o?.refundRequestedAt, null, id);
    }
    const attempts = await agent.store.refunds.listInvalidAttempts(10);
    assert.deepEqual(
      attempts.map((a) => a.reason).sort(),
      ["unverified_sender", "unverified_sender", "unverified_sender"],
    );
    // The neutral replies go to the From address.
    const sent = await emu.sent(SHOP);
    const to = await Promise.all(
      sent.map(async (m) =>
        (await parseEmail(new TextEncoder().encode(m.rfc822), {
          id: m.id,
          threadId: m.threadId,
          labelIds: [],
        })).to[0]?.address
      ),
    );
    assert.deepEqual(to.sort(), [
      "bob@example.org",
      "bob@example.org",
      "jane@example.com",
    ]);

    await emu.deliver(SHOP, {
      from: "Bob <bob@example.org>",
      subject: "Refund ORD10002",
      text: "Writing from my own account: please refund ORD10002.",
    });
    await agent.worker().pollOnce();
    const o = await agent.store.orders.get("ORD10002");
    assert.ok(o?.refundRequestedAt, "the authenticated request marks it");
  } finally {
    await agent.close();
  }
});
