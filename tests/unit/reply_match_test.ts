import assert from "node:assert/strict";
import {
  firstMessageId,
  rawHeader,
  repliesTo,
  sameAutoSubmitted,
} from "../../pipeline/worker/reply_match.ts";

const enc = (s: string) => new TextEncoder().encode(s);

Deno.test("reply_match finds a reply without its Message-ID", async (t) => {
  await t.step("rawHeader reads a folded header of the head only", () => {
    const raw = enc(
      "Subject: Re: x\r\nIn-Reply-To:\r\n <a@b.test>\r\nAuto-Submitted: auto-replied\r\n\r\nIn-Reply-To: <body@x>\r\n",
    );
    assert.equal(rawHeader(raw, "in-reply-to"), "<a@b.test>");
    assert.equal(rawHeader(raw, "Auto-Submitted"), "auto-replied");
    assert.equal(
      rawHeader(enc("Subject: x\n\nReferences: <y@z>"), "References"),
      null,
    );
  });
  await t.step("firstMessageId takes the first bracketed id", () => {
    assert.equal(firstMessageId(" <a@b> <c@d>"), "<a@b>");
    assert.equal(firstMessageId("no id"), null);
    assert.equal(firstMessageId(null), null);
  });
  await t.step(
    "repliesTo keeps the thread messages answering the id with a wanted label",
    () => {
      const m = (id: string, inReplyTo: string | null, labelIds: string[]) => ({
        id,
        labelIds,
        messageId: null,
        snippet: "",
        inReplyTo,
      });
      const thread = [
        m("orig", null, ["INBOX"]),
        m("sent", "<o@x>", ["SENT"]),
        m("draft", "<o@x>", ["DRAFT"]),
        m("other", "<p@x>", ["SENT"]),
      ];
      assert.deepEqual(repliesTo(thread, "<o@x>", ["SENT"]).map((x) => x.id), [
        "sent",
      ]);
      assert.deepEqual(
        repliesTo(thread, "<o@x>", ["DRAFT", "SENT"]).map((x) => x.id),
        ["sent", "draft"],
      );
    },
  );
  await t.step(
    "sameAutoSubmitted compares case-insensitively, null with null",
    () => {
      assert.ok(
        sameAutoSubmitted({ autoSubmitted: "Auto-Replied " }, "auto-replied"),
      );
      assert.ok(sameAutoSubmitted({}, null));
      assert.ok(!sameAutoSubmitted({ autoSubmitted: null }, "auto-replied"));
      assert.ok(!sameAutoSubmitted({ autoSubmitted: "auto-replied" }, null));
    },
  );
});
