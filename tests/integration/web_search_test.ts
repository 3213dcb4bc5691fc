/**
 * Search, paging and bulk actions on the Activity and Review pages: a
 * search finds one item among many; pages follow a stable cursor; bulk
 * assign and resolve change only the selected items; the keyboard
 * shortcuts are documented on the page and their script is same-origin.
 */
import assert from "node:assert/strict";
import { decision } from "./store_contract_cases_a.ts";
import { openTestWeb, signIn, type TestWeb } from "../helpers/web_app.ts";

async function seed(web: TestWeb, n: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const gmailId = `g${String(i).padStart(3, "0")}`;
    const now = new Date(web.clock.now().getTime() + i * 1000);
    await web.store.ledger.claim({
      accountId: "acc",
      gmailId,
      threadId: `t${i}`,
      workerId: "w",
      now,
      staleAfterMs: 60_000,
    });
    await web.store.ledger.recordDecision("acc", gmailId, {
      decision: decision("review"),
      effects: [],
      replyMessageId: null,
      sender: "c***@example.com",
      senderAddress: `customer${i}@example.com`,
      subject: i === 42 ? "Invoice for the blue teapot" : `Question ${i}`,
      now,
    });
    const item = await web.store.review.add({
      accountId: "acc",
      gmailId,
      threadId: `t${i}`,
      sender: `customer${i}@example.com`,
      subject: i === 42 ? "Invoice for the blue teapot" : `Question ${i}`,
      excerpt: i === 17 ? "the zebra-striped mug cracked" : "hello there",
      category: "Other",
      importance: 3,
      importanceReasons: [],
      reason: "low_confidence",
    }, now);
    ids.push(item.id);
  }
  return ids;
}

/** The review item links on a list page, in order. */
const itemLinks = (html: string) =>
  [...html.matchAll(/href="\/review\/([0-9a-f-]{36})" class="item-link"/g)]
    .map((m) => m[1]!);

Deno.test("search, paging and bulk actions on Activity and Review", async (t) => {
  const web = await openTestWeb({ emulator: false });
  try {
    const { jar, csrf } = await signIn(web);
    const ids = await seed(web, 60);
    const get = async (path: string) => {
      const res = await web.app.request(path, {
        headers: { cookie: jar.header() },
      });
      assert.equal(res.status, 200, path);
      return await res.text();
    };

    await t.step("a search finds one item among many", async () => {
      const activity = await get("/activity?q=blue+TEAPOT");
      assert.equal((activity.match(/<tr>/g) ?? []).length, 2); // head + 1
      assert.match(activity, /Invoice for the blue teapot/);
      const bySender = await get("/activity?q=customer7%40");
      assert.match(bySender, /Question 7</);
      const review = await get("/review?status=open&q=zebra-striped");
      assert.deepEqual(itemLinks(review), [ids[17]]);
    });

    await t.step(
      "pages follow a cursor: every row once, newest first",
      async () => {
        const seen: string[] = [];
        let path = "/activity";
        for (let i = 0; i < 5 && path; i++) {
          const html = await get(path);
          seen.push(
            ...[
              ...html.matchAll(/>(Question \d+|Invoice for the blue teapot)</g),
            ]
              .map((m) => m[1]!),
          );
          const next = html.match(
            /href="(\/activity\?[^"]*after=[^"]+)" rel="next"/,
          );
          path = next ? next[1]!.replace(/&amp;/g, "&") : "";
        }
        assert.equal(seen.length, 60);
        assert.equal(new Set(seen).size, 60);
        assert.equal(seen[0], "Question 59");
        const review: string[] = [];
        let rpath = "/review?status=open";
        while (rpath) {
          const html = await get(rpath);
          review.push(...itemLinks(html));
          const next = html.match(
            /href="(\/review\?[^"]*after=[^"]+)" rel="next"/,
          );
          rpath = next ? next[1]!.replace(/&amp;/g, "&") : "";
        }
        assert.deepEqual(review, ids);
        const bad = await web.app.request("/activity?after=nonsense", {
          headers: { cookie: jar.header() },
        });
        assert.equal(bad.status, 400);
        await bad.body?.cancel();
      },
    );

    await t.step(
      "bulk assign and resolve change only the selected items",
      async () => {
        const post = (body: URLSearchParams) =>
          web.app.request("/review/bulk?status=open&q=Question+1", {
            method: "POST",
            headers: { cookie: jar.header() },
            body,
          });
        const pick = (action: string, extra: Record<string, string> = {}) => {
          const b = new URLSearchParams({ _csrf: csrf, action, ...extra });
          b.append("id", ids[1]!);
          b.append("id", ids[10]!);
          return b;
        };
        const assigned = await post(pick("assign", { assignee: "Sam" }));
        assert.equal(assigned.status, 303);
        assert.equal(
          assigned.headers.get("location"),
          "/review?status=open&q=Question+1&notice=bulk_assigned",
        );
        for (const i of [1, 10]) {
          const item = await web.store.review.get(ids[i]!);
          assert.equal(item?.assignee, "Sam");
          assert.equal(item?.status, "in_progress");
        }
        assert.equal((await web.store.review.get(ids[2]!))?.assignee, null);
        const resolved = await post(pick("resolve"));
        assert.equal(resolved.status, 303);
        assert.equal((await web.store.review.get(ids[1]!))?.status, "resolved");
        assert.equal((await web.store.review.get(ids[11]!))?.status, "pending");
        const none = await post(
          new URLSearchParams({ _csrf: csrf, action: "resolve" }),
        );
        assert.equal(none.status, 400);
        assert.match(
          await none.text(),
          /class="alert form-error">Select at least one item/,
        );
      },
    );

    await t.step(
      "the shortcuts are documented and their script is same-origin",
      async () => {
        const html = await get("/review");
        assert.match(html, /Keyboard shortcuts/);
        assert.match(html, /<kbd>j \/ k<\/kbd>/);
        assert.match(html, /<script src="\/static\/review_keys\.js" defer>/);
        const js = await web.app.request("/static/review_keys.js");
        assert.equal(js.status, 200);
        assert.match(js.headers.get("content-type") ?? "", /javascript/);
        assert.match(await js.text(), /keydown/);
      },
    );
  } finally {
    await web.close();
  }
});
