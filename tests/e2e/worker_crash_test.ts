/**
 * Exactly once across crashes: a crash is injected after each step of one
 * email (claim, decision recorded, effects, send, markSent, label, done),
 * then a restarted worker runs the cycle again. No duplicate reply, no lost
 * email, no duplicate review item.
 */
import assert from "node:assert/strict";
import type { CrashStep } from "../../pipeline/worker/worker.ts";
import { openGmailAgent } from "../helpers/gmail_agent.ts";

const SHOP = "support@shop.example";
const STEPS: CrashStep[] = [
  "claim",
  "decide",
  "effects",
  "send",
  "mark_sent",
  "label",
  "done",
];
const RESTART_MS = 11 * 60_000; // past the lease TTL and the stale-claim age

class Crash extends Error {}
/** The worker's default first back-off before a failed email is claimed again (then doubled). */
const BACKOFF_MS = 30_000;

for (const mode of ["auto", "draft"] as const) {
  Deno.test(`Worker crash recovery (${mode}): a crash after any step never duplicates nor loses a reply`, async (t) => {
    const agent = await openGmailAgent({ replyMode: mode });
    try {
      const { emu } = agent;
      assert.equal((await agent.worker().pollOnce()).errors, 0); // cursor + label
      const outbox = () => mode === "auto" ? emu.sent(SHOP) : emu.drafts(SHOP);
      for (const [i, step] of STEPS.entries()) {
        await t.step(`crash after ${step}`, async () => {
          const m = await emu.deliver(SHOP, {
            from: `c${i}@example.net`,
            subject: `Refund ${i}`,
            text: "Please refund my order, I do not want it anymore.",
          });
          let crashed = 0;
          const crashing = agent.worker({
            crashAt: (s, gmailId) => {
              if (s === step && gmailId === m.id) {
                crashed++;
                throw new Crash(`crash after ${s}`);
              }
            },
          });
          const s1 = await crashing.pollOnce();
          assert.equal(crashed, 1);
          assert.equal(s1.errors, 1);
          agent.clock.advance(RESTART_MS);
          const s2 = await agent.worker().pollOnce();
          assert.equal(s2.errors, 0);
          // Only a reply this cycle made counts; a recovered send does not.
          const sentBefore = STEPS.indexOf(step) >= STEPS.indexOf("send");
          assert.equal(
            mode === "auto" ? s2.replied : s2.drafted,
            sentBefore ? 0 : 1,
            "replied/drafted count only a reply made in this cycle",
          );
          const mine = (await outbox()).filter((x) =>
            x.threadId === m.threadId
          );
          assert.equal(
            mine.length,
            1,
            `exactly one ${mode === "auto" ? "reply" : "draft"}`,
          );
          const e = await agent.store.ledger.get(agent.account.id, m.id);
          assert.equal(e?.state, "done");
          const labelled = (await emu.messages(SHOP)).find((x) =>
            x.id === m.id
          )!;
          assert.ok(
            labelled.labelIds.some((l) => l.startsWith("Label_")),
            "labelled",
          );
          // A third cycle finds nothing to do.
          agent.clock.advance(RESTART_MS);
          assert.equal((await agent.worker().pollOnce()).fetched, 0);
          assert.equal(
            (await outbox()).filter((x) => x.threadId === m.threadId).length,
            1,
          );
        });
      }
    } finally {
      await agent.close();
    }
  });
}

Deno.test("Worker crash recovery: a queued email is queued once after a crash", async () => {
  const agent = await openGmailAgent();
  try {
    const { emu } = agent;
    const w0 = agent.worker();
    await w0.pollOnce();
    const m = await emu.deliver(SHOP, {
      from: "partner@example.com",
      subject: "Partnership",
      text: "We would like to work together.",
    });
    const crashing = agent.worker({
      crashAt: (s) => {
        if (s === "label") throw new Crash("crash");
      },
    });
    assert.equal((await crashing.pollOnce()).errors, 1);
    agent.clock.advance(RESTART_MS);
    const s = await agent.worker().pollOnce();
    assert.equal(s.queued, 1);
    const items = await agent.store.review.list({
      accountId: agent.account.id,
    });
    assert.equal(items.filter((x) => x.gmailId === m.id).length, 1);
  } finally {
    await agent.close();
  }
});

Deno.test("Worker lease: a second instance does not poll an account that is being polled", async () => {
  const agent = await openGmailAgent();
  try {
    const held = await agent.store.leases.acquire(
      `poll:${agent.account.id}`,
      "other-instance",
      60_000,
      agent.clock.now(),
    );
    assert.ok(held);
    await agent.emu.deliver(SHOP, {
      from: "x@example.net",
      subject: "Refund",
      text: "refund please",
    });
    const s = await agent.worker().pollOnce();
    assert.equal(s.accounts, 0);
    assert.equal(s.fetched, 0);
    assert.equal((await agent.emu.calls()).calls["messages.get"] ?? 0, 0);
    agent.clock.advance(61_000);
    assert.equal((await agent.worker().pollOnce()).replied, 1);
  } finally {
    await agent.close();
  }
});

Deno.test("Worker: a message that keeps failing goes to review after 5 cycles and stops holding the cursor", async () => {
  const agent = await openGmailAgent();
  try {
    const { emu, store, account } = agent;
    await agent.worker().pollOnce();
    const bad = await emu.deliver(SHOP, {
      from: "p@example.net",
      subject: "Partnership",
      text: "Let us work together.",
    });
    const worker = agent.worker({
      crashAt: (s, id) => {
        if (s === "effects" && id === bad.id) throw new Crash("a bug");
      },
    });
    const cursor = await store.cursors.get(account.id);
    for (let i = 1; i <= 4; i++) {
      assert.equal((await worker.pollOnce()).errors, 1);
      assert.equal(await store.cursors.get(account.id), cursor, "cursor held");
      // The back-off doubles with each failure: 30 s, 60 s, 120 s, 240 s.
      agent.clock.advance(BACKOFF_MS * 2 ** (i - 1));
    }
    const ok = await emu.deliver(SHOP, {
      from: "q@example.net",
      subject: "Refund",
      text: "Please refund my order.",
    });
    const s5 = await worker.pollOnce();
    assert.equal(s5.errors, 1);
    assert.equal(s5.replied, 1);
    assert.notEqual(
      await store.cursors.get(account.id),
      cursor,
      "cursor moved",
    );
    const e = await store.ledger.get(account.id, bad.id);
    assert.equal(e?.state, "done");
    assert.match(e?.error ?? "", /processing_failed after 5 attempts/);
    const items = (await store.review.list({ accountId: account.id })).filter((
      x,
    ) => x.gmailId === bad.id);
    assert.equal(items.length, 1);
    assert.equal((await store.ledger.get(account.id, ok.id))?.state, "done");
    assert.equal((await worker.pollOnce()).errors, 0);
  } finally {
    await agent.close();
  }
});

Deno.test("Worker: transient Gmail failures never hand a message to review", async () => {
  const agent = await openGmailAgent({ maxAttempts: 1 });
  try {
    const { emu, store, account } = agent;
    const worker = agent.worker();
    await worker.pollOnce();
    const m = await emu.deliver(SHOP, {
      from: "r@example.net",
      subject: "Refund",
      text: "Please refund my order.",
    });
    await emu.fault({ status: 503, count: 6, path: `/messages/${m.id}` });
    for (let i = 0; i < 6; i++) {
      assert.equal((await worker.pollOnce()).errors, 1);
      agent.clock.advance(BACKOFF_MS * 2 ** i); // doubled with each failure
    }
    assert.equal((await worker.pollOnce()).replied, 1);
    assert.equal(
      (await store.review.list({ accountId: account.id })).length,
      0,
    );
  } finally {
    await agent.close();
  }
});
