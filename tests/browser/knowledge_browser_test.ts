/**
 * The Knowledge page in headless Chromium, without any page script: a
 * markdown document uploaded from the file input is indexed and answers a
 * question asked on the page; a small `eval answers` file pasted on the
 * page shows its figures and per-line outcomes; a file changed on disk
 * shows "Reindex needed" until the button is pressed. At 390 px the page
 * does not scroll sideways, and no request breaks the CSP. Screenshots go
 * to test-artifacts/screenshots/ (not committed).
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import type { Page } from "playwright-core";
import { copy } from "../helpers/copy_dir.ts";
import {
  launchChromium,
  serveTestWeb,
  shot,
  signIn,
  skipBrowserTests,
} from "../helpers/browser.ts";
import { KB_DIR } from "../helpers/web_app.ts";

const GIFT_WRAP = `---
title: Gift wrapping
tags: [gifts]
---

# Gift wrapping

## Gift wrapping cost

Gift wrapping costs $3.50 per item and is chosen at checkout.

## Gift messages

A gift message of up to 200 characters is printed on a card in the parcel.
`;

const EVAL_LINES = [
  {
    id: "gift-cost",
    body: "Hello, how much does gift wrapping cost per item? Thanks",
    expect: "answer",
    facts: ["$3.50"],
  },
  {
    id: "ship-cost",
    body: "How much does standard shipping cost?",
    expect: "answer",
    facts: ["$4.95"],
  },
  {
    id: "antarctica",
    body: "Do you ship to Antarctica research stations?",
    expect: "person",
  },
].map((l) => JSON.stringify(l)).join("\n");

async function noHorizontalScroll(page: Page) {
  // A string, so Deno's type checker (no DOM lib) leaves it to the browser.
  const { scroll, client } = await page.evaluate(
    "({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })",
  ) as { scroll: number; client: number };
  assert.ok(scroll <= client, `page is ${scroll} px wide in ${client} px`);
}

if (await skipBrowserTests()) {
  Deno.test({
    name: "knowledge browser test SKIPPED: /usr/bin/chromium is missing",
    ignore: true,
    fn() {},
  });
} else {
  Deno.test("knowledge page in Chromium: upload a document, ask a question it answers, run an answers file, see a needed reindex", async (t) => {
    const kb = await Deno.makeTempDir({ prefix: "kb_browser_" });
    await copy(KB_DIR, kb);
    const served = await serveTestWeb({ KNOWLEDGE_BASE_DIR: kb }, false);
    const { web, origin } = served;
    const browser = await launchChromium();
    try {
      await web.agent.knowledge.reindex();
      const context = await browser.newContext({
        viewport: { width: 390, height: 844 },
        javaScriptEnabled: false,
      });
      const page = await context.newPage();
      const cspErrors: string[] = [];
      page.on("console", (m) => {
        if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
      });
      await signIn(page, origin);
      await page.goto(`${origin}/knowledge`);

      await t.step(
        "a markdown file uploaded is saved and indexed",
        async () => {
          await page.setInputFiles("#kb-file", {
            name: "gift_wrapping.md",
            mimeType: "text/markdown",
            buffer: Buffer.from(GIFT_WRAP, "utf-8"),
          });
          await page.click('button:has-text("Upload and reindex")');
          await page.waitForURL(`${origin}/knowledge?added=gift_wrapping.md`);
          assert.match(
            await page.textContent("p.notice") ?? "",
            /gift_wrapping\.md was added to the knowledge base/,
          );
          assert.equal(
            await Deno.readTextFile(`${kb}/gift_wrapping.md`),
            GIFT_WRAP,
          );
          assert.match(
            await page.textContent("table") ?? "",
            /gift_wrapping\.md\s*Gift wrapping\s*2/,
          );
          await noHorizontalScroll(page);
        },
      );

      await t.step("a question the new document answers", async () => {
        await page.fill(
          "#question",
          "Hello, how much does gift wrapping cost per item? Thanks",
        );
        await page.click(`button:has-text("Show the agent's answer")`);
        await page.waitForURL(`${origin}/knowledge/ask`);
        const asked = await page.textContent(".asked") ?? "";
        assert.match(asked, /The agent would reply:/);
        assert.match(asked, /\$3\.50 per item/);
        assert.match(asked, /gift_wrapping\.md#gift-wrapping-cost/);
        await shot(page, "51_phone_knowledge_ask");
        await noHorizontalScroll(page);
      });

      await t.step(
        "a small answers file: figures and one row per line",
        async () => {
          await page.goto(`${origin}/knowledge`);
          await page.fill("#eval-lines", EVAL_LINES);
          await page.click('button:has-text("Run against the index")');
          await page.waitForURL(`${origin}/knowledge/eval`);
          const run = await page.textContent(".eval-run") ?? "";
          assert.match(run, /3 lines run against the current index/);
          assert.match(run, /Answered right\s*100%/);
          assert.match(run, /Uncovered but answered\s*0%/);
          const rows = await page.$$eval(
            "table.eval-cases tbody tr",
            (trs) => trs.map((tr) => tr.textContent ?? ""),
          );
          assert.equal(rows.length, 3);
          assert.match(rows[0]!, /gift-cost.*right answer/s);
          assert.match(rows[2]!, /antarctica.*to a person, as expected/s);
          await shot(page, "52_phone_knowledge_eval");
          await noHorizontalScroll(page);
        },
      );

      await t.step(
        "a file changed on disk asks for a reindex, the button does it",
        async () => {
          await Deno.writeTextFile(
            `${kb}/shipping.md`,
            "\n## Parcel lockers\n\nParcels can go to a parcel locker.\n",
            { append: true },
          );
          await page.goto(`${origin}/knowledge`);
          const alert = await page.textContent(".alert.stale") ?? "";
          assert.match(alert, /Reindex needed/);
          assert.match(alert, /Changed:\s*shipping\.md/);
          await shot(page, "53_phone_knowledge_stale");
          await page.click('.alert.stale button:has-text("Reindex now")');
          await page.waitForURL(`${origin}/knowledge`);
          await web.agent.knowledge.reindex();
          await page.reload();
          assert.equal(await page.$(".alert.stale"), null);
          assert.match(await page.textContent("dl.facts") ?? "", /up to date/);
        },
      );

      await t.step(
        "wide screen screenshot, for a person to look at",
        async () => {
          await page.setViewportSize({ width: 1280, height: 900 });
          await page.goto(`${origin}/knowledge`);
          await shot(page, "54_knowledge");
        },
      );

      await t.step("no page broke the Content Security Policy", () => {
        assert.deepEqual(cspErrors, []);
      });
      await context.close();
    } finally {
      await browser.close();
      await served.close();
      await Deno.remove(kb, { recursive: true });
    }
  });
}
