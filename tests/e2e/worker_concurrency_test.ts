/**
 * Several messages of one mailbox at a time, and accounts in parallel
 * (emulator over HTTP, both stores): emails of one sender handled at the
 * same time never pass the reply cap and are decided in the order they
 * came; one thread's messages are handled one after the other in order;
 * other mail is handled in the same cycle. The steps of each email are observed
 * through the worker's step hook (which never throws here).
 */
import assert from "node:assert/strict";
import type { CrashStep } from "../../pipeline/worker/worker.ts";
import { openGmailAgent } from "../helpers/gmail_agent.ts";

const SHOP = "support@shop.example";
const QUESTION = "Hi, how long does standard shipping take? Thanks";

/** The steps the worker went through, in order. */
function recorder() {
  const events: Array<[CrashStep, string]> = [];
  return {
    events,
    crashAt: (step: CrashStep, gmailId: string) =>
      void events.push([step, gmailId]),
    /** Most emails between their claim and their end at one time. */
    maxInFlight() {
      let n = 0;
      let max = 0;
      for (const [step] of events) {
        if (step === "claim") max = Math.max(max, ++n);
        if (step === "done") n--;
      }
      return max;
    },
    /** Index of `gmailId`'s first `step`. */
    at(step: CrashStep, gmailId: string) {
      return events.findIndex(([s, id]) => s === step && id === gmailId);
    },
  };
}

for (const backend of ["kv", "postgres"] as const) {
  Deno.test(`concurrency (${backend}): twelve emails of one sender handled with others at the same time get three replies, to the first three`, async () => {
    const agent = await openGmailAgent({ backend, maxAutoRepliesPerSender: 3 });
    try {
      const { emu } = agent;
      assert.equal((await agent.worker().pollOnce()).errors, 0);
      const ann: string[] = [];
      for (let i = 0; i < 12; i++) {
        const m = await emu.deliver(SHOP, {
          from: "Ann <ann@example.com>",
          subject: `Shipping question ${i}`,
          text: QUESTION,
        });
        ann.push(m.id);
        if (i % 2 === 0) {
          await emu.deliver(SHOP, {
            from: `other${i}@example.net`,
            subject: `Another question ${i}`,
            text: QUESTION,
          });
        }
      }
      const rec = recorder();
      const s = await agent.worker({
        messageConcurrency: 8,
        crashAt: rec.crashAt,
      })
        .pollOnce();
      assert.equal(s.errors, 0);
      assert.equal(s.fetched, 18);
      assert.ok(rec.maxInFlight() > 1, "handled at the same time");
      const toAnn = (await emu.sent(SHOP)).filter((m) =>
        /^To: .*ann@example\.com/m.test(m.rfc822)
      );
      assert.equal(toAnn.length, 3, "the cap is 3 a day");
      assert.equal(s.replied, 3 + 6);
      // Decided in the order they came: the first three are answered.
      const claims = ann.map((id) => rec.at("claim", id));
      assert.deepEqual([...claims].sort((a, b) => a - b), claims);
      for (const [i, id] of ann.entries()) {
        const e = await agent.store.ledger.get(agent.account.id, id);
        assert.equal(e?.decision?.action, i < 3 ? "reply" : "review", id);
        if (i >= 3) assert.equal(e?.decision?.reason, "rate_limited");
      }
    } finally {
      await agent.close();
    }
  });

  Deno.test(`concurrency (${backend}): one thread's messages are handled one after the other in order, other threads in the same cycle`, async () => {
    const agent = await openGmailAgent({ backend });
    try {
      const { emu } = agent;
      assert.equal((await agent.worker().pollOnce()).errors, 0);
      const first = await emu.deliver(SHOP, {
        from: "carl@example.net",
        subject: "Tracking",
        text: "How do I track my order?",
        message_id: "<carl-1@example.net>",
      });
      const thread = [first.id];
      const others: string[] = [];
      let previous = "<carl-1@example.net>";
      for (let i = 2; i <= 4; i++) {
        others.push(
          (await emu.deliver(SHOP, {
            from: `o${i}@example.org`,
            subject: `Returns ${i}`,
            text: "What is your return policy?",
          })).id,
        );
        // Each from someone else in the thread: only the thread orders them.
        const m = await emu.deliver(SHOP, {
          from: `colleague${i}@example.net`,
          subject: "Re: Tracking",
          text: "And how long does standard shipping take?",
          message_id: `<carl-${i}@example.net>`,
          in_reply_to: previous,
          references: ["<carl-1@example.net>", previous],
        });
        assert.equal(m.threadId, first.threadId);
        previous = `<carl-${i}@example.net>`;
        thread.push(m.id);
      }
      const rec = recorder();
      const s = await agent.worker({
        messageConcurrency: 8,
        crashAt: rec.crashAt,
      })
        .pollOnce();
      assert.equal(s.errors, 0);
      assert.equal(s.fetched, 7);
      for (let k = 1; k < thread.length; k++) {
        const prevDone = rec.at("done", thread[k - 1]!);
        const nextClaim = rec.at("claim", thread[k]!);
        assert.ok(prevDone >= 0 && nextClaim > prevDone, `${k}: in order`);
      }
      // Every other email was handled in the same cycle. Whether one of them
      // was in hand at the same moment as one of the thread's is up to the
      // timing of the store and Gmail calls (on Postgres about 1 run in 7
      // found none, with the worker right), so it is not asserted here; that
      // other threads never wait for this one is proven without timing in
      // tests/unit/worker_lanes_test.ts.
      for (const o of others) {
        assert.ok(rec.at("done", o) >= 0, `${o}: handled`);
      }
    } finally {
      await agent.close();
    }
  });

  Deno.test(`concurrency (${backend}): accounts are polled in parallel`, async () => {
    const agent = await openGmailAgent({
      backend,
      emails: ["support@shop.example", "help@other.example"],
    });
    try {
      const { emu } = agent;
      assert.equal((await agent.worker().pollOnce()).errors, 0);
      const byAccount: Record<string, string[]> = {};
      for (const a of agent.accounts) {
        byAccount[a.email] = [];
        for (let i = 0; i < 8; i++) {
          byAccount[a.email]!.push(
            (await emu.deliver(a.email, {
              from: `c${i}@example.net`,
              subject: `Question ${i}`,
              text: QUESTION,
            })).id,
          );
        }
      }
      const rec = recorder();
      // One message at a time within each account, eight each: one account
      // cannot finish before the other starts unless accounts run in turn,
      // however loaded the machine is.
      const s = await agent.worker({
        crashAt: rec.crashAt,
        messageConcurrency: 1,
      }).pollOnce();
      assert.equal(s.errors, 0);
      assert.equal(s.accounts, 2);
      assert.equal(s.replied, 16);
      const [a, b] = Object.values(byAccount) as [string[], string[]];
      const lastA = Math.max(...a.map((id) => rec.at("done", id)));
      const lastB = Math.max(...b.map((id) => rec.at("done", id)));
      const firstA = Math.min(...a.map((id) => rec.at("claim", id)));
      const firstB = Math.min(...b.map((id) => rec.at("claim", id)));
      assert.ok(firstB < lastA && firstA < lastB, "interleaved");
    } finally {
      await agent.close();
    }
  });
}
