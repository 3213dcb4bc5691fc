/**
 * The review queue from the dashboard, against the real emulator: a reply
 * sent in the Gmail thread (threaded, marks the takeover, resolves the
 * item, never twice), assign, note, resolve and reopen.
 */
import assert from "node:assert/strict";
import { openTestWeb, signIn, type TestWeb } from "../helpers/web_app.ts";
import { seedReviewItem } from "../helpers/review_seed.ts";

const MAILBOX = "support@shop.example";

async function emuPost(web: TestWeb, path: string, body: unknown) {
  const res = await fetch(`${web.emu!.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  assert.ok(res.ok, `${path}: HTTP ${res.status}`);
  return await res.json();
}

function b64urlText(s: string): string {
  return new TextDecoder().decode(
    Uint8Array.from(
      atob(s.replace(/-/g, "+").replace(/_/g, "/")),
      (c) => c.charCodeAt(0),
    ),
  );
}

Deno.test("review queue: reply from the dashboard", async (t) => {
  const web = await openTestWeb();
  try {
    const { jar, csrf } = await signIn(web);
    const { account, msg, item } = await seedReviewItem(web);
    const post = (path: string, fields: Record<string, string>) =>
      web.app.request(path, {
        method: "POST",
        headers: { cookie: jar.header() },
        body: new URLSearchParams({ _csrf: csrf, ...fields }),
      });

    await t.step(
      "the queue lists the item and its page shows the excerpt as text",
      async () => {
        const list = await (await web.app.request("/review", {
          headers: { cookie: jar.header() },
        })).text();
        assert.match(list, /My parcel arrived broken/);
        const page = await (await web.app.request(`/review/${item.id}`, {
          headers: { cookie: jar.header() },
        })).text();
        assert.match(
          page,
          /<pre class="excerpt">The vase I ordered came in pieces/,
        );
        assert.match(
          page,
          new RegExp(
            `https://mail\\.google\\.com/mail/u/0/#all/${msg.threadId}`,
          ),
        );
        assert.match(page, /damaged item/);
      },
    );
    await t.step("assign moves it to in progress; a note is kept", async () => {
      assert.equal(
        (await post(`/review/${item.id}/assign`, { assignee: "Sam" })).status,
        303,
      );
      assert.equal(
        (await post(`/review/${item.id}/note`, { note: "Offer a replacement" }))
          .status,
        303,
      );
      const got = await web.store.review.get(item.id);
      assert.equal(got?.assignee, "Sam");
      assert.equal(got?.status, "in_progress");
      assert.equal(got?.note, "Offer a replacement");
    });
    await t.step("an empty reply is refused and nothing is sent", async () => {
      const res = await post(`/review/${item.id}/reply`, { reply: "   " });
      assert.equal(res.status, 400);
      await res.body?.cancel();
    });
    await t.step(
      "the reply is sent in the thread, threaded, and the item resolved",
      async () => {
        const res = await post(`/review/${item.id}/reply`, {
          reply: "Sorry about that, Maria. A new vase is on its way.\n\nSam",
        });
        assert.equal(res.status, 303, await res.clone().text());
        assert.equal(
          res.headers.get("location"),
          `/review/${item.id}?notice=replied`,
        );
        const sent =
          await (await fetch(`${web.emu!.url}/__emu/sent?user=${MAILBOX}`))
            .json() as {
              id: string;
              threadId: string;
              raw: string;
            }[];
        assert.equal(sent.length, 1);
        assert.equal(sent[0]!.threadId, msg.threadId);
        const raw = b64urlText(sent[0]!.raw);
        assert.match(raw, /^In-Reply-To: <broken-vase@example\.com>/m);
        assert.match(raw, /^Subject: Re: My parcel arrived broken/m);
        assert.match(raw, /^To: .*maria@example\.com/m);
        assert.doesNotMatch(raw, /^Auto-Submitted:/m);
        assert.match(
          raw,
          /^Message-ID: <dashboard-[0-9a-f]{32}@shop\.example>/m,
        );
        assert.match(raw, /A new vase is on its way/);
        assert.equal((await web.store.review.get(item.id))?.status, "resolved");
        assert.equal(
          await web.store.threads.isTakenOver(account.id, msg.threadId),
          true,
        );
        const audit = await web.store.audit.list(20);
        assert.ok(
          audit.some((e) =>
            e.action === "review_replied" && e.target === item.id
          ),
        );
      },
    );
    await t.step(
      "the agent leaves the thread to people afterwards",
      async () => {
        await emuPost(web, "/__emu/messages", {
          to: MAILBOX,
          from: "Maria Lopez <maria@example.com>",
          subject: "Re: My parcel arrived broken",
          text: "Thank you! How long does shipping take for the new one?",
          in_reply_to: "<broken-vase@example.com>",
        });
        // The seeded original was never labelled by a worker, so this poll
        // picks it up too; what matters is the follow-up and the sends.
        const summary = await web.agent.pollOnce();
        assert.equal(summary.replied, 0, JSON.stringify(summary));
        assert.equal(summary.errors, 0, JSON.stringify(summary));
        const open = await web.store.review.openForThread(
          account.id,
          msg.threadId,
        );
        const followUp = open.find((i) => i.gmailId !== msg.id);
        assert.ok(followUp, "the follow-up waits for a person");
        assert.equal(followUp.reason, "human_takeover");
        const sent =
          await (await fetch(`${web.emu!.url}/__emu/sent?user=${MAILBOX}`))
            .json() as unknown[];
        assert.equal(sent.length, 1);
        await web.store.review.update(
          followUp.id,
          { status: "resolved" },
          web.clock.now(),
        );
      },
    );
    await t.step("a second submit sends nothing more", async () => {
      const res = await post(`/review/${item.id}/reply`, { reply: "again" });
      assert.equal(res.status, 409);
      await res.body?.cancel();
      await post(`/review/${item.id}/reopen`, {});
      const again = await post(`/review/${item.id}/reply`, { reply: "again" });
      assert.equal(again.status, 409);
      assert.match(await again.text(), /already sent/);
      const sent =
        await (await fetch(`${web.emu!.url}/__emu/sent?user=${MAILBOX}`))
          .json() as unknown[];
      assert.equal(sent.length, 1);
    });
    await t.step("resolve and reopen", async () => {
      await post(`/review/${item.id}/resolve`, {});
      assert.equal((await web.store.review.get(item.id))?.status, "resolved");
      await post(`/review/${item.id}/reopen`, {});
      assert.equal((await web.store.review.get(item.id))?.status, "pending");
    });
    await t.step("an unknown item is a 404 page", async () => {
      const res = await web.app.request("/review/nope", {
        headers: { cookie: jar.header() },
      });
      assert.equal(res.status, 404);
      await res.body?.cancel();
    });
  } finally {
    await web.close();
  }
});
