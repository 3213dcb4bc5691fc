/**
 * The dashboard pages and JSON API in-process over real parts: playground
 * (paste, upload, limits), knowledge reindex, activity filters, accounts
 * (reply mode, pause, resume), refunds, and the API.
 */
import assert from "node:assert/strict";
import { openTestWeb, signIn } from "../helpers/web_app.ts";

const EML = [
  "From: Jane Customer <jane@example.com>",
  "To: support@shop.example",
  "Subject: Where is my parcel?",
  "Content-Type: text/plain; charset=utf-8",
  "",
  "Hello, how can I track my order? Thanks, Jane",
  "",
].join("\r\n");

Deno.test("dashboard pages and API", async (t) => {
  const web = await openTestWeb({ emulator: false });
  try {
    const { jar, csrf } = await signIn(web);
    const get = (path: string) =>
      web.app.request(path, { headers: { cookie: jar.header() } });
    const post = (path: string, body: BodyInit, headers: HeadersInit = {}) =>
      web.app.request(path, {
        method: "POST",
        headers: { cookie: jar.header(), ...headers },
        body,
      });

    await t.step(
      "the playground runs a pasted message and shows the Decision",
      async () => {
        const res = await post(
          "/playground/simulate",
          new URLSearchParams({ _csrf: csrf, eml: EML }),
        );
        assert.equal(res.status, 200);
        const html = await res.text();
        const json = html.match(/<pre class="json">([\s\S]*?)<\/pre>/)?.[1];
        assert.ok(json, "Decision JSON shown");
        const decision = JSON.parse(
          json.replace(/&quot;/g, '"').replace(/&amp;/g, "&"),
        );
        assert.equal(decision.category, "Question");
        for (
          const k of [
            "confidence",
            "action",
            "reply",
            "sources",
            "order_id",
            "importance",
            "reason",
          ]
        ) {
          assert.ok(k in decision, k);
        }
        assert.equal(
          (await web.store.ledger.listActivity({})).length,
          0,
          "nothing stored",
        );
      },
    );
    await t.step(
      "the playground takes an uploaded .eml file (multipart)",
      async () => {
        const form = new FormData();
        form.set("_csrf", csrf);
        form.set("eml", "");
        form.set(
          "file",
          new File([EML], "mail.eml", { type: "message/rfc822" }),
        );
        const res = await post("/playground/simulate", form);
        assert.equal(res.status, 200);
        assert.match(await res.text(), /Where is my parcel\?/);
      },
    );
    await t.step(
      "an empty or oversized message is refused with a clear message",
      async () => {
        const empty = await post(
          "/playground/simulate",
          new URLSearchParams({ _csrf: csrf, eml: " " }),
        );
        assert.equal(empty.status, 400);
        assert.match(
          await empty.text(),
          /Paste a message or choose a \.eml file/,
        );
        const form = new FormData();
        form.set("_csrf", csrf);
        form.set(
          "file",
          new File([new Uint8Array(3 * 1024 * 1024)], "big.eml"),
        );
        const big = await post("/playground/simulate", form);
        assert.equal(big.status, 400);
        assert.match(await big.text(), /too large/);
      },
    );
    await t.step(
      "without the sandbox there is no send button and send is refused",
      async () => {
        const html = await (await get("/playground")).text();
        assert.doesNotMatch(html, /Send to the sandbox inbox/);
        const res = await post(
          "/playground/send",
          new URLSearchParams({ _csrf: csrf, eml: EML }),
        );
        assert.equal(res.status, 400);
        await res.body?.cancel();
      },
    );
    await t.step("the API simulates a raw message", async () => {
      const res = await post("/api/simulate", EML, {
        "x-csrf-token": csrf,
        "content-type": "message/rfc822",
      });
      assert.equal(res.status, 200);
      const d = await res.json();
      assert.equal(d.category, "Question");
    });
    await t.step(
      "knowledge: reindex shows the documents and section counts",
      async () => {
        const res = await post(
          "/knowledge/reindex",
          new URLSearchParams({ _csrf: csrf }),
        );
        assert.equal(res.status, 303);
        await web.agent.knowledge.reindex();
        const html = await (await get("/knowledge")).text();
        assert.match(html, /shipping\.md/);
        assert.match(html, /14 \(\d+ sections\)/);
        assert.match(html, /Last reindex/);
        assert.doesNotMatch(html, /http-equiv="refresh"/);
        const audit = await web.store.audit.list(20);
        assert.ok(audit.some((e) => e.action === "kb_reindex"));
      },
    );
    await t.step(
      "knowledge: the page refreshes itself while building",
      async () => {
        const running = web.agent.knowledge.reindex();
        const html = await (await get("/knowledge")).text();
        await running;
        if (web.agent.knowledge.status().building) {
          assert.fail("still building");
        }
        // The build may finish before the page renders; when it did not, the
        // page must carry the refresh and the progress.
        if (/building/.test(html)) {
          assert.match(html, /<meta http-equiv="refresh" content="2">/);
          assert.match(html, /<progress/);
        }
      },
    );
    await t.step("accounts: reply mode, pause and resume", async () => {
      const a = await web.store.accounts.upsert({
        email: "support@shop.example",
        tokens: { accessToken: null, refreshToken: "r", expiryDate: null },
      });
      assert.equal(
        (await post(
          `/accounts/${a.id}/mode`,
          new URLSearchParams({ _csrf: csrf, mode: "draft" }),
        )).status,
        303,
      );
      assert.equal((await web.store.accounts.get(a.id))?.replyMode, "draft");
      assert.equal(
        (await post(
          `/accounts/${a.id}/mode`,
          new URLSearchParams({ _csrf: csrf, mode: "default" }),
        )).status,
        303,
      );
      assert.equal((await web.store.accounts.get(a.id))?.replyMode, null);
      const bad = await post(
        `/accounts/${a.id}/mode`,
        new URLSearchParams({ _csrf: csrf, mode: "yolo" }),
      );
      assert.equal(bad.status, 400);
      await bad.body?.cancel();
      await post(
        `/accounts/${a.id}/pause`,
        new URLSearchParams({ _csrf: csrf }),
      );
      assert.equal((await web.store.accounts.get(a.id))?.status, "paused");
      const html = await (await get("/accounts")).text();
      assert.match(html, /badge paused/);
      assert.match(html, />Resume</);
      await post(
        `/accounts/${a.id}/resume`,
        new URLSearchParams({ _csrf: csrf }),
      );
      assert.equal((await web.store.accounts.get(a.id))?.status, "active");
      await web.store.accounts.setStatus(
        a.id,
        "needs_reconnect",
        "invalid_grant",
      );
      const again = await (await get("/accounts")).text();
      assert.match(again, /needs reconnect/);
      assert.match(again, /href="\/connect">Reconnect</);
      const home = await (await get("/")).text();
      assert.match(home, /need to be reconnected/);
      const unknown = await post(
        "/accounts/nope/pause",
        new URLSearchParams({ _csrf: csrf }),
      );
      assert.equal(unknown.status, 404);
      await unknown.body?.cancel();
    });
    await t.step("activity: filters are validated and applied", async () => {
      const bad = await get("/activity?category=Spam");
      assert.equal(bad.status, 400);
      await bad.body?.cancel();
      const a = (await web.store.accounts.list())[0]!;
      const now = web.clock.now();
      for (
        const [i, category, action, reason] of [[
          1,
          "Question",
          "reply",
          "answered",
        ], [2, "Other", "review", "low_confidence"]] as const
      ) {
        const claim = await web.store.ledger.claim({
          accountId: a.id,
          gmailId: `g${i}`,
          threadId: `t${i}`,
          workerId: "w",
          now,
          staleAfterMs: 60_000,
        });
        assert.equal(claim.status, "claimed");
        await web.store.ledger.recordDecision(a.id, `g${i}`, {
          decision: {
            category,
            confidence: 0.91,
            action,
            reply: null,
            sources: [],
            order_id: null,
            importance: null,
            reason,
          },
          effects: [],
          replyMessageId: null,
          sender: "j***@example.com",
          senderAddress: "jane@example.com",
          subject: `Subject ${i} <b>`,
          now,
        });
        await web.store.ledger.markDone(a.id, `g${i}`, now);
      }
      const all = await (await get("/activity")).text();
      assert.match(all, /Subject 1 &lt;b&gt;/);
      assert.match(all, /Subject 2/);
      assert.match(all, /0\.91/);
      assert.doesNotMatch(all, /jane@example\.com/);
      const only = await (await get("/activity?action=review&category=Other"))
        .text();
      assert.doesNotMatch(only, /Subject 1/);
      assert.match(only, /low_confidence/);
      const api = await (await get("/api/activity?reason=answered")).json();
      assert.equal(api.length, 1);
    });
    await t.step("refunds: cases with state and history", async () => {
      const a = (await web.store.accounts.list())[0]!;
      const now = web.clock.now();
      const ok = await web.store.refunds.saveCase({
        accountId: a.id,
        threadId: "rt1",
        state: "requested",
        customerEmail: "tom@example.com",
        orderIds: ["ORD10001"],
        history: [
          {
            at: now,
            from: null,
            to: "awaiting_order_id",
            gmailId: "m1",
            orderId: null,
            note: "asked for the order id",
          },
          {
            at: now,
            from: "awaiting_order_id",
            to: "requested",
            gmailId: "m2",
            orderId: "ORD10001",
            note: "",
          },
        ],
        createdAt: now,
        updatedAt: now,
        version: 0,
      }, 0);
      assert.ok(ok);
      await web.store.refunds.addInvalidAttempt({
        accountId: a.id,
        threadId: "rt2",
        gmailId: "m3",
        sender: "x***@example.com",
        orderId: "ORD99999",
        reason: "order_not_found",
        excerpt: "refund <ORD99999> please",
        at: now,
      });
      const html = await (await get("/refunds")).text();
      assert.match(html, /ORD10001/);
      assert.match(html, /awaiting order id → requested/);
      assert.match(html, /asked for the order id/);
      assert.match(
        html,
        /The order number is not in the orders database <code>order_not_found<\/code>/,
      );
      assert.match(html, /refund &lt;ORD99999&gt; please/);
    });
    await t.step(
      "the API lists and updates review items with the CSRF header",
      async () => {
        const a = (await web.store.accounts.list())[0]!;
        const item = await web.store.review.add({
          accountId: a.id,
          gmailId: "g9",
          threadId: "t9",
          sender: "s",
          subject: "s",
          excerpt: "e",
          category: "Other",
          importance: 3,
          importanceReasons: [],
          reason: "low_confidence",
        }, web.clock.now());
        const list = await (await get("/api/review?status=pending")).json();
        assert.ok(list.some((i: { id: string }) => i.id === item.id));
        const bad = await post(
          `/api/review/${item.id}`,
          JSON.stringify({ status: "done" }),
          { "x-csrf-token": csrf, "content-type": "application/json" },
        );
        assert.equal(bad.status, 400);
        assert.match((await bad.json()).error, /status/);
        const res = await post(
          `/api/review/${item.id}`,
          JSON.stringify({ status: "in_progress", assignee: "Sam" }),
          { "x-csrf-token": csrf, "content-type": "application/json" },
        );
        assert.equal(res.status, 200);
        const updated = await res.json();
        assert.equal(updated.status, "in_progress");
        assert.equal(updated.assignee, "Sam");
        const accounts = await (await get("/api/accounts")).json();
        assert.equal(JSON.stringify(accounts).includes("refreshToken"), false);
      },
    );
  } finally {
    await web.close();
  }
});
