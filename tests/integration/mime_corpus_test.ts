/**
 * Every real-world message in shared/data/mime goes through parse, guards
 * and decide without a crash; bounces and auto-replies are guarded.
 */
import { sharedData } from "../../eval/shared_data.ts";
import assert from "node:assert/strict";
import { parseEmail } from "../../pipeline/mail/parse_email.ts";
import { checkGuards } from "../../pipeline/decide/guards.ts";
import { decide } from "../../pipeline/decide/decide.ts";
import { loadDecideContext } from "../../pipeline/decide/load_context.ts";
import { openKvTestStore } from "../helpers/stores.ts";
import { understandingForTests } from "../helpers/gmail_understanding.ts";
import { decideConfig } from "../helpers/gmail_agent.ts";

const DIR = new URL(`file://${sharedData("mime/")}`);
interface Entry {
  file: string;
  tags: string[];
}
const GUARDED_TAGS =
  /^(bounce|delay-dsn|auto-reply|auto-submitted|abuse-report)/;
const CUSTOMER_TAGS = /^customer-/;

Deno.test("MIME corpus: every message parses and is guarded as machine mail when it is one", async (t) => {
  const manifest: Entry[] = JSON.parse(
    await Deno.readTextFile(new URL("manifest.json", DIR)),
  );
  assert.ok(manifest.length >= 60, "the corpus is present");
  const ctx = {
    accountEmail: "support@shop.example",
    repliesToSenderLast24h: 0,
    maxRepliesPerSender: 3,
  };
  let guarded = 0;
  for (const e of manifest) {
    await t.step(e.file, async () => {
      const raw = await Deno.readFile(new URL(e.file, DIR));
      const p = await parseEmail(raw, {
        id: "g1",
        threadId: "t1",
        labelIds: ["INBOX"],
      });
      assert.equal(typeof p.text, "string");
      assert.equal(typeof p.subject, "string");
      assert.ok(p.cleanText.length <= 8000);
      const g = checkGuards(p, ctx);
      if (e.tags.some((tag) => GUARDED_TAGS.test(tag))) {
        assert.notEqual(
          g,
          null,
          `${e.file} (${e.tags.join(",")}) must be guarded`,
        );
        assert.equal(g?.action, "ignore");
        guarded++;
      }
      if (e.tags.some((tag) => CUSTOMER_TAGS.test(tag))) {
        assert.equal(g, null, `${e.file} is a customer email and must pass`);
        assert.ok(p.cleanText.length > 20, "a customer email has text");
        assert.doesNotMatch(p.subject, /=\?/, "subject is RFC 2047 decoded");
      }
    });
  }
  assert.ok(guarded >= 15, `expected many guarded messages, got ${guarded}`);
});

Deno.test("MIME corpus: every message goes through decide() without a crash", async () => {
  const manifest: Entry[] = JSON.parse(
    await Deno.readTextFile(new URL("manifest.json", DIR)),
  );
  const s = await openKvTestStore();
  try {
    const u = await understandingForTests();
    const now = new Date();
    const account = await s.store.accounts.upsert({
      email: "support@shop.example",
      tokens: { accessToken: null, refreshToken: "x", expiryDate: null },
    });
    const deps = { ...u, store: s.store, config: decideConfig() };
    for (const [i, e] of manifest.entries()) {
      const raw = await Deno.readFile(new URL(e.file, DIR));
      const email = await parseEmail(raw, {
        id: `g${i}`,
        threadId: `t${i}`,
        labelIds: ["INBOX"],
      });
      const ctx = await loadDecideContext(email, {
        account,
        now,
        thread: { humanTakeover: false, threadTexts: [] },
      }, deps);
      const plan = await decide(email, ctx, deps);
      assert.ok(
        ["reply", "draft", "review", "ignore"].includes(plan.decision.action),
      );
      if (e.tags.some((tag) => GUARDED_TAGS.test(tag))) {
        assert.equal(plan.decision.action, "ignore", e.file);
        assert.equal(plan.decision.reply, null);
      }
      if (e.tags.some((tag) => CUSTOMER_TAGS.test(tag))) {
        assert.notEqual(plan.decision.action, "ignore", e.file);
      }
    }
  } finally {
    await s.close();
  }
});
