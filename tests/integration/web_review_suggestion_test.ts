/**
 * The review item's reply box starts with a suggestion: the agent's draft
 * when its decision has one, else a draft from the knowledge-base sections
 * it found, marked as a suggestion; a refused reply comes back on the form
 * with what was typed, not on a bare error page.
 */
import assert from "node:assert/strict";
import type { Decision } from "../../pipeline/types.ts";
import { seedReviewItem } from "../helpers/review_seed.ts";
import { openTestWeb, signIn, type TestWeb } from "../helpers/web_app.ts";

/** Records `decision` in the ledger for the seeded item's email. */
async function recordFor(
  web: TestWeb,
  item: { accountId: string; gmailId: string; threadId: string },
  decision: Decision,
) {
  await web.store.ledger.claim({
    accountId: item.accountId,
    gmailId: item.gmailId,
    threadId: item.threadId,
    workerId: "w",
    now: web.clock.now(),
    staleAfterMs: 60_000,
  });
  await web.store.ledger.recordDecision(item.accountId, item.gmailId, {
    decision,
    effects: [],
    replyMessageId: null,
    sender: "m***@example.com",
    senderAddress: "maria@example.com",
    subject: "My parcel arrived broken",
    now: web.clock.now(),
  });
}

const review = (over: Partial<Decision>): Decision => ({
  category: "Question",
  confidence: 0.8,
  action: "review",
  reply: null,
  sources: [],
  order_id: null,
  importance: 3,
  reason: "no_kb_match",
  ...over,
});

/** The reply box's text. */
function replyBox(html: string): string {
  const m = html.match(/<textarea id="reply"[^>]*>([\s\S]*?)<\/textarea>/);
  assert.ok(m, "no reply box");
  return m[1]!.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(
    /&amp;/g,
    "&",
  );
}

Deno.test("review item: the reply box starts with a suggestion", async (t) => {
  const web = await openTestWeb();
  try {
    const { jar, csrf } = await signIn(web);
    const { item } = await seedReviewItem(web);
    await web.agent.knowledge.reindex();
    const page = async () =>
      await (await web.app.request(`/review/${item.id}`, {
        headers: { cookie: jar.header() },
      })).text();

    await t.step("without a decision the box is empty", async () => {
      const html = await page();
      assert.equal(replyBox(html).trim(), "");
      assert.doesNotMatch(html, /badge suggestion/);
    });

    const section = web.agent.knowledge.sections().find((s) =>
      s.id.includes("/shipping.md#")
    )!;
    await t.step(
      "a decision with sources: a draft from those sections",
      async () => {
        await recordFor(web, item, review({ sources: [section.id] }));
        const html = await page();
        const box = replyBox(html);
        const first = section.text.replace(/\s+/g, " ").trim().split(
          /(?<=[.!?])\s/,
        )[0]!;
        assert.ok(box.includes(first), `the box quotes the section: ${first}`);
        assert.match(box, /^Hello,/);
        assert.match(html, /badge suggestion/);
        assert.match(html, /Built from the knowledge-base sections/);
        assert.ok(html.includes(section.id));
      },
    );

    await t.step(
      "the agent's own draft wins when the decision has one",
      async () => {
        const draft =
          "Hello Maria,\n\nStandard shipping takes 3 to 5 business days.\n\nThe Support Team\n";
        const entry = await web.store.ledger.get(item.accountId, item.gmailId);
        await web.store.ledger.recordDecision(item.accountId, item.gmailId, {
          decision: {
            ...entry!.decision!,
            suggested_reply: draft,
          } as Decision,
          effects: [],
          replyMessageId: null,
          sender: null,
          senderAddress: null,
          subject: "My parcel arrived broken",
          now: web.clock.now(),
        });
        const html = await page();
        assert.equal(replyBox(html), draft);
        assert.match(html, /The agent&#39;s draft|The agent's draft/);
      },
    );

    await t.step("an empty reply comes back on the form", async () => {
      const res = await web.app.request(`/review/${item.id}/reply`, {
        method: "POST",
        headers: { cookie: jar.header() },
        body: new URLSearchParams({ _csrf: csrf, reply: "   " }),
      });
      assert.equal(res.status, 400);
      const html = await res.text();
      assert.match(html, /class="alert form-error">The reply is empty\./);
      assert.match(html, /<form method="post" action="\/review\/[^"]+\/reply"/);
    });
  } finally {
    await web.close();
  }
});
