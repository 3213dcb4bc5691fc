/**
 * The dashboard in headless Debian Chromium (playwright-core, no downloaded
 * browser): sign-in and refusal, a full OAuth round trip through the
 * emulator's consent, a reply to a review item sent in the Gmail thread,
 * the playground's Decision, and disconnect with a revoke at Google.
 * Screenshots go to test-artifacts/screenshots/ (not committed).
 *
 * Skips only when /usr/bin/chromium is missing and CI_REQUIRE_BROWSER is
 * not "1".
 */
import assert from "node:assert/strict";
import {
  launchChromium,
  serveTestWeb,
  shot,
  signIn,
  skipBrowserTests,
  TEST_PASSWORD,
} from "../helpers/browser.ts";
import type { TestWeb } from "../helpers/web_app.ts";

const MAILBOX = "support@shop.example";
const PASSWORD = TEST_PASSWORD;

async function emuGet<T>(web: TestWeb, path: string): Promise<T> {
  const res = await fetch(`${web.emu!.url}${path}`);
  assert.ok(res.ok, `${path}: HTTP ${res.status}`);
  return await res.json() as T;
}

async function deliver(web: TestWeb, mail: Record<string, string>) {
  const res = await fetch(`${web.emu!.url}/__emu/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ to: MAILBOX, ...mail }),
  });
  assert.ok(res.ok);
  return await res.json() as { id: string; threadId: string };
}

if (await skipBrowserTests()) {
  Deno.test({
    name:
      "browser tests SKIPPED: /usr/bin/chromium is missing (apt-get install chromium; CI sets CI_REQUIRE_BROWSER=1 to make this fail instead)",
    ignore: true,
    fn() {},
  });
} else {
  Deno.test("dashboard in headless Chromium", async (t) => {
    const served = await serveTestWeb();
    const { web, origin } = served;
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 800 },
      });
      const page = await context.newPage();
      const cspErrors: string[] = [];
      page.on("console", (m) => {
        if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
      });

      await t.step(
        "without a session every page leads to sign-in",
        async () => {
          await page.goto(`${origin}/review`);
          assert.equal(new URL(page.url()).pathname, "/login");
          assert.equal(new URL(page.url()).searchParams.get("next"), "/review");
          const api = await fetch(`${origin}/api/accounts`);
          assert.equal(api.status, 401);
          await api.body?.cancel();
          await shot(page, "01_sign_in");
        },
      );

      await t.step(
        "a wrong password is refused, the right one signs in",
        async () => {
          await page.fill("#password", "not the password");
          await page.click("button[type=submit]");
          assert.match(
            await page.textContent(".alert") ?? "",
            /Wrong password/,
          );
          await page.fill("#password", PASSWORD);
          await page.click("button[type=submit]");
          await page.waitForURL(`${origin}/review`);
          const cookies = await context.cookies();
          const sid = cookies.find((c) => c.name === "sid");
          assert.ok(sid?.httpOnly);
          assert.equal(sid?.sameSite, "Lax");
          await page.goto(`${origin}/`);
          assert.equal(await page.textContent("h1"), "Overview");
          await shot(page, "02_home_empty");
        },
      );

      await t.step(
        "connect a Gmail account through the emulator's consent (state + PKCE)",
        async () => {
          await page.goto(`${origin}/connect`);
          await shot(page, "03_connect");
          await page.fill("#login_hint", MAILBOX);
          await page.click(`button:has-text("Connect with Google")`);
          await page.waitForURL(`${origin}/accounts?notice=connected`);
          const row = await page.textContent("table tbody");
          assert.match(row ?? "", new RegExp(MAILBOX.replace(".", "\\.")));
          assert.match(row ?? "", /active/);
          const account = await web.store.accounts.getByEmail(MAILBOX);
          assert.ok(account);
          assert.ok(await web.store.cursors.get(account.id), "cursor seeded");
          const calls = await emuGet<{ calls: Record<string, number> }>(
            web,
            "/__emu/calls",
          );
          assert.ok(
            (calls.calls["users.getProfile"] ?? 0) >= 1,
            JSON.stringify(calls),
          );
          await shot(page, "04_accounts");
        },
      );

      let threadId = "";
      await t.step(
        "reply to a review item from the dashboard, in the Gmail thread",
        async () => {
          const msg = await deliver(web, {
            from: "Maria Lopez <maria@example.com>",
            subject: "Complaint about my broken vase",
            text:
              "This is unacceptable. The vase arrived in pieces and I want to talk to a real person about it.",
          });
          await deliver(web, {
            from: "Tom Baker <tom@example.com>",
            subject: "Refund please",
            text: "Hello, I would like a refund for my last order. Thanks, Tom",
          });
          await deliver(web, {
            from: "Ann Lee <ann@example.com>",
            subject: "How long does shipping take?",
            text: "Hi, how long does standard shipping take? Thanks",
          });
          const summary = await web.agent.pollOnce();
          assert.equal(summary.fetched, 3, JSON.stringify(summary));
          const items = await web.store.review.list({ status: "pending" });
          const item = items.find((i) => i.threadId === msg.threadId);
          assert.ok(
            item,
            `no review item for the complaint: ${JSON.stringify(items)}`,
          );
          threadId = msg.threadId;
          const sentBefore = await emuGet<unknown[]>(
            web,
            `/__emu/sent?user=${MAILBOX}`,
          );

          await page.goto(`${origin}/review`);
          await shot(page, "05_review_queue");
          await page.click(`a[href="/review/${item.id}"]`);
          await page.waitForURL(`${origin}/review/${item.id}`);
          assert.match(
            await page.textContent("pre.excerpt") ?? "",
            /arrived in pieces/,
          );
          await page.fill(
            "#reply",
            "Dear Maria,\n\nI am sorry. A new vase ships today.\n\nSam from support",
          );
          await shot(page, "06_review_item");
          await page.click(`button:has-text("Send reply")`);
          await page.waitForURL(`${origin}/review/${item.id}?notice=replied`);
          assert.match(await page.textContent(".notice") ?? "", /Reply sent/);
          const sent = await emuGet<{ threadId: string; raw: string }[]>(
            web,
            `/__emu/sent?user=${MAILBOX}`,
          );
          assert.equal(sent.length, sentBefore.length + 1);
          const reply = sent.find((s) =>
            s.threadId === threadId &&
            atob(s.raw.replace(/-/g, "+").replace(/_/g, "/")).includes(
              "A new vase ships today",
            )
          );
          assert.ok(reply, "the reply is in the complaint's thread");
          assert.equal(
            (await web.store.review.get(item.id))?.status,
            "resolved",
          );
          await shot(page, "07_review_replied");
        },
      );

      await t.step(
        "activity, refunds, knowledge and settings pages render",
        async () => {
          await page.goto(`${origin}/activity`);
          assert.ok((await page.locator("table tbody tr").count()) >= 3);
          await shot(page, "08_activity");
          await page.goto(`${origin}/refunds`);
          await shot(page, "09_refunds");
          await page.goto(`${origin}/knowledge`);
          await page.click(`button:has-text("Reindex now")`);
          await page.waitForURL(`${origin}/knowledge`);
          await web.agent.knowledge.reindex();
          await page.goto(`${origin}/knowledge`);
          assert.match(await page.textContent("main") ?? "", /shipping\.md/);
          await shot(page, "10_knowledge");
          await page.goto(`${origin}/settings`);
          const settings = await page.textContent("main") ?? "";
          assert.doesNotMatch(settings, /correct horse|test-secret/);
          await shot(page, "11_settings");
          await page.goto(`${origin}/`);
          await shot(page, "12_home");
        },
      );

      await t.step(
        "the playground shows a Decision and sends nothing",
        async () => {
          const before = await emuGet<unknown[]>(
            web,
            `/__emu/sent?user=${MAILBOX}`,
          );
          await page.goto(`${origin}/playground`);
          await page.click(`button:has-text("Run (nothing is sent)")`);
          await page.waitForURL(`${origin}/playground/simulate`);
          const json = await page.textContent("pre.json") ?? "";
          const decision = JSON.parse(json);
          assert.equal(decision.category, "Question");
          assert.ok(["reply", "draft", "review"].includes(decision.action));
          assert.match(await page.textContent(".decision") ?? "", /Sources/);
          const after = await emuGet<unknown[]>(
            web,
            `/__emu/sent?user=${MAILBOX}`,
          );
          assert.equal(after.length, before.length);
          await shot(page, "13_playground");
        },
      );

      await t.step(
        "a missing refresh token gets a page that says what to do",
        async () => {
          const flag = (omit: boolean) =>
            fetch(`${web.emu!.url}/__emu/oauth`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ omit_refresh_token: omit }),
            }).then((r) => r.body?.cancel());
          await flag(true);
          try {
            await page.goto(`${origin}/connect`);
            await page.fill("#login_hint", MAILBOX);
            await page.click(`button:has-text("Connect with Google")`);
            await page.waitForURL(/\/oauth2callback\?/);
            const text = await page.textContent("main") ?? "";
            assert.match(text, /Google sent no refresh token/);
            assert.match(text, /https:\/\/myaccount\.google\.com\/permissions/);
            await shot(page, "15_oauth_no_refresh_token");
          } finally {
            await flag(false);
          }
        },
      );

      await t.step("disconnect revokes the token at Google", async () => {
        await page.goto(`${origin}/accounts`);
        await page.click(`a:has-text("Disconnect")`);
        await page.waitForURL(/\/accounts\/[^/]+\/disconnect$/);
        await shot(page, "14a_disconnect_confirm");
        await page.click(`button:has-text("Disconnect")`);
        await page.waitForURL(`${origin}/accounts?notice=disconnected`);
        const revocations = await emuGet<{ email: string }[]>(
          web,
          "/__emu/revocations",
        );
        assert.ok(revocations.some((r) => r.email === MAILBOX));
        assert.equal(await web.store.accounts.getByEmail(MAILBOX), null);
        await shot(page, "14_disconnected");
      });

      await t.step("sign out ends the session", async () => {
        await page.click(`button:has-text("Sign out")`);
        await page.waitForURL(`${origin}/login`);
        await page.goto(`${origin}/settings`);
        assert.equal(new URL(page.url()).pathname, "/login");
      });

      await t.step("no page broke the Content Security Policy", () => {
        assert.deepEqual(cspErrors, []);
      });
      await context.close();
    } finally {
      await browser.close();
      await served.close();
    }
  });

  Deno.test("sandbox: setup guide, send a test email, poll now", async (t) => {
    const served = await serveTestWeb({ SANDBOX: "on" }, false);
    const { origin } = served;
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({
        viewport: { width: 1280, height: 800 },
      });
      await signIn(page, origin);
      await t.step(
        "without a Google client the connect page explains the setup",
        async () => {
          await page.goto(`${origin}/connect`);
          const text = await page.textContent("main") ?? "";
          assert.match(text, /Enable/);
          assert.match(text, /Test users/);
          assert.match(text, new RegExp(`${origin}/oauth2callback`));
          assert.match(text, /support@sandbox\.test/);
          await shot(page, "20_connect_setup_guide");
        },
      );
      await t.step("the sandbox mailbox is connected", async () => {
        await page.goto(`${origin}/accounts`);
        assert.match(
          await page.textContent("table") ?? "",
          /support@sandbox\.test\s*sandbox/,
        );
      });
      await t.step(
        "send the sample into the sandbox inbox and poll now",
        async () => {
          await page.goto(`${origin}/playground`);
          await page.click(`button:has-text("Send to the sandbox inbox")`);
          await page.waitForURL(`${origin}/playground/send`);
          assert.match(
            await page.textContent(".notice") ?? "",
            /Delivered to the sandbox inbox/,
          );
          await page.click(`button:has-text("Poll now")`);
          await page.waitForURL(`${origin}/playground/poll`);
          const summary = JSON.parse(
            await page.textContent(".card pre") ?? "{}",
          );
          // The sandbox starts with one welcome email; ours is the second.
          assert.equal(summary.fetched, 2, JSON.stringify(summary));
          assert.equal(summary.errors, 0);
          await shot(page, "21_playground_polled");
          await page.goto(`${origin}/activity`);
          assert.match(
            await page.textContent("table") ?? "",
            /Shipping time for my lamp order/,
          );
          await shot(page, "22_activity_sandbox");
        },
      );
      await page.close();
    } finally {
      await browser.close();
      await served.close();
    }
  });
}
