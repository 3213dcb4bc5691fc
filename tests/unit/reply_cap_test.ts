/**
 * The daily reply cap counts by the address a reply goes to and by the
 * sender (reply_cap.ts); a From naming two addresses counts against
 * neither and goes to a person (guards.ts).
 */
import assert from "node:assert/strict";
import { textEmail } from "../../eval/text_email.ts";
import { checkGuards } from "../../pipeline/decide/guards.ts";
import {
  overReplyCap,
  recipientKind,
  replyCapKeys,
  replyRecipient,
  replyRecipientKey,
} from "../../pipeline/decide/reply_cap.ts";

const mail = (from: string, replyTo: string | null, rawFrom = from) =>
  textEmail("How long does shipping take?", {
    from: { address: from, name: "" },
    replyTo: replyTo ? { address: replyTo, name: "" } : null,
    headers: { from: rawFrom },
  });

Deno.test("replyRecipient(): refunds go to From, everything else to Reply-To, else From", () => {
  const m = mail("alice@example.com", "Third@Party.test");
  assert.equal(replyRecipient(m, "Refund")?.address, "alice@example.com");
  assert.equal(replyRecipient(m, "Question")?.address, "Third@Party.test");
  assert.equal(replyRecipientKey(m, "Question"), "third@party.test");
  assert.equal(
    replyRecipient(mail("a@b.test", null), "Other")?.address,
    "a@b.test",
  );
  assert.equal(recipientKind("Refund"), "from");
  assert.equal(recipientKind("Question"), "reply_to");
});

Deno.test("replyCapKeys(): the sender, and every address the reply could go to", () => {
  assert.deepEqual(
    replyCapKeys(mail("Alice@Example.com", "third@party.test")),
    {
      sender: "alice@example.com",
      recipients: ["alice@example.com", "third@party.test"],
    },
  );
  assert.deepEqual(
    replyCapKeys(mail("alice@example.com", "ALICE@example.com")),
    {
      sender: "alice@example.com",
      recipients: ["alice@example.com"],
    },
  );
});

Deno.test("replyCapKeys(): a From with two addresses counts against neither", () => {
  assert.deepEqual(
    replyCapKeys(
      mail(
        "alice@example.com",
        null,
        "alice@example.com, bob@example.org",
      ),
    ),
    { sender: null, recipients: [] },
  );
});

Deno.test("overReplyCap(): the sender's count or the recipient's reaching the cap stops the reply", () => {
  assert.equal(overReplyCap({ bySender: 2, byRecipient: 2 }, 3), false);
  assert.equal(overReplyCap({ bySender: 0, byRecipient: 3 }, 3), true);
  assert.equal(overReplyCap({ bySender: 3, byRecipient: 0 }, 3), true);
});

Deno.test("checkGuards(): replies already addressed to the Reply-To put a new sender in review", () => {
  const ctx = {
    accountEmail: "support@shop.test",
    repliesToSenderLast24h: 0,
    maxRepliesPerSender: 3,
  };
  const m = mail("new.sender@example.com", "victim@third.test");
  assert.equal(checkGuards(m, { ...ctx, repliesToRecipientLast24h: 2 }), null);
  assert.deepEqual(checkGuards(m, { ...ctx, repliesToRecipientLast24h: 3 }), {
    reason: "rate_limited",
    action: "review",
  });
});

Deno.test("checkGuards(): a From naming two addresses goes to a person", () => {
  const ctx = {
    accountEmail: "support@shop.test",
    repliesToSenderLast24h: 0,
    maxRepliesPerSender: 3,
  };
  for (
    const raw of [
      "alice@example.com, bob@example.org",
      "<alice@example.com> <bob@example.org>",
      "Alice <alice@example.com>, Bob <bob@example.org>",
    ]
  ) {
    assert.deepEqual(checkGuards(mail("alice@example.com", null, raw), ctx), {
      reason: "ambiguous_sender",
      action: "review",
    }, raw);
  }
  assert.equal(
    checkGuards(
      mail("alice@example.com", null, '"Smith, Alice" <alice@example.com>'),
      ctx,
    ),
    null,
  );
});
