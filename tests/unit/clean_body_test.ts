import assert from "node:assert/strict";
import { cleanBody } from "../../pipeline/mail/clean_body.ts";

Deno.test("cleanBody()", async (t) => {
  await t.step("strips a Gmail quote header and the quoted text", () => {
    const r = cleanBody(
      "My order id is ORD12345.\n\nOn Mon, Nov 23, 2026 at 10:00 AM Support <support@shop.example> wrote:\n> Could you send your order id?\n> Thanks\n",
    );
    assert.equal(r.text, "My order id is ORD12345.");
    assert.equal(r.truncated, false);
  });
  await t.step("strips an Outlook original-message block", () => {
    const r = cleanBody(
      "Yes please refund it.\n\n-----Original Message-----\nFrom: Support <support@shop.example>\nSent: Monday\n\nOld text",
    );
    assert.equal(r.text, "Yes please refund it.");
  });
  await t.step(
    "strips Outlook's From/Sent block under a line, and the line",
    () => {
      for (
        const sep of ["", "________________________________\n", "-----\n\n"]
      ) {
        const r = cleanBody(
          `How much does it cost to send it back?\n\n${sep}From: Support <support@shop.example>\nSent: Monday, November 3, 2025 9:12 AM\nTo: Karen\nSubject: RE: order\n\nCan you tell me your order number?`,
        );
        assert.equal(r.text, "How much does it cost to send it back?", sep);
      }
    },
  );
  await t.step("strips a -- signature", () => {
    const r = cleanBody(
      "How long does shipping take?\n\n-- \nJane Doe\nACME Corp\n",
    );
    assert.equal(r.text, "How long does shipping take?");
  });
  await t.step("keeps the text when everything looks quoted", () => {
    const r = cleanBody("> only a quote\n> nothing new\n");
    assert.match(r.text, /only a quote/);
  });
  await t.step("cuts long text at a word boundary and says so", () => {
    const r = cleanBody("abcdefghi ".repeat(2000), { maxChars: 1000 });
    assert.ok(r.text.length <= 1000);
    assert.ok(r.text.length > 900);
    assert.ok(r.text.endsWith("abcdefghi"));
    assert.equal(r.truncated, true);
  });
  await t.step("rejects a non-positive limit", () => {
    assert.throws(() => cleanBody("x", { maxChars: 0 }), RangeError);
  });
});
