import { sharedData } from "../../eval/shared_data.ts";
import assert from "node:assert/strict";
import { parseEmail } from "../../pipeline/mail/parse_email.ts";

const meta = { id: "m1", threadId: "t1", labelIds: ["INBOX", "UNREAD"] };
const enc = (s: string) => new TextEncoder().encode(s.replace(/\n/g, "\r\n"));

Deno.test("parseEmail()", async (t) => {
  await t.step(
    "decodes RFC 2047 subjects and lower-cases header names",
    async () => {
      const p = await parseEmail(
        enc(`From: =?UTF-8?B?SsO8cmdlbg==?= <jurgen@example.com>
To: support@shop.example
Subject: =?UTF-8?Q?Wo_ist_meine_Bestellung=3F_=E2=9C=94?=
Message-ID: <abc@example.com>
In-Reply-To: <prev@example.com>
References: <root@example.com> <prev@example.com>
Reply-To: Jurgen Home <jh@example.org>
X-Custom-Thing: 1
Date: Tue, 24 Nov 2026 03:00:00 +0000
Content-Type: text/plain; charset=utf-8

Hallo!
`),
        meta,
      );
      assert.equal(p.subject, "Wo ist meine Bestellung? ✔");
      assert.deepEqual(p.from, {
        name: "Jürgen",
        address: "jurgen@example.com",
      });
      assert.deepEqual(p.replyTo, {
        name: "Jurgen Home",
        address: "jh@example.org",
      });
      assert.equal(p.messageId, "<abc@example.com>");
      assert.equal(p.inReplyTo, "<prev@example.com>");
      assert.deepEqual(p.references, [
        "<root@example.com>",
        "<prev@example.com>",
      ]);
      assert.equal(p.headers["x-custom-thing"], "1");
      assert.equal(p.date?.toISOString(), "2026-11-24T03:00:00.000Z");
      assert.equal(p.text.trim(), "Hallo!");
      assert.deepEqual(p.labelIds, ["INBOX", "UNREAD"]);
      assert.equal(p.id, "m1");
      assert.equal(p.threadId, "t1");
    },
  );

  await t.step("decodes a KOI8-R body and subject", async () => {
    const raw = await Deno.readFile(
      sharedData("mime/messages/synthetic__koi8r__plain_quoted_printable.eml"),
    );
    const p = await parseEmail(raw, meta);
    assert.equal(p.subject, "Где мой заказ?");
    assert.match(p.text, /заказ/);
  });

  await t.step("converts an HTML-only body to text", async () => {
    const p = await parseEmail(
      enc(`From: a@example.com
Subject: html
Content-Type: text/html; charset=iso-8859-1

<html><body><p>Where is my <b>order</b>?</p><p>Caf\xe9</p><img src="x.png"></body></html>
`),
      meta,
    );
    assert.match(p.text, /Where is my order\?/);
    assert.doesNotMatch(p.text, /<b>|<p>/);
    assert.match(p.cleanText, /Where is my order/);
  });

  await t.step("notes attachments without processing them", async () => {
    const p = await parseEmail(
      enc(`From: a@example.com
Subject: invoice
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

See attached.
--b1
Content-Type: application/pdf; name="invoice.pdf"
Content-Disposition: attachment; filename="invoice.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQK
--b1--
`),
      meta,
    );
    assert.equal(p.text.trim(), "See attached.");
    assert.equal(p.attachments.length, 1);
    assert.equal(p.attachments[0]?.filename, "invoice.pdf");
    assert.equal(p.attachments[0]?.mimeType, "application/pdf");
    assert.equal(p.attachments[0]?.size, 9);
  });

  await t.step(
    "keeps a very large body whole but cuts it for the AI",
    async () => {
      const big = "word ".repeat(10_000);
      const p = await parseEmail(
        enc(`From: a@example.com\nSubject: long\n\n${big}\n`),
        meta,
      );
      assert.ok(p.text.length >= 50_000);
      assert.ok(p.cleanText.length <= 8000);
      assert.equal(p.truncated, true);
    },
  );

  await t.step("survives a message with no headers at all", async () => {
    const p = await parseEmail(enc("just text\n"), meta);
    assert.equal(p.from, null);
    assert.equal(p.subject, "");
    assert.equal(p.messageId, null);
  });
});
