/**
 * The conversation view against the real emulator and the real worker: a
 * customer question answered by the agent, then a follow-up that goes to a
 * person who replies from the dashboard; the page shows every message in
 * order with its author, the decision in words and the exact text sent.
 * When Gmail no longer has the thread, the activity log tells the story.
 */
import assert from "node:assert/strict";
import { openTestWeb, signIn, type TestWeb } from "../helpers/web_app.ts";

const MAILBOX = "support@shop.example";

async function emuPost<T>(web: TestWeb, path: string, body: unknown) {
  const res = await fetch(`${web.emu!.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  assert.ok(res.ok, `${path}: HTTP ${res.status}`);
  return await res.json() as T;
}

/** Connects MAILBOX on the emulator and seeds its cursor. */
async function connect(web: TestWeb) {
  const user = await emuPost<{ refresh_token: string }>(web, "/__emu/users", {
    email: MAILBOX,
  });
  const account = await web.store.accounts.upsert({
    email: MAILBOX,
    tokens: {
      accessToken: null,
      refreshToken: user.refresh_token,
      expiryDate: null,
    },
  });
  const profile = await web.agent.accountDeps.mailboxes.mailboxFor(account)
    .getProfile();
  await web.store.cursors.set(account.id, profile.historyId);
  return account;
}

/** The page text without tags (for order checks). */
function textOf(html: string): string {
  return html.replace(/<[^>]+>/g, " ").replace(/&#39;/g, "'").replace(
    /&quot;/g,
    '"',
  ).replace(/&amp;/g, "&").replace(/\s+/g, " ");
}

Deno.test("conversation view: every message in order with its decision and the exact text sent", async (t) => {
  const web = await openTestWeb();
  try {
    const { jar, csrf } = await signIn(web);
    const account = await connect(web);
    const first = await emuPost<{ id: string; threadId: string }>(
      web,
      "/__emu/messages",
      {
        to: MAILBOX,
        from: "Ann Lee <ann@example.com>",
        subject: "How long does shipping take?",
        text: "Hi, how long does standard shipping take? Thanks, Ann",
        message_id: "<ship-1@example.com>",
      },
    );
    await web.agent.pollOnce();
    const answered = await web.store.ledger.get(account.id, first.id);
    assert.equal(answered?.decision?.action, "reply");
    const sentText = answered!.decision!.reply!;

    await emuPost(web, "/__emu/messages", {
      to: MAILBOX,
      from: "Ann Lee <ann@example.com>",
      subject: "Re: How long does shipping take?",
      text: "Thanks. I want to talk to a human about a custom order please.",
      in_reply_to: "<ship-1@example.com>",
    });
    web.clock.advance(60_000);
    await web.agent.pollOnce();
    const [item] = await web.store.review.list({ status: "pending" });
    assert.ok(item, "the follow-up waits for a person");
    assert.equal(item.threadId, first.threadId);
    const replied = await web.app.request(`/review/${item.id}/reply`, {
      method: "POST",
      headers: { cookie: jar.header() },
      body: new URLSearchParams({
        _csrf: csrf,
        reply: "Hello Ann, Sam here: custom orders are welcome.",
      }),
    });
    assert.equal(replied.status, 303);
    await replied.body?.cancel();

    const url = `/conversations/${account.id}/${first.threadId}`;
    await t.step("the page shows the four messages in order", async () => {
      const res = await web.app.request(url, {
        headers: { cookie: jar.header() },
      });
      assert.equal(res.status, 200);
      const text = textOf(await res.text());
      const at = (s: string) => {
        const i = text.indexOf(s);
        assert.ok(i >= 0, `missing on the page: ${s}`);
        return i;
      };
      const order = [
        at("how long does standard shipping take?"),
        at(textOf(sentText).slice(0, 60)),
        at("I want to talk to a human"),
        at("Sam here: custom orders are welcome."),
      ];
      assert.deepEqual([...order].sort((a, b) => a - b), order);
      assert.match(text, /Customer .* Agent .* Customer .* Person/);
      assert.match(text, /sent from the dashboard/);
      assert.match(text, /Answered from the knowledge base answered/);
      assert.match(text, /The customer asked for a person human_requested/);
      assert.match(text, /knowledge_base\/shipping\.md#/);
      assert.match(text, /Open in Gmail/);
    });

    await t.step("the exact reply text is on the page", async () => {
      const html = await (await web.app.request(url, {
        headers: { cookie: jar.header() },
      })).text();
      const escaped = sentText.replace(/&/g, "&amp;").replace(/</g, "&lt;")
        .replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
      assert.ok(html.includes(escaped), "the whole reply, as sent");
    });

    await t.step("activity and review link to it", async () => {
      for (const page of ["/activity", `/review/${item.id}`]) {
        const html = await (await web.app.request(page, {
          headers: { cookie: jar.header() },
        })).text();
        assert.ok(html.includes(`href="${url}"`), `${page} links ${url}`);
      }
    });

    await t.step(
      "without the thread in Gmail the activity log tells the story",
      async () => {
        // A thread id Gmail does not know, with a ledger entry of its own.
        await web.store.ledger.claim({
          accountId: account.id,
          gmailId: "gone-1",
          threadId: "gone-thread",
          workerId: "w",
          now: web.clock.now(),
          staleAfterMs: 60_000,
        });
        await web.store.ledger.recordDecision(account.id, "gone-1", {
          decision: { ...answered!.decision! },
          effects: [],
          replyMessageId: "<agent-x@shop.example>",
          sender: "a***@example.com",
          senderAddress: "ann@example.com",
          subject: "Old question",
          now: web.clock.now(),
        });
        await web.store.ledger.markDone(account.id, "gone-1", web.clock.now());
        const res = await web.app.request(
          `/conversations/${account.id}/gone-thread`,
          { headers: { cookie: jar.header() } },
        );
        assert.equal(res.status, 200);
        const text = textOf(await res.text());
        assert.match(text, /Gmail could not give this thread/);
        assert.match(text, /Old question/);
        assert.ok(text.includes(textOf(sentText).slice(0, 60)));
      },
    );

    await t.step("an unknown thread is a 404 page", async () => {
      const res = await web.app.request(
        `/conversations/${account.id}/nope`,
        { headers: { cookie: jar.header() } },
      );
      assert.equal(res.status, 404);
      await res.body?.cancel();
    });
  } finally {
    await web.close();
  }
});
