/**
 * Page components rendered directly: states that are hard to catch through
 * a live request (a reindex in progress).
 */
import assert from "node:assert/strict";
import { KnowledgePage } from "../../routes/pages/knowledge_page.tsx";

Deno.test("knowledge page while a reindex runs", async (t) => {
  const status = {
    ready: true,
    documents: [{ id: "shipping.md", title: "Shipping <fast>", sections: 5 }],
    building: true,
    progress: { done: 3, total: 14 },
  };
  await t.step(
    "refreshes itself and shows the progress, without script",
    async () => {
      const html = String(
        await KnowledgePage({
          csrf: "tok",
          status,
          building: true,
          last: null,
          dir: "./knowledge_base",
        }),
      );
      assert.match(html, /<meta http-equiv="refresh" content="2">/);
      assert.match(html, /<progress value="3" max="14">/);
      assert.match(html, /Reindexing 3 of 14 documents/);
      assert.doesNotMatch(html, /Reindex now/);
      assert.doesNotMatch(html, /<script/);
      assert.match(html, /Shipping &lt;fast&gt;/);
    },
  );
  await t.step(
    "once built, no refresh and the reindex button is back",
    async () => {
      const html = String(
        await KnowledgePage({
          csrf: "tok",
          status: { ...status, building: false, progress: null },
          building: false,
          last: {
            at: new Date("2026-03-02T10:00:00Z"),
            ok: false,
            message: "boom <x>",
          },
          dir: "./knowledge_base",
        }),
      );
      assert.doesNotMatch(html, /http-equiv/);
      assert.match(html, /Reindex now/);
      assert.match(html, /failed: boom &lt;x&gt;/);
    },
  );
});
