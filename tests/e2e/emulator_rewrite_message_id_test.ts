/**
 * The emulator's `rewrite_message_ids` setting: a provider that replaces
 * the client's Message-ID on messages.send and drafts.create, keeping
 * In-Reply-To, References and the thread.
 */
import assert from "node:assert/strict";
import { startTestEmulator } from "../helpers/emulator.ts";

const ME = "rw@shop.test";
const OURS = "<agent-abc123@shop.test>";

function b64url(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

function reply(orig: string): string {
  return [
    "From: rw@shop.test",
    "To: cust@example.net",
    "Subject: Re: Where is my order",
    `Message-ID: ${OURS}`,
    `In-Reply-To: ${orig}`,
    `References: ${orig}`,
    "",
    "It ships today.",
    "",
  ].join("\r\n");
}

Deno.test("emulator rewrite_message_ids setting", async (t) => {
  // The setting itself is under test: start from the default (off).
  const emu = await startTestEmulator({ rewriteMessageIds: false });
  try {
    const token = await emu.accessToken(ME);
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${emu.url}/gmail/v1/users/me/${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      assert.equal(res.status, 200, await res.clone().text());
      return await res.json();
    };
    const header = async (id: string, name: string) => {
      const m = await api(
        "GET",
        `messages/${id}?format=metadata&metadataHeaders=${name}`,
      );
      return (m.payload.headers as { name: string; value: string }[])
        .find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
    };
    const search = async (id: string) =>
      (await api(
        "GET",
        `messages?q=${
          encodeURIComponent(`rfc822msgid:${id.slice(1, -1)} in:anywhere`)
        }`,
      )).messages ?? [];

    await t.step("is off by default and the client's id is kept", async () => {
      assert.deepEqual(await emu.settings({}), {
        rewrite_message_ids: false,
        history_label_ids: true,
        stale_history_status: 404,
      });
      const orig = "<o1@example.net>";
      const m = await emu.deliver(ME, {
        from: "cust@example.net",
        subject: "Where is my order",
        text: "?",
        message_id: orig,
      });
      const sent = await api("POST", "messages/send", {
        raw: b64url(reply(orig)),
        threadId: m.threadId,
      });
      assert.equal(await header(sent.id, "Message-ID"), OURS);
      assert.equal((await search(OURS)).length, 1);
    });

    await t.step(
      "when on, send and draft get a Gmail-style id; In-Reply-To, References and the thread are kept",
      async () => {
        assert.deepEqual(await emu.settings({ rewrite_message_ids: true }), {
          rewrite_message_ids: true,
          history_label_ids: true,
          stale_history_status: 404,
        });
        const orig = "<o2@example.net>";
        const m = await emu.deliver(ME, {
          from: "cust@example.net",
          subject: "Where is my order",
          text: "?",
          message_id: orig,
        });
        const before = (await search(OURS)).length;
        const sent = await api("POST", "messages/send", {
          raw: b64url(reply(orig)),
          threadId: m.threadId,
        });
        const draft = await api("POST", "drafts", {
          message: { raw: b64url(reply(orig)), threadId: m.threadId },
        });
        for (const id of [sent.id, draft.message.id]) {
          const mid = await header(id, "Message-ID");
          assert.match(mid ?? "", /^<CA[A-Za-z0-9_-]+@mail\.gmail\.com>$/);
          assert.equal(await header(id, "In-Reply-To"), orig);
          assert.equal(await header(id, "References"), orig);
          assert.equal((await search(mid!)).length, 1, "found by its new id");
        }
        assert.notEqual(
          await header(sent.id, "Message-ID"),
          await header(draft.message.id, "Message-ID"),
        );
        assert.equal(sent.threadId, m.threadId);
        assert.equal(draft.message.threadId, m.threadId);
        assert.equal((await search(OURS)).length, before, "old id not found");
        const raw = (await emu.sent(ME)).find((x) => x.id === sent.id)!.rfc822;
        assert.equal(raw.match(/^message-id:/gim)?.length, 1);
        assert.match(raw, /\r\n\r\nIt ships today\./);
      },
    );

    await t.step(
      "a bad settings body is a 400; reset turns it off",
      async () => {
        const res = await fetch(`${emu.url}/__emu/settings`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ rewrite_message_ids: "yes" }),
        });
        assert.equal(res.status, 400);
        await res.body?.cancel();
        await fetch(`${emu.url}/__emu/reset`, { method: "POST" }).then((r) =>
          r.body?.cancel()
        );
        const got = await fetch(`${emu.url}/__emu/settings`).then((r) =>
          r.json()
        );
        assert.deepEqual(got, {
          rewrite_message_ids: false,
          history_label_ids: true,
          stale_history_status: 404,
        });
      },
    );
  } finally {
    await emu.close();
  }
});
