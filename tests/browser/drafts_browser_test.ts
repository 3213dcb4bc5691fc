/**
 * Drafts to approve in headless Chromium: at phone width, a person edits
 * the agent's draft and sends it; the emulator then has it in the
 * customer's thread with the edited text and In-Reply-To of the customer's
 * message, and Send on a page opened before sends nothing more.
 * Screenshots go to test-artifacts/screenshots/ (not committed).
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { parseEmail } from "../../pipeline/mail/parse_email.ts";
import {
  launchChromium,
  serveTestWeb,
  skipBrowserTests,
} from "../helpers/browser.ts";
import {
  b64url,
  DRAFTS_MAILBOX,
  emu,
  seedAgentDrafts,
} from "../helpers/draft_seed.ts";

const PASSWORD = "correct horse battery staple";
const SHOTS = new URL("../../test-artifacts/screenshots/", import.meta.url);

async function shot(page: Page, name: string) {
  await Deno.mkdir(SHOTS, { recursive: true });
  await page.screenshot({
    path: new URL(`${name}.png`, SHOTS).pathname,
    fullPage: true,
  });
}

if (await skipBrowserTests()) {
  Deno.test({
    name: "drafts browser test SKIPPED: /usr/bin/chromium is missing",
    ignore: true,
    fn() {},
  });
} else {
  Deno.test("drafts in Chromium at 390 px: a draft edited and sent is in the customer's thread in the emulator, once", async () => {
    const served = await serveTestWeb();
    const { web, origin } = served;
    const browser = await launchChromium();
    try {
      const { messages } = await seedAgentDrafts(web, 1);
      const customer = messages[0]!;
      const context = await browser.newContext({
        viewport: { width: 390, height: 844 },
      });
      const page = await context.newPage();
      const cspErrors: string[] = [];
      page.on("console", (m) => {
        if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
      });
      await page.goto(`${origin}/login?next=/drafts`);
      await page.fill("#password", PASSWORD);
      await page.click("button[type=submit]");
      await page.waitForURL(`${origin}/drafts`);

      const card = page.locator("section.card.draft");
      assert.equal(await card.count(), 1);
      assert.match(
        await card.locator("pre.excerpt").textContent() ?? "",
        /How long does standard shipping usually take\?/,
      );
      const box = card.locator("textarea[name=text]");
      assert.match(await box.inputValue(), /\S/, "the agent's text is there");
      const width = await page.evaluate<number>(
        "document.documentElement.scrollWidth",
      );
      assert.ok(width <= 390, `no horizontal scrolling: ${width}px wide`);
      await shot(page, "40_drafts_queue_390");

      const stale = await context.newPage();
      await stale.goto(`${origin}/drafts`);
      const edited =
        "Hello, standard shipping takes 3 to 5 working days.\nYour lamp left today.";
      await box.fill(edited);
      await card.locator("button[value=send]").click();
      await page.waitForURL(`${origin}/drafts?notice=sent`);
      assert.match(await page.textContent(".notice") ?? "", /Draft sent/);
      assert.match(
        await page.textContent("main") ?? "",
        /No draft waits for a person\.[\s\S]*Sent by admin/,
      );
      await shot(page, "41_drafts_sent_390");

      const sent = await emu(web, `/__emu/sent?user=${DRAFTS_MAILBOX}`) as {
        id: string;
        threadId: string;
        raw: string;
      }[];
      assert.equal(sent.length, 1);
      const m = sent[0]!;
      assert.equal(m.threadId, customer.threadId, "in the customer's thread");
      const email = await parseEmail(b64url(m.raw), {
        id: m.id,
        threadId: m.threadId,
        labelIds: [],
      });
      assert.equal(email.inReplyTo, "<ship-1@example.com>");
      assert.match(email.text, /standard shipping takes 3 to 5 working days/);
      assert.match(email.text, /Your lamp left today\./);

      // The same draft sent again from a page opened before the send.
      await stale.locator("button[value=send]").click();
      assert.match(
        await stale.textContent("main") ?? "",
        /already sent from the dashboard by admin/,
      );
      assert.equal(
        (await emu(web, `/__emu/sent?user=${DRAFTS_MAILBOX}`) as unknown[])
          .length,
        1,
      );
      assert.deepEqual(cspErrors, []);
      await context.close();
    } finally {
      await browser.close();
      await served.close();
    }
  });
}
