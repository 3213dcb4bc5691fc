/**
 * Drafts to approve, over HTTP against the emulator: in draft mode the
 * agent's draft appears on /drafts; a person edits and sends it (the Gmail
 * draft is updated, then sent in the customer's thread), a double submit
 * sends nothing, a draft sent from Gmail is not sent again, and discard
 * deletes the Gmail draft.
 */
import assert from "node:assert/strict";
import { parseEmail } from "../../pipeline/mail/parse_email.ts";
import {
  openTestWeb,
  type TestClock,
  testClock,
  type TestWeb,
} from "../helpers/web_app.ts";
import { signIn } from "../helpers/web_app.ts";
import {
  b64url,
  DRAFTS_MAILBOX as MAILBOX,
  emu,
  seedAgentDrafts,
  SUBJECTS,
} from "../helpers/draft_seed.ts";

async function sentOf(web: TestWeb) {
  const list = await emu(web, `/__emu/sent?user=${MAILBOX}`) as {
    id: string;
    threadId: string;
    raw: string;
  }[];
  return await Promise.all(list.map(async (m) => ({
    ...m,
    email: await parseEmail(b64url(m.raw), {
      id: m.id,
      threadId: m.threadId,
      labelIds: [],
    }),
  })));
}

Deno.test("drafts page: the agent's draft is edited and sent in the thread once, a Gmail-sent draft is not sent again, discard deletes it", async (t) => {
  const clock: TestClock = testClock();
  const web = await openTestWeb({ clock });
  try {
    const { jar, csrf } = await signIn(web);
    const { accountId, messages } = await seedAgentDrafts(web, 3);
    const [first, second, third] = messages as [
      { id: string; threadId: string },
      { id: string; threadId: string },
      { id: string; threadId: string },
    ];
    const get = async () =>
      await (await web.app.request("/drafts", {
        headers: { cookie: jar.header() },
      })).text();
    const post = (gmailId: string, fields: Record<string, string>) =>
      web.app.request(`/drafts/${accountId}/${gmailId}`, {
        method: "POST",
        headers: { cookie: jar.header() },
        body: new URLSearchParams({ _csrf: csrf, ...fields }),
      });
    const edited =
      "Hello, your parcel left our warehouse today.\nTrack it with the link in your shipping email.";

    await t.step(
      "the queue shows each draft with the customer's message and the agent's text",
      async () => {
        const html = await get();
        for (let i = 1; i <= 3; i++) {
          assert.match(html, new RegExp(SUBJECTS[i - 1]!));
        }
        assert.match(
          html,
          /<pre class="excerpt">Hello, I ordered a lamp yesterday\./,
        );
        assert.match(html, /<textarea[^>]*name="text"[^>]*>[^<]*shipping/i);
        assert.match(html, /href="\/drafts" class="on"/);
        assert.equal((await sentOf(web)).length, 0);
      },
    );

    await t.step(
      "an edited draft is sent in the customer's thread with the edited text",
      async () => {
        const res = await post(first.id, { action: "send", text: edited });
        assert.equal(res.status, 303);
        assert.equal(res.headers.get("location"), "/drafts?notice=sent");
        const sent = await sentOf(web);
        assert.equal(sent.length, 1);
        const m = sent[0]!;
        assert.equal(m.threadId, first.threadId);
        assert.equal(m.email.inReplyTo, "<ship-1@example.com>");
        assert.match(m.email.text, /your parcel left our warehouse today/);
        const drafts = await emu(web, `/__emu/drafts?user=${MAILBOX}`) as {
          threadId: string;
        }[];
        assert.ok(!drafts.some((d) => d.threadId === first.threadId));
        const html = await get();
        assert.doesNotMatch(html, /<h2>Shipping time for my lamp order<\/h2>/);
        assert.match(
          html,
          /Shipping time for my lamp order<\/strong> — Sent by admin/,
        );
      },
    );

    await t.step(
      "a second submit of the same draft is refused on the page and sends nothing",
      async () => {
        const res = await post(first.id, { action: "send", text: edited });
        assert.equal(res.status, 409);
        assert.match(
          await res.text(),
          /already sent from the dashboard by admin/,
        );
        assert.equal((await sentOf(web)).length, 1);
      },
    );

    await t.step("two submits at once send once", async () => {
      const [a, b] = await Promise.all([
        post(second.id, { action: "send", text: "Answer two." }),
        post(second.id, { action: "send", text: "Answer two." }),
      ]);
      assert.deepEqual([a.status, b.status].sort(), [303, 409]);
      const sent = await sentOf(web);
      assert.equal(
        sent.filter((m) => m.threadId === second.threadId).length,
        1,
      );
    });

    await t.step(
      "a draft a person sent from Gmail is not sent again and leaves the queue",
      async () => {
        const drafts = await emu(web, `/__emu/drafts?user=${MAILBOX}`) as {
          id: string;
          threadId: string;
        }[];
        const d = drafts.find((x) => x.threadId === third.threadId)!;
        await emu(web, "/__emu/drafts/send", {
          user: MAILBOX,
          id: d.id,
          edited: true,
        });
        const before = (await sentOf(web)).length;
        const res = await post(third.id, { action: "send", text: "Again" });
        assert.equal(res.status, 409);
        const html = await res.text();
        assert.match(html, /already sent or deleted in Gmail/);
        assert.equal((await sentOf(web)).length, before);
        assert.match(
          await get(),
          /Shipping time for my rug order<\/strong> — Sent or deleted in Gmail/,
        );
      },
    );
  } finally {
    await web.close();
  }
});

Deno.test("drafts page: save updates the Gmail draft, discard deletes it, an empty draft comes back on the form", async () => {
  const web = await openTestWeb();
  try {
    const { jar, csrf } = await signIn(web);
    const { accountId, messages } = await seedAgentDrafts(web, 1);
    const id = messages[0]!.id;
    const post = (fields: Record<string, string>) =>
      web.app.request(`/drafts/${accountId}/${id}`, {
        method: "POST",
        headers: { cookie: jar.header() },
        body: new URLSearchParams({ _csrf: csrf, ...fields }),
      });
    const gmailDrafts = async () =>
      await emu(web, `/__emu/drafts?user=${MAILBOX}`) as { raw: string }[];

    const empty = await post({ action: "send", text: "   " });
    assert.equal(empty.status, 400);
    assert.match(await empty.text(), /role="alert">The draft is empty\./);

    assert.equal(
      (await post({ action: "save", text: "Saved words for later." })).status,
      303,
    );
    const [d] = await gmailDrafts();
    assert.match(
      new TextDecoder().decode(b64url(d!.raw)),
      /Saved words for later\./,
    );
    const page = await (await web.app.request("/drafts", {
      headers: { cookie: jar.header() },
    })).text();
    assert.match(page, />Saved words for later\.<\/textarea>/);
    assert.match(page, /The agent(&#39;|')s draft \(edited\)/);

    assert.equal((await post({ action: "discard" })).status, 303);
    assert.deepEqual(await gmailDrafts(), []);
    assert.deepEqual(await emu(web, `/__emu/sent?user=${MAILBOX}`), []);
    const after = await (await web.app.request("/drafts", {
      headers: { cookie: jar.header() },
    })).text();
    assert.match(after, /No draft waits for a person\./);
    assert.match(after, /Discarded by admin/);
    const audit = await web.store.audit.list(20);
    assert.deepEqual(
      audit.filter((a) => a.action.startsWith("draft_")).map((a) => a.action)
        .sort(),
      ["draft_discarded", "draft_saved"],
    );
  } finally {
    await web.close();
  }
});
