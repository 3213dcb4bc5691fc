/**
 * A support person's daily work in headless Chromium: a sandbox email
 * answered and its reply read in the conversation view; a review item
 * answered from the suggested reply; a refund approved and another
 * rejected; every page at 390 px wide without horizontal scrolling; no
 * Content Security Policy violation. Screenshots go to
 * test-artifacts/screenshots/ (not committed).
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import type { Decision } from "../../pipeline/types.ts";
import {
  launchChromium,
  serveTestWeb,
  shot,
  signIn,
  skipBrowserTests,
} from "../helpers/browser.ts";
import type { TestWeb } from "../helpers/web_app.ts";

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
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)))
    .replace(/=\r?\n/g, "");
}

/** Fails when the page is wider than its viewport. */
async function noHorizontalScroll(page: Page, where: string) {
  // A string, so Deno's type checker (no DOM lib) leaves it to the browser.
  const { scroll, client } = await page.evaluate(
    "({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })",
  ) as { scroll: number; client: number };
  assert.ok(scroll <= client, `${where}: ${scroll} px wide at ${client} px`);
}

if (await skipBrowserTests()) {
  Deno.test({
    name: "support work browser tests SKIPPED: /usr/bin/chromium is missing",
    ignore: true,
    fn() {},
  });
} else {
  Deno.test("support work in headless Chromium: review, refunds, conversations, phone width", async (t) => {
    const served = await serveTestWeb();
    const { web, origin } = served;
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
      });
      const page = await context.newPage();
      const cspErrors: string[] = [];
      page.on("console", (m) => {
        if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
      });
      await signIn(page, origin);

      // A connected mailbox, two refund requests, a complaint.
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
      const profile = await web.agent.accountDeps.mailboxes.mailboxFor(
        account,
      ).getProfile();
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
      const maria = await emu<{ id: string; threadId: string }>(
        web,
        "/__emu/messages",
        {
          to: MAILBOX,
          from: "Maria Lopez <maria@example.com>",
          subject: "Where is my parcel, and how long does shipping take?",
          text:
            "I want to talk to a real person. How long does standard shipping take?",
        },
      );
      await web.agent.pollOnce();
      await web.agent.knowledge.reindex();

      await t.step(
        "a review item is answered from the suggested reply",
        async () => {
          const item = (await web.store.review.list({ status: "pending" }))
            .find((i) => i.threadId === maria.threadId);
          assert.ok(item, "the complaint waits for a person");
          // The sections the agent found for it (as a partly covered email has).
          const section = web.agent.knowledge.sections().find((s) =>
            s.id.includes("/shipping.md#")
          )!;
          const entry = await web.store.ledger.get(account.id, maria.id);
          await web.store.ledger.recordDecision(account.id, maria.id, {
            decision: {
              ...entry!.decision!,
              sources: [section.id],
            } as Decision,
            effects: entry!.effects,
            replyMessageId: entry!.replyMessageId,
            sender: entry!.sender,
            senderAddress: entry!.senderAddress,
            subject: entry!.subject,
            now: web.clock.now(),
          });
          await page.goto(`${origin}/review`);
          await page.click(`a[href="/review/${item.id}"]`);
          await page.waitForURL(`${origin}/review/${item.id}`);
          assert.match(
            await page.textContent(".suggestion-note") ?? "",
            /Suggestion/,
          );
          const suggested = await page.inputValue("#reply");
          assert.match(suggested, /^Hello,/);
          await shot(page, "30_review_suggested_reply");
          await page.click(`button:has-text("Send reply")`);
          await page.waitForURL(`${origin}/review/${item.id}?notice=replied`);
          const sent = await emu<{ threadId: string; raw: string }[]>(
            web,
            `/__emu/sent?user=${MAILBOX}`,
          );
          const reply = sent.find((s) => s.threadId === maria.threadId);
          assert.ok(reply, "the reply is in the thread");
          const firstLine = suggested.split("\n").find((l) => l.length > 20)!;
          assert.ok(decode(reply.raw).includes(firstLine.slice(0, 40)));
          await page.click(`a:has-text("Read the whole conversation")`);
          await page.waitForURL(/\/conversations\//);
          const text = await page.textContent("main") ?? "";
          assert.match(text, /sent from the dashboard/);
          await shot(page, "31_conversation_person_reply");
        },
      );

      await t.step("a refund is approved and another rejected", async () => {
        await page.goto(`${origin}/refunds`);
        await shot(page, "32_refunds_open");
        const annForm =
          `form[action="/refunds/${account.id}/${ann.threadId}/approve"]`;
        assert.equal(
          await page.inputValue(`${annForm} input[name=amount]`),
          "80.00",
        );
        await page.click(`${annForm} button`);
        await page.waitForURL(`${origin}/refunds?notice=approved`);
        const bobForm =
          `form[action="/refunds/${account.id}/${bob.threadId}/reject"]`;
        await page.click(`${bobForm} button`);
        // An empty reason is refused on the form itself.
        await page.waitForSelector(".form-error");
        assert.match(
          await page.textContent(".form-error") ?? "",
          /Write the reason/,
        );
        await page.fill(
          `${bobForm} textarea`,
          "the order was a final-sale item.",
        );
        await page.click(`${bobForm} button`);
        await page.waitForURL(`${origin}/refunds?notice=rejected`);
        const main = await page.textContent("main") ?? "";
        assert.match(main, /requested → refunded/);
        assert.match(main, /escalated → rejected by person/);
        // The approved order's own status is refunded now.
        assert.match(main, /ORD77001.*?Status\s*refunded · refund requested/s);
        assert.equal(
          (await web.store.refunds.getCase(account.id, ann.threadId))?.state,
          "refunded",
        );
        assert.equal(
          (await web.store.refunds.getCase(account.id, bob.threadId))?.state,
          "rejected_by_person",
        );
        await shot(page, "33_refunds_decided");
      });

      await t.step(
        "a search finds one item among many; the shortcuts work",
        async () => {
          for (let i = 0; i < 30; i++) {
            await web.store.review.add({
              accountId: account.id,
              gmailId: `bulk-${i}`,
              threadId: `bulk-thread-${i}`,
              sender: `customer${i}@example.com`,
              subject: i === 12
                ? "Lost tracking number"
                : `Question number ${i}`,
              excerpt: "hello",
              category: "Other",
              importance: 2,
              importanceReasons: [],
              reason: "low_confidence",
            }, web.clock.now());
          }
          await page.goto(`${origin}/review`);
          const listed = await page.locator("table.queue tbody tr").count();
          assert.ok(listed >= 30, `listed ${listed}`);
          await page.keyboard.press("/");
          await page.keyboard.type("tracking number");
          await page.keyboard.press("Enter");
          await page.waitForURL(/q=tracking\+number/);
          const rows = page.locator("table.queue tbody tr");
          assert.equal(await rows.count(), 1);
          assert.match(await rows.textContent() ?? "", /Lost tracking number/);
          await shot(page, "35_review_search");
          await page.keyboard.press("j");
          await page.keyboard.press("o");
          await page.waitForURL(/\/review\/[0-9a-f-]{36}$/);
          assert.match(
            await page.textContent("h1") ?? "",
            /Lost tracking number/,
          );
        },
      );

      await t.step("the Overview draws its charts as SVG", async () => {
        await page.goto(`${origin}/`);
        assert.equal(await page.locator("svg.chart").count(), 2);
        assert.ok((await page.locator("svg.chart rect").count()) >= 2);
        assert.ok((await page.locator("svg.chart circle").count()) >= 1);
        const text = await page.textContent(".charts") ?? "";
        assert.match(text, /answered by the agent/);
        assert.match(text, /median time to first response/);
        // Drawn with CSS classes: the bars have a colour under the strict CSP.
        const fill = await page.evaluate(
          "getComputedStyle(document.querySelector('svg.chart rect.o-refund')).fill",
        ) as string;
        assert.equal(fill, "rgb(31, 122, 69)");
        await shot(page, "36_overview_charts");
      });

      await t.step(
        "every page fits 390 px without horizontal scrolling",
        async () => {
          await page.setViewportSize({ width: 390, height: 844 });
          const item = (await web.store.review.list({}))[0]!;
          const pages: [string, string][] = [
            ["/", "40_phone_home"],
            ["/accounts", "41_phone_accounts"],
            ["/review?status=all", "42_phone_review"],
            [`/review/${item.id}`, "43_phone_review_item"],
            ["/activity", "44_phone_activity"],
            [
              `/conversations/${account.id}/${ann.threadId}`,
              "45_phone_conversation",
            ],
            ["/refunds", "46_phone_refunds"],
            ["/knowledge", "47_phone_knowledge"],
            ["/knowledge/doc?id=shipping.md", "47b_phone_knowledge_doc"],
            [`/accounts/${account.id}/disconnect`, "41b_phone_disconnect"],
            ["/playground", "48_phone_playground"],
            ["/saved-replies", "48b_phone_saved_replies"],
            ["/settings", "49_phone_settings"],
            ["/connect", "50_phone_connect"],
          ];
          for (const [path, name] of pages) {
            await page.goto(`${origin}${path}`);
            await shot(page, name);
            await noHorizontalScroll(page, path);
          }
        },
      );

      await t.step("no page broke the Content Security Policy", () => {
        assert.deepEqual(cspErrors, []);
      });
      await context.close();
    } finally {
      await browser.close();
      await served.close();
    }
  });

  Deno.test("sandbox: an email answered, its reply read in the conversation view", async () => {
    const served = await serveTestWeb({ SANDBOX: "on" }, false);
    const { origin } = served;
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({
        viewport: { width: 1280, height: 900 },
      });
      await signIn(page, origin);
      await page.goto(`${origin}/playground`);
      await page.click(`button:has-text("Send to the sandbox inbox")`);
      await page.waitForURL(`${origin}/playground/send`);
      await page.click(`button:has-text("Poll now")`);
      await page.waitForURL(`${origin}/playground/poll`);
      await page.goto(`${origin}/activity`);
      await page.click(`a:has-text("Shipping time for my lamp order")`);
      await page.waitForURL(/\/conversations\//);
      const agent = page.locator("article.message.agent");
      await shot(page, "34_sandbox_conversation");
      assert.equal(await agent.count(), 1);
      const reply = await agent.locator("pre.body").textContent() ?? "";
      assert.match(reply, /shipping/i);
      const main = await page.textContent("main") ?? "";
      assert.match(main, /Answered from the knowledge base/);
      assert.match(main, /\(sandbox\)/);
      assert.doesNotMatch(main, /Open in Gmail/);
      await shot(page, "34_sandbox_conversation");
      await page.close();
    } finally {
      await browser.close();
      await served.close();
    }
  });
}
