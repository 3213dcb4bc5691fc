/**
 * Refund actions from the dashboard against the real emulator and worker:
 * a case is approved (marked refunded with the amount, the customer told in
 * the thread) or rejected (the reason sent in the thread); both land in the
 * case's history; a bad amount or an empty reason comes back on the form;
 * a decided case cannot be decided again; every case shows its order.
 */
import assert from "node:assert/strict";
import { openTestWeb, signIn, type TestWeb } from "../helpers/web_app.ts";

const MAILBOX = "support@shop.example";

async function emu<T>(web: TestWeb, path: string, body?: unknown) {
  const res = await fetch(`${web.emu!.url}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(res.ok, `${path}: HTTP ${res.status}`);
  return await res.json() as T;
}

function decode(b64url: string): string {
  const bin = atob(b64url.replace(/-/g, "+").replace(/_/g, "/"));
  const text = new TextDecoder().decode(
    Uint8Array.from(bin, (c) => c.charCodeAt(0)),
  );
  // Quoted-printable soft breaks and escapes, enough for these texts.
  return text.replace(/=\r?\n/g, "").replace(
    /=([0-9A-F]{2})/g,
    (_, h) => String.fromCharCode(parseInt(h, 16)),
  );
}

Deno.test("refund actions: approve and reject from the dashboard", async (t) => {
  const web = await openTestWeb();
  try {
    const { jar, csrf } = await signIn(web);
    const user = await emu<{ refresh_token: string }>(web, "/__emu/users", {
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
    await web.store.orders.importAll([
      {
        orderId: "ORD77001",
        customerEmail: "ann@example.com",
        orderDate: new Date("2026-02-25T00:00:00Z"),
        amount: 80,
        status: "delivered",
        refundRequestedAt: null,
      },
      {
        orderId: "ORD77002",
        customerEmail: "bob@example.com",
        orderDate: new Date("2026-02-26T00:00:00Z"),
        amount: 450,
        status: "delivered",
        refundRequestedAt: null,
      },
    ]);
    const ann = await emu<{ threadId: string }>(web, "/__emu/messages", {
      to: MAILBOX,
      from: "Ann Lee <ann@example.com>",
      subject: "Refund for ORD77001",
      text: "Hello, I would like a refund for order ORD77001 please. Ann",
    });
    const bob = await emu<{ threadId: string }>(web, "/__emu/messages", {
      to: MAILBOX,
      from: "Bob Stone <bob@example.com>",
      subject: "Refund request",
      text: "Hi, please refund my order ORD77002. Bob",
    });
    await web.agent.pollOnce();
    const caseOf = (threadId: string) =>
      web.store.refunds.getCase(account.id, threadId);
    assert.equal((await caseOf(ann.threadId))?.state, "requested");
    assert.equal((await caseOf(bob.threadId))?.state, "escalated");

    const post = (path: string, fields: Record<string, string>) =>
      web.app.request(path, {
        method: "POST",
        headers: { cookie: jar.header() },
        body: new URLSearchParams({ _csrf: csrf, ...fields }),
      });
    const sentIn = async (threadId: string) =>
      (await emu<{ threadId: string; raw: string }[]>(
        web,
        `/__emu/sent?user=${MAILBOX}`,
      )).filter((m) => m.threadId === threadId).map((m) => decode(m.raw));

    await t.step("every case shows its order's details", async () => {
      const html = await (await web.app.request("/refunds", {
        headers: { cookie: jar.header() },
      })).text();
      for (
        const s of ["ORD77001", "80.00", "2026-02-25", "ann@example.com"]
      ) assert.ok(html.includes(s), s);
      assert.ok(html.includes("450.00") && html.includes("bob@example.com"));
    });

    await t.step(
      "a bad amount comes back on the form, nothing changes",
      async () => {
        const base = `/refunds/${account.id}/${ann.threadId}`;
        for (const amount of ["abc", "80.01"]) {
          const res = await post(`${base}/approve`, { amount });
          assert.equal(res.status, 400);
          const html = await res.text();
          assert.match(html, /class="alert form-error"/);
          assert.match(html, /number such as 49\.99|more than the order/);
        }
        assert.equal((await caseOf(ann.threadId))?.state, "requested");
      },
    );

    await t.step(
      "approve marks refunded with the amount and tells the customer",
      async () => {
        const before = (await sentIn(ann.threadId)).length;
        const res = await post(
          `/refunds/${account.id}/${ann.threadId}/approve`,
          {
            amount: "80,00",
          },
        );
        assert.equal(res.status, 303);
        assert.equal(res.headers.get("location"), "/refunds?notice=approved");
        const c = await caseOf(ann.threadId);
        assert.equal(c?.state, "refunded");
        const last = c!.history.at(-1)!;
        assert.equal(last.amount, 80);
        assert.equal(last.from, "requested");
        assert.ok(last.actor);
        const sent = await sentIn(ann.threadId);
        assert.equal(sent.length, before + 1);
        assert.match(sent.at(-1)!, /To: Ann Lee <ann@example\.com>/);
        assert.match(
          sent.at(-1)!,
          /we have refunded 80\.00 for order ORD77001/,
        );
        assert.match(sent.at(-1)!, /Message-ID: <dashboard-[0-9a-f]{32}@/);
        const again = await post(
          `/refunds/${account.id}/${ann.threadId}/approve`,
          { amount: "80" },
        );
        assert.equal(again.status, 409);
        assert.match(await again.text(), /already decided/);
        assert.equal((await sentIn(ann.threadId)).length, before + 1);
      },
    );

    await t.step(
      "the approved order is marked refunded, and the page says so",
      async () => {
        const o = await web.store.orders.get("ORD77001");
        assert.equal(o?.status, "refunded");
        const html = await (await web.app.request("/refunds", {
          headers: { cookie: jar.header() },
        })).text();
        assert.match(
          html,
          /<strong>ORD77001<\/strong>.*?<dt>Status<\/dt><dd>refunded · refund requested /s,
        );
        assert.ok(!html.includes("<dd>refund_requested"));
      },
    );

    await t.step(
      "a new request for the refunded order, in a new thread, is not granted again",
      async () => {
        const again = await emu<{ threadId: string }>(web, "/__emu/messages", {
          to: MAILBOX,
          from: "Ann Lee <ann@example.com>",
          subject: "Refund ORD77001",
          text: "Hello, please refund my order ORD77001. Ann",
        });
        await web.agent.pollOnce();
        const c = await caseOf(again.threadId);
        assert.equal(c?.state, "rejected_policy");
        assert.equal(c?.history.at(-1)?.note, "ineligible_status");
        const sent = await sentIn(again.threadId);
        assert.equal(sent.length, 1);
        assert.match(
          sent[0]!,
          /cannot start a refund for order ORD77001 at the moment/,
        );
        assert.equal(
          (await web.store.orders.get("ORD77001"))?.status,
          "refunded",
        );
        // Nor can a person approve it twice: refused before anything is sent.
        const res = await post(
          `/refunds/${account.id}/${again.threadId}/approve`,
          { amount: "80" },
        );
        assert.equal(res.status, 409);
        assert.match(await res.text(), /already refunded/);
        assert.equal((await sentIn(again.threadId)).length, 1);
        assert.equal((await caseOf(again.threadId))?.state, "rejected_policy");
      },
    );

    await t.step(
      "reject needs a reason, then sends it and records it",
      async () => {
        const base = `/refunds/${account.id}/${bob.threadId}`;
        const empty = await post(`${base}/reject`, { reason: "  " });
        assert.equal(empty.status, 400);
        assert.match(await empty.text(), /Write the reason/);
        const res = await post(`${base}/reject`, {
          reason:
            "the jacket was worn, which our returns policy does not cover.",
        });
        assert.equal(res.status, 303);
        const c = await caseOf(bob.threadId);
        assert.equal(c?.state, "rejected_by_person");
        assert.match(c!.history.at(-1)!.note, /the jacket was worn/);
        const sent = await sentIn(bob.threadId);
        assert.match(
          sent.at(-1)!,
          /cannot approve it: the jacket was worn, which our returns policy does not cover\./,
        );
        // Its review item is resolved: a person handled the thread.
        const open = await web.store.review.openForThread(
          account.id,
          bob.threadId,
        );
        assert.equal(open.length, 0);
      },
    );

    await t.step("the history shows both decisions on the page", async () => {
      const html = await (await web.app.request("/refunds", {
        headers: { cookie: jar.header() },
      })).text();
      assert.match(html, /requested → refunded/);
      assert.match(html, /escalated → rejected by person/);
      assert.ok(
        !html.includes(
          `action="/refunds/${account.id}/${ann.threadId}/approve"`,
        ),
      );
    });
  } finally {
    await web.close();
  }
});
