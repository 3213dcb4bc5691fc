/**
 * Gmail quota units per replied email, read from the emulator's
 * `/__emu/calls`: the target is at most 115 (get 5 + send 100 + modify 5 +
 * the amortised history.list), for first emails and for follow-ups in a
 * thread (no threads.get: the takeover mark comes from the store).
 */
import assert from "node:assert/strict";
import { openGmailAgent } from "../helpers/gmail_agent.ts";

const SHOP = "support@shop.example";

Deno.test("Gmail quota: a replied email costs at most 115 units", async (t) => {
  const agent = await openGmailAgent();
  try {
    const { emu } = agent;
    const w = agent.worker();
    await w.pollOnce(); // connect: profile, label, first listing
    for (const n of [1, 10, 20]) {
      await t.step(`${n} new email(s) in one cycle`, async () => {
        const before = await emu.calls();
        for (let i = 0; i < n; i++) {
          await emu.deliver(SHOP, {
            from: `q${n}-${i}@example.net`,
            subject: "Refund please",
            text: "Please refund my order, I do not want it anymore.",
          });
        }
        const s = await w.pollOnce();
        assert.equal(s.replied, n);
        const after = await emu.calls();
        const perEmail = (after.units - before.units) / n;
        assert.ok(perEmail <= 115, `units per replied email: ${perEmail}`);
        const delta = (m: string) =>
          (after.calls[m] ?? 0) - (before.calls[m] ?? 0);
        assert.equal(delta("messages.get"), n);
        assert.equal(delta("messages.send"), n);
        assert.equal(delta("messages.modify"), n);
        assert.equal(delta("history.list"), 1);
        assert.equal(delta("users.getProfile"), 0);
        assert.equal(delta("labels.list"), 0);
        assert.equal(
          delta("messages.list"),
          0,
          "no rfc822msgid search on a first attempt",
        );
      });
    }
    await t.step("an idle cycle costs one history.list", async () => {
      const before = await emu.calls();
      await w.pollOnce();
      const after = await emu.calls();
      assert.equal(after.units - before.units, 2);
    });
  } finally {
    await agent.close();
  }
});

Deno.test("Gmail quota: a replied follow-up in a thread costs at most 115 units", async (t) => {
  const agent = await openGmailAgent();
  try {
    const { emu } = agent;
    const w = agent.worker();
    await w.pollOnce();
    for (const n of [1, 20]) {
      const firsts: { threadId: string }[] = [];
      for (let i = 0; i < n; i++) {
        firsts.push(
          await emu.deliver(SHOP, {
            from: `f${n}-${i}@example.net`,
            subject: "Tracking",
            text: "Hi, how do I track my order?",
            message_id: `<f${n}-${i}@example.net>`,
          }),
        );
      }
      assert.equal((await w.pollOnce()).replied, n);
      await t.step(`${n} follow-up(s) in one cycle`, async () => {
        const before = await emu.calls();
        for (let i = 0; i < n; i++) {
          const f = await emu.deliver(SHOP, {
            from: `f${n}-${i}@example.net`,
            subject: "Re: Tracking",
            text: "Thanks. Do you ship internationally?\n\n> How do I track?",
            in_reply_to: `<f${n}-${i}@example.net>`,
            references: [`<f${n}-${i}@example.net>`],
          });
          assert.equal(f.threadId, firsts[i]!.threadId);
        }
        const s = await w.pollOnce();
        assert.equal(s.replied, n);
        const after = await emu.calls();
        const perEmail = (after.units - before.units) / n;
        assert.ok(perEmail <= 115, `units per replied follow-up: ${perEmail}`);
        const delta = (m: string) =>
          (after.calls[m] ?? 0) - (before.calls[m] ?? 0);
        assert.equal(delta("threads.get"), 0);
        // The agent's own earlier replies are in this history: no get each.
        assert.equal(delta("messages.get"), n);
        assert.equal(delta("history.list"), 1);
      });
    }
  } finally {
    await agent.close();
  }
});
