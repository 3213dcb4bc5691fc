import assert from "node:assert/strict";
import {
  checkGuards,
  type GuardContext,
} from "../../pipeline/decide/guards.ts";
import type { ParsedEmail } from "../../pipeline/types.ts";
import { textEmail } from "../../eval/text_email.ts";

function email(over: Partial<ParsedEmail> = {}): ParsedEmail {
  return textEmail("Hi", {
    messageId: "<m1@example.com>",
    from: { name: "Jane", address: "jane@example.com" },
    to: [{ name: "", address: "support@shop.example" }],
    subject: "Where is my order?",
    labelIds: ["INBOX"],
    ...over,
  });
}
const ctx: GuardContext = {
  accountEmail: "Support@Shop.example",
  repliesToSenderLast24h: 0,
  maxRepliesPerSender: 3,
};
const reason = (e: ParsedEmail, c = ctx) => checkGuards(e, c)?.reason ?? null;

Deno.test("checkGuards()", async (t) => {
  await t.step("lets a normal customer email through", () => {
    assert.equal(checkGuards(email(), ctx), null);
  });
  await t.step("blocks Auto-Submitted other than no", () => {
    assert.equal(
      reason(email({ headers: { "auto-submitted": "auto-replied" } })),
      "auto_submitted",
    );
    assert.equal(
      reason(
        email({ headers: { "auto-submitted": "auto-generated (failure)" } }),
      ),
      "auto_submitted",
    );
    assert.equal(reason(email({ headers: { "auto-submitted": "No" } })), null);
  });
  await t.step("blocks Precedence bulk, list and junk", () => {
    for (const p of ["bulk", "list", "junk", "Bulk"]) {
      assert.equal(
        reason(email({ headers: { precedence: p } })),
        "bulk_precedence",
      );
    }
    assert.equal(
      reason(email({ headers: { precedence: "first-class" } })),
      null,
    );
  });
  await t.step("blocks mailing lists", () => {
    assert.equal(
      reason(email({ headers: { "list-id": "<news.example.com>" } })),
      "mailing_list",
    );
    assert.equal(
      reason(email({ headers: { "list-unsubscribe": "<mailto:u@x>" } })),
      "mailing_list",
    );
  });
  await t.step(
    "blocks X-Autoreply / X-Autorespond and out-of-office subjects",
    () => {
      assert.equal(
        reason(email({ headers: { "x-autoreply": "yes" } })),
        "auto_reply_header",
      );
      assert.equal(
        reason(email({ headers: { "x-autorespond": "1" } })),
        "auto_reply_header",
      );
      assert.equal(
        reason(email({ subject: "Automatic reply: your order" })),
        "auto_reply_header",
      );
      assert.equal(
        reason(email({ subject: "Out of Office: back Monday" })),
        "auto_reply_header",
      );
    },
  );
  await t.step("blocks delivery status notifications", () => {
    assert.equal(
      reason(
        email({
          headers: {
            "content-type": "multipart/report; report-type=delivery-status",
          },
        }),
      ),
      "bounce",
    );
    assert.equal(
      reason(
        email({
          attachments: [{
            filename: null,
            mimeType: "message/delivery-status",
            size: 10,
          }],
        }),
      ),
      "bounce",
    );
    assert.equal(
      reason(
        email({ from: { name: "", address: "MAILER-DAEMON@mx.example.com" } }),
      ),
      "bounce",
    );
    assert.equal(
      reason(
        email({
          subject: "Undeliverable: hello",
          headers: { "return-path": "<>" },
        }),
      ),
      "bounce",
    );
  });
  await t.step("blocks no-reply senders and their variants", () => {
    for (
      const a of [
        "noreply@x.com",
        "no-reply@x.com",
        "no_reply@x.com",
        "do-not-reply@x.com",
        "donotreply@x.com",
        "noreply-billing@x.com",
      ]
    ) {
      assert.equal(
        reason(email({ from: { name: "", address: a } })),
        "noreply_sender",
        a,
      );
    }
    assert.equal(
      reason(email({ from: { name: "", address: "reply@x.com" } })),
      null,
    );
    assert.equal(
      reason(email({ from: { name: "", address: "nora@x.com" } })),
      null,
    );
  });
  await t.step("blocks postmaster as a bounce sender", () => {
    assert.equal(
      reason(email({ from: { name: "", address: "postmaster@x.com" } })),
      "bounce",
    );
  });
  await t.step("blocks the account's own address, case-insensitively", () => {
    assert.equal(
      reason(email({ from: { name: "", address: "support@shop.example" } })),
      "own_address",
    );
  });
  await t.step("machine mail is ignored, not queued", () => {
    assert.equal(
      checkGuards(email({ headers: { precedence: "bulk" } }), ctx)?.action,
      "ignore",
    );
  });
  await t.step("sends a sender past the daily limit to review", () => {
    assert.equal(reason(email(), { ...ctx, repliesToSenderLast24h: 2 }), null);
    const g = checkGuards(email(), { ...ctx, repliesToSenderLast24h: 3 });
    assert.deepEqual(g, { reason: "rate_limited", action: "review" });
  });
});
