/**
 * Saved replies over HTTP (the web app in-process, a real store, the
 * emulator): create, edit and delete on /saved-replies with refused forms
 * shown on the form (what was typed kept, the problem under its field),
 * the delete question on its own page, and a review item whose reply box
 * takes a saved reply of its mailbox with `?saved=`, placeholders filled.
 */
import assert from "node:assert/strict";
import { seedReviewItem } from "../helpers/review_seed.ts";
import { openTestWeb, signIn } from "../helpers/web_app.ts";

/** The text of a textarea with `id`, unescaped. */
function textarea(html: string, id: string): string {
  const m = html.match(
    new RegExp(`<textarea id="${id}"[^>]*>([\\s\\S]*?)</textarea>`),
  );
  assert.ok(m, `no textarea #${id}`);
  return m[1]!.replace(/&#39;/g, "'").replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

Deno.test("saved replies: managed per mailbox, refused forms on the form, inserted into a review item's reply box", async (t) => {
  const web = await openTestWeb();
  try {
    const { jar, csrf } = await signIn(web);
    const { item, account } = await seedReviewItem(web);
    const get = async (path: string) =>
      await web.app.request(path, { headers: { cookie: jar.header() } });
    const post = async (path: string, form: Record<string, string>) =>
      await web.app.request(path, {
        method: "POST",
        headers: { cookie: jar.header() },
        body: new URLSearchParams({ _csrf: csrf, ...form }),
      });

    await t.step("the page is in the nav and starts empty", async () => {
      const html = await (await get("/saved-replies")).text();
      assert.match(html, /<a href="\/saved-replies" class="on">Saved replies/);
      assert.match(html, /This mailbox has no saved replies yet\./);
      assert.match(html, /<form method="post" action="\/saved-replies"/);
    });

    await t.step(
      "an empty title and an empty text come back on the form, with what was typed",
      async () => {
        const res = await post("/saved-replies", {
          account: account.id,
          title: "   ",
          body: "Typed <text> kept",
        });
        assert.equal(res.status, 400);
        const html = await res.text();
        assert.match(
          html,
          /id="new-title-error" role="alert">Give the saved reply a title\./,
        );
        assert.equal(textarea(html, "new-body"), "Typed <text> kept");
        const empty = await (await post("/saved-replies", {
          account: account.id,
          title: "Hello",
          body: "",
        })).text();
        assert.match(empty, /id="new-body-error"[^>]*>Write the text/);
        assert.match(empty, /id="new-title" name="title" value="Hello"/);
        const long = await post("/saved-replies", {
          account: account.id,
          title: "x".repeat(101),
          body: "text",
        });
        assert.equal(long.status, 400);
        assert.match(await long.text(), /The title is too long: at most 100/);
        assert.deepEqual(await web.store.savedReplies.list(account.id), []);
      },
    );

    let id = "";
    await t.step("created, listed, and audited", async () => {
      const res = await post("/saved-replies", {
        account: account.id,
        title: "Broken item",
        body:
          "Hello {name},\r\n\r\nSorry it arrived broken. {shop} sends a new one today.\r\n\r\n{signature}",
      });
      assert.equal(res.status, 303);
      const [saved] = await web.store.savedReplies.list(account.id);
      assert.ok(saved);
      id = saved.id;
      assert.equal(saved.title, "Broken item");
      assert.equal(
        saved.body,
        "Hello {name},\n\nSorry it arrived broken. {shop} sends a new one today.\n\n{signature}",
      );
      assert.match(res.headers.get("location") ?? "", /notice=created/);
      const html = await (await get(res.headers.get("location")!)).text();
      assert.match(html, /Saved reply added\./);
      assert.match(html, /<h2>Broken item<\/h2>/);
      const audit = await web.store.audit.list(10);
      assert.ok(
        audit.some((e) =>
          e.action === "saved_reply_created" && e.target === id
        ),
      );
    });

    await t.step(
      "a second reply with the same title (any case) is refused on the form",
      async () => {
        const res = await post("/saved-replies", {
          account: account.id,
          title: "BROKEN ITEM",
          body: "Another",
        });
        assert.equal(res.status, 400);
        assert.match(
          await res.text(),
          /This mailbox already has a saved reply with this title\./,
        );
        assert.equal((await web.store.savedReplies.list(account.id)).length, 1);
      },
    );

    await t.step(
      "edited in place; a refused edit shows on its own card",
      async () => {
        const bad = await post(`/saved-replies/${id}`, {
          title: "",
          body: "x",
        });
        assert.equal(bad.status, 400);
        assert.match(
          await bad.text(),
          new RegExp(`id="r-${id}-title-error" role="alert">Give the saved`),
        );
        const ok = await post(`/saved-replies/${id}`, {
          title: "Broken on arrival",
          body:
            "Hello {name},\n\nSorry it arrived broken: {shop} sends a new one today.\n\n{signature}",
        });
        assert.equal(ok.status, 303);
        assert.equal(
          (await web.store.savedReplies.get(id))?.title,
          "Broken on arrival",
        );
      },
    );

    await t.step(
      "the review item offers it and puts it in the reply box, filled",
      async () => {
        const page = await (await get(`/review/${item.id}`)).text();
        assert.match(
          page,
          new RegExp(`<option value="${id}"\\s*>Broken on arrival</option>`),
        );
        assert.match(
          page,
          /<form method="get" action="\/review\/[^"]+" class="inline saved-picker"/,
        );
        const html = await (await get(`/review/${item.id}?saved=${id}`)).text();
        assert.equal(
          textarea(html, "reply"),
          "Hello Maria,\n\nSorry it arrived broken: Northwind Goods sends a new one today.\n\nThe Support Team",
        );
        assert.match(html, /badge suggestion">Saved reply/);
        assert.match(html, new RegExp(`<option value="${id}" selected`));
        const gone = await (await get(`/review/${item.id}?saved=nope`)).text();
        assert.match(gone, /That saved reply no longer exists/);
      },
    );

    await t.step(
      "another mailbox's saved reply is not offered nor inserted",
      async () => {
        const other = await web.store.accounts.upsert({
          email: "sales@shop.example",
          tokens: { accessToken: null, refreshToken: "r", expiryDate: null },
        });
        const res = await web.store.savedReplies.create(
          { accountId: other.id, title: "Sales pitch", body: "Buy more" },
          web.clock.now(),
        );
        assert.ok(res.ok);
        const html =
          await (await get(`/review/${item.id}?saved=${res.reply.id}`))
            .text();
        assert.doesNotMatch(html, /Sales pitch|Buy more/);
        assert.match(html, /That saved reply no longer exists/);
        const list = await (await get(`/saved-replies?account=${other.id}`))
          .text();
        assert.match(list, /<h2>Sales pitch<\/h2>/);
        assert.doesNotMatch(list, /Broken on arrival/);
      },
    );

    await t.step(
      "deleted only after the question on its own page",
      async () => {
        const early = await post(`/saved-replies/${id}/delete`, {});
        assert.equal(early.status, 303);
        assert.equal(
          early.headers.get("location"),
          `/saved-replies/${id}/delete`,
        );
        assert.ok(await web.store.savedReplies.get(id));
        const ask = await (await get(`/saved-replies/${id}/delete`)).text();
        assert.match(ask, /Delete a saved reply\?/);
        assert.match(ask, /name="confirm" value="yes"/);
        const res = await post(`/saved-replies/${id}/delete`, {
          confirm: "yes",
        });
        assert.equal(res.status, 303);
        assert.match(res.headers.get("location") ?? "", /notice=deleted/);
        assert.equal(await web.store.savedReplies.get(id), null);
        assert.equal((await get(`/saved-replies/${id}/delete`)).status, 404);
      },
    );
  } finally {
    await web.close();
  }
});
