/**
 * An email with one ask the knowledge base answers and one it does not is
 * never answered as if complete: `decide()` sends it to review, and the
 * decision carries the answered ask as `suggested_reply` for the person.
 */
import assert from "node:assert/strict";
import { silentLogger } from "../../app/ops/logger.ts";
import { textEmail } from "../../eval/text_email.ts";
import { decide } from "../../pipeline/decide/decide.ts";
import { createKnowledgeBase } from "../../pipeline/knowledge/knowledge_base.ts";
import { loadWordVectors } from "../../pipeline/knowledge/word_vectors.ts";
import { loadDecideContext } from "../../pipeline/decide/load_context.ts";
import { decideConfig } from "../helpers/gmail_agent.ts";
import { understandingForTests } from "../helpers/gmail_understanding.ts";
import { openKvTestStore } from "../helpers/stores.ts";

const NOW = new Date("2026-11-30T12:00:00Z");
const KB = new URL("../../eval/answers/dev_garden/kb", import.meta.url)
  .pathname;

Deno.test("decide() sends a partly covered email to review with the covered asks as suggested_reply", async () => {
  const s = await openKvTestStore();
  const cacheDir = await Deno.makeTempDir({ prefix: "decide_suggested_" });
  try {
    const kb = createKnowledgeBase({
      dir: KB,
      cacheDir,
      logger: silentLogger,
      wordVectors: await loadWordVectors(),
    });
    await kb.reindex();
    const { classifier } = await understandingForTests();
    const config = decideConfig();
    const account = await s.store.accounts.upsert({
      email: "support@shop.example",
      tokens: { accessToken: null, refreshToken: "x", expiryDate: null },
    });
    const run = async (body: string, id: string) => {
      const email = textEmail(body, { id, threadId: id, subject: "Question" });
      const ctx = await loadDecideContext(email, {
        account,
        now: NOW,
        thread: { humanTakeover: false, threadTexts: [] },
      }, { classifier, config, store: s.store });
      return (await decide(email, ctx, { retriever: kb.retriever, config }))
        .decision;
    };
    const both = await run(
      "Do you take PayPal? And how many days does standard delivery take?",
      "b",
    );
    assert.deepEqual([both.action, both.reason], ["reply", "answered"]);
    assert.match(both.reply ?? "", /PayPal/);
    assert.match(both.reply ?? "", /2 to 3 working days/);

    const partly = await run(
      "Do you take PayPal? And do you have a shop I can visit in Manchester?",
      "p",
    );
    assert.deepEqual([partly.action, partly.reason, partly.reply], [
      "review",
      "no_kb_match",
      null,
    ]);
    assert.match(partly.suggested_reply ?? "", /PayPal/);
    assert.doesNotMatch(partly.suggested_reply ?? "", /Manchester/);
  } finally {
    await Deno.remove(cacheDir, { recursive: true });
    await s.close();
  }
});
