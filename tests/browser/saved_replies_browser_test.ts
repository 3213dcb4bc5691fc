/**
 * Saved replies in headless Chromium at phone width: a person creates one
 * from the nav's Saved replies page (a title of spaces is refused on the
 * form first), puts it in a review item's reply box and sends it; the
 * emulator then has the reply in the customer's thread, In-Reply-To of the
 * customer's message, placeholders filled. No horizontal scrolling, no CSP
 * violation. With ACK_ENABLED, the conversation view shows the agent's
 * acknowledgement of an email handed to a person, marked as one.
 * Screenshots go to test-artifacts/screenshots/ (not committed).
 */
import assert from "node:assert/strict";
import { parseEmail } from "../../pipeline/mail/parse_email.ts";
import {
  launchChromium,
  serveTestWeb,
  shot,
  signIn,
  skipBrowserTests,
} from "../helpers/browser.ts";
import { MAILBOX, seedReviewItem } from "../helpers/review_seed.ts";

const BODY =
  "Hello {name},\n\nWe are sorry it arrived broken. A replacement leaves today, at no cost to you.\n\n{signature}";

if (await skipBrowserTests()) {
  Deno.test({
    name: "saved replies browser test SKIPPED: /usr/bin/chromium is missing",
    ignore: true,
    fn() {},
  });
} else {
  Deno.test("saved replies in Chromium at 390 px: one created and used to answer a review item is in the customer's thread in the emulator", async () => {
    const served = await serveTestWeb();
    const { web, origin } = served;
    const browser = await launchChromium();
    try {
      const { item, msg } = await seedReviewItem(web);
      const context = await browser.newContext({
        viewport: { width: 390, height: 844 },
      });
      const page = await context.newPage();
      const cspErrors: string[] = [];
      page.on("console", (m) => {
        if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
      });
      const noSideScroll = async (what: string) => {
        const width = await page.evaluate<number>(
          "document.documentElement.scrollWidth",
        );
        assert.ok(width <= 390, `${what}: ${width}px wide`);
      };
      await signIn(page, origin);

      // From the nav to the page; a title of spaces is refused on the form.
      await page.click(`nav a[href="/saved-replies"]`);
      await page.waitForURL(`${origin}/saved-replies`);
      await page.fill("#new-title", "   ");
      await page.fill("#new-body", BODY);
      await page.click(`button:has-text("Add saved reply")`);
      await page.waitForSelector("#new-title-error");
      assert.match(
        await page.textContent("#new-title-error") ?? "",
        /Give the saved reply a title/,
      );
      assert.equal(await page.inputValue("#new-body"), BODY, "text kept");
      await noSideScroll("the refused form");
      await shot(page, "60_saved_replies_refused_390");
      await page.fill("#new-title", "Broken on arrival");
      await page.click(`button:has-text("Add saved reply")`);
      await page.waitForURL(/\/saved-replies\?account=.*notice=created/);
      assert.match(
        await page.textContent("section.saved-reply h2") ?? "",
        /Broken on arrival/,
      );
      await noSideScroll("the saved replies page");
      await shot(page, "61_saved_replies_390");

      // On the review item: pick it, it fills the reply box, send it.
      await page.goto(`${origin}/review/${item.id}`);
      await page.selectOption("#saved", { label: "Broken on arrival" });
      await page.click(`button:has-text("Insert")`);
      await page.waitForURL(/\?saved=/);
      const text = await page.inputValue("#reply");
      assert.equal(
        text,
        "Hello Maria,\n\nWe are sorry it arrived broken. A replacement leaves today, at no cost to you.\n\nThe Support Team",
      );
      assert.match(
        await page.textContent(".suggestion-note") ?? "",
        /Saved reply.*Broken on arrival/,
      );
      await noSideScroll("the review item");
      await shot(page, "62_review_saved_reply_390");
      await page.click(`button:has-text("Send reply")`);
      await page.waitForURL(`${origin}/review/${item.id}?notice=replied`);

      const res = await fetch(
        `${web.emu!.url}/__emu/sent?user=${encodeURIComponent(MAILBOX)}`,
      );
      const sent = await res.json() as { threadId: string; raw: string }[];
      assert.equal(sent.length, 1);
      assert.equal(sent[0]!.threadId, msg.threadId, "in the customer's thread");
      const reply = await parseEmail(
        Uint8Array.from(
          atob(
            sent[0]!.raw.replace(/-/g, "+").replace(/_/g, "/"),
          ),
          (ch) => ch.charCodeAt(0),
        ),
        { id: "r", threadId: msg.threadId, labelIds: [] },
      );
      assert.equal(reply.inReplyTo, "<broken-vase@example.com>");
      assert.equal(reply.to[0]?.address, "maria@example.com");
      assert.equal(reply.text.trim(), text);
      assert.deepEqual(cspErrors, []);
      await context.close();
    } finally {
      await browser.close();
      await served.close();
    }
  });

  Deno.test("acknowledgement in Chromium at 390 px (ACK_ENABLED): the conversation view shows the agent's acknowledgement, marked as one", async () => {
    const served = await serveTestWeb({ ACK_ENABLED: "true", ACK_HOURS: "8" });
    const { web, origin } = served;
    const browser = await launchChromium();
    try {
      const post = async <T>(path: string, body: unknown) => {
        const res = await fetch(`${web.emu!.url}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        assert.ok(res.ok, `${path}: HTTP ${res.status}`);
        return await res.json() as T;
      };
      const user = await post<{ refresh_token: string }>("/__emu/users", {
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
      const msg = await post<{ id: string; threadId: string }>(
        "/__emu/messages",
        {
          to: MAILBOX,
          from: "Dana Reyes <dana@partner.test>",
          subject: "Partnership",
          text:
            "Hello, we would like to discuss a partnership with your company.",
        },
      );
      await web.agent.pollOnce();
      const context = await browser.newContext({
        viewport: { width: 390, height: 844 },
      });
      const page = await context.newPage();
      const cspErrors: string[] = [];
      page.on("console", (m) => {
        if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
      });
      await signIn(page, origin);
      await page.goto(`${origin}/conversations/${account.id}/${msg.threadId}`);
      const agent = page.locator("article.message.agent");
      assert.equal(await agent.count(), 1);
      assert.match(
        await agent.locator(".badge.acknowledgement").textContent() ?? "",
        /Acknowledgement/,
      );
      assert.match(
        await agent.locator("pre.body").textContent() ?? "",
        /Hello Dana,\s+Thank you for your message\. A member of our team will answer\s+within 8 hours\./,
      );
      assert.match(
        await page.textContent("main") ?? "",
        /Waiting for a person/,
      );
      const width = await page.evaluate<number>(
        "document.documentElement.scrollWidth",
      );
      assert.ok(width <= 390, `${width}px wide`);
      await shot(page, "63_conversation_acknowledgement_390");
      assert.deepEqual(cspErrors, []);
      await context.close();
    } finally {
      await browser.close();
      await served.close();
    }
  });
}
