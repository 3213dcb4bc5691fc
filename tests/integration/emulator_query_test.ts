/**
 * The emulator's `q` search, `labelIds` filter and delivery threading, over
 * real HTTP, with an injected clock for `newer_than:`.
 */
import assert from "node:assert/strict";
import { startTestEmulator } from "../helpers/emulator.ts";

const ME = "desk@shop.test";

Deno.test("gmail emulator search supports the agent's query operators", async (t) => {
  const now = new Date("2026-06-10T12:00:00Z");
  const emu = await startTestEmulator({ now: () => now });
  try {
    const token = await emu.accessToken(ME);
    const get = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${emu.url}/gmail/v1/users/me/${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
        },
      });
      const body = await res.json();
      if (!res.ok) throw new Error(`${res.status} ${JSON.stringify(body)}`);
      return body;
    };
    const search = async (q: string, extra = ""): Promise<string[]> => {
      const body = await get(`messages?q=${encodeURIComponent(q)}${extra}`);
      return (body.messages ?? []).map((m: { id: string }) => m.id).sort();
    };
    const ids = (...xs: string[]) => [...xs].sort();

    const a = await emu.deliver(ME, {
      from: "Ann <ann@cust.test>",
      subject: "Refund for ORD100",
      text: "Please refund my order.",
      message_id: "<ann-1@cust.test>",
    });
    const b = await emu.deliver(ME, {
      from: "bob@other.test",
      subject: "Shipping question",
      text: "When does it ship?",
      date: "2026-06-01T12:00:00Z",
    });
    const reply = await emu.deliver(ME, {
      from: "Ann <ann@cust.test>",
      subject: "Re: Refund for ORD100",
      text: "Any news?",
      in_reply_to: "<ann-1@cust.test>",
    });
    const label = await get("labels", {
      method: "POST",
      body: JSON.stringify({ name: "Agent/Processed" }),
    });
    await get(`messages/${b.id}/modify`, {
      method: "POST",
      body: JSON.stringify({
        addLabelIds: [label.id],
        removeLabelIds: ["UNREAD"],
      }),
    });
    const raw = btoa(
      `From: ${ME}\r\nTo: "Ann" <ann@cust.test>\r\nSubject: Re: Refund for ORD100\r\nIn-Reply-To: <ann-1@cust.test>\r\nReferences: <ann-1@cust.test>\r\n\r\nDone.\r\n`,
    ).replaceAll("+", "-").replaceAll("/", "_");
    const sent = await get("messages/send", {
      method: "POST",
      body: JSON.stringify({ raw, threadId: a.threadId }),
    });

    await t.step(
      "a reply delivered with In-Reply-To joins the original thread",
      () => {
        assert.equal(reply.threadId, a.threadId);
        assert.notEqual(b.threadId, a.threadId);
        assert.equal(sent.threadId, a.threadId);
      },
    );

    await t.step("in:inbox, in:sent, is:unread", async () => {
      assert.deepEqual(await search("in:inbox"), ids(a.id, b.id, reply.id));
      assert.deepEqual(await search("in:sent"), ids(sent.id));
      assert.deepEqual(await search("is:unread"), ids(a.id, reply.id));
      assert.deepEqual(await search("in:inbox is:unread"), ids(a.id, reply.id));
    });

    await t.step(
      "label:/-label: match names case-insensitively, with / or -",
      async () => {
        assert.deepEqual(await search("label:Agent/Processed"), ids(b.id));
        assert.deepEqual(await search("label:agent-processed"), ids(b.id));
        assert.deepEqual(
          await search("in:inbox -label:agent-processed"),
          ids(a.id, reply.id),
        );
        assert.deepEqual(await search("label:no-such-label"), []);
      },
    );

    await t.step("from:, from:me, -from:me, to:", async () => {
      assert.deepEqual(await search("from:ann@cust.test"), ids(a.id, reply.id));
      assert.deepEqual(await search("from:me"), ids(sent.id));
      assert.deepEqual(await search("-from:me"), ids(a.id, b.id, reply.id));
      assert.deepEqual(await search("to:ann@cust.test"), ids(sent.id));
    });

    await t.step("rfc822msgid: with or without angle brackets", async () => {
      assert.deepEqual(await search("rfc822msgid:ann-1@cust.test"), ids(a.id));
      assert.deepEqual(
        await search("rfc822msgid:<ann-1@cust.test>"),
        ids(a.id),
      );
      assert.deepEqual(await search("rfc822msgid:missing@cust.test"), []);
    });

    await t.step("newer_than: uses the injected clock", async () => {
      assert.deepEqual(
        await search("newer_than:2d"),
        ids(a.id, reply.id, sent.id),
      );
      assert.deepEqual(
        await search("newer_than:12d"),
        ids(a.id, b.id, reply.id, sent.id),
      );
      assert.deepEqual(await search("older_than:2d"), ids(b.id));
    });

    await t.step(
      "subject: with a quoted value, free words, AND of terms",
      async () => {
        assert.deepEqual(
          await search('subject:"shipping question"'),
          ids(b.id),
        );
        assert.deepEqual(
          await search("subject:refund from:ann@cust.test is:unread"),
          ids(a.id, reply.id),
        );
        assert.deepEqual(await search("ship"), ids(b.id));
      },
    );

    await t.step("unknown operators are ignored, negated or not", async () => {
      assert.deepEqual(
        await search("in:inbox category:primary"),
        ids(a.id, b.id, reply.id),
      );
      assert.deepEqual(
        await search("in:inbox -category:promotions"),
        ids(a.id, b.id, reply.id),
      );
    });

    await t.step("labelIds must all match", async () => {
      assert.deepEqual(
        await search("", "&labelIds=INBOX&labelIds=UNREAD"),
        ids(a.id, reply.id),
      );
      assert.deepEqual(
        await search("", `&labelIds=INBOX&labelIds=${label.id}`),
        ids(b.id),
      );
    });

    await t.step("SPAM and TRASH are left out unless asked for", async () => {
      await get(`messages/${a.id}/modify`, {
        method: "POST",
        body: JSON.stringify({ addLabelIds: ["SPAM"] }),
      });
      assert.deepEqual(await search("from:ann@cust.test"), ids(reply.id));
      assert.deepEqual(
        await search("from:ann@cust.test", "&includeSpamTrash=true"),
        ids(a.id, reply.id),
      );
      assert.deepEqual(await search("in:spam"), ids(a.id));
    });

    await t.step(
      "a reply in another mailbox does not join this mailbox's thread",
      async () => {
        const other = await emu.deliver("other@shop.test", {
          from: "ann@cust.test",
          subject: "Re: Refund for ORD100",
          text: "x",
          in_reply_to: "<ann-1@cust.test>",
        });
        assert.equal(other.threadId, other.id);
      },
    );
  } finally {
    await emu.close();
  }
});
