/**
 * The Knowledge page: a document read as the agent sees it (sections and
 * their ids), and a question run against the current index, shown as the
 * agent would answer it (nothing is sent).
 */
import assert from "node:assert/strict";
import { openTestWeb, signIn } from "../helpers/web_app.ts";

Deno.test("knowledge page: read a document's sections, ask the current index", async (t) => {
  const web = await openTestWeb({ emulator: false });
  try {
    const { jar, csrf } = await signIn(web);
    await web.agent.knowledge.reindex();
    const get = (path: string) =>
      web.app.request(path, { headers: { cookie: jar.header() } });

    await t.step("a document shows its sections with their ids", async () => {
      const list = await (await get("/knowledge")).text();
      assert.match(list, /href="\/knowledge\/doc\?id=shipping\.md"/);
      const res = await get("/knowledge/doc?id=shipping.md");
      assert.equal(res.status, 200);
      const html = await res.text();
      assert.match(html, /knowledge_base\/shipping\.md#shipping-costs/);
      assert.match(html, /Standard shipping costs \$4\.95/);
      const none = await get("/knowledge/doc?id=nope.md");
      assert.equal(none.status, 404);
      await none.body?.cancel();
    });

    await t.step(
      "a question is answered as the agent would, nothing sent",
      async () => {
        const res = await web.app.request("/knowledge/ask", {
          method: "POST",
          headers: { cookie: jar.header() },
          body: new URLSearchParams({
            _csrf: csrf,
            question: "How much does standard shipping cost?",
          }),
        });
        assert.equal(res.status, 200);
        const html = await res.text();
        assert.match(html, /The agent would (reply|draft this reply)/);
        assert.match(html, /\$4\.95/);
        assert.match(html, /Sources: knowledge_base\/shipping\.md#/);
        const off = await web.app.request("/knowledge/ask", {
          method: "POST",
          headers: { cookie: jar.header() },
          body: new URLSearchParams({
            _csrf: csrf,
            question: "Can you recommend a good plumber in Berlin for my flat?",
          }),
        });
        assert.match(await off.text(), /Goes to a person:/);
      },
    );
  } finally {
    await web.close();
  }
});
