/**
 * One cycle per account, bounded in time: the lease belongs to the cycle's
 * attempt and is renewed while it runs; a cycle that overruns its deadline
 * stops cleanly (its claim given back, the stop reported); after a kill the
 * mail is finished within two poll intervals. The clock is fake.
 */
import assert from "node:assert/strict";
import { openGmailAgent } from "../helpers/gmail_agent.ts";

const SHOP = "support@shop.example";
const POLL_INTERVAL_MS = 60_000;

async function deliverQuestions(
  agent: Awaited<ReturnType<typeof openGmailAgent>>,
  n: number,
) {
  const out = [];
  for (let i = 0; i < n; i++) {
    out.push(
      await agent.emu.deliver(SHOP, {
        from: `c${i}@example.net`,
        subject: `Shipping ${i}`,
        text: "How long does standard shipping take?",
      }),
    );
  }
  return out;
}

Deno.test("Worker lease: renewed while a long cycle runs, so another instance never takes the account", async () => {
  const agent = await openGmailAgent();
  try {
    await agent.worker().pollOnce();
    await deliverQuestions(agent, 6);
    const lease = `poll:${agent.account.id}`;
    const attempts: Promise<boolean>[] = [];
    const slow = agent.worker({
      leaseTtlMs: POLL_INTERVAL_MS,
      cycleDeadlineMs: 10 * POLL_INTERVAL_MS,
      // One email after another, each taking 25 s of the fake clock (emails
      // handled at the same time would share that time, not add it up).
      messageConcurrency: 1,
      crashAt: (step) => {
        if (step !== "claim") return;
        // Each email takes 25 s: the whole cycle is 150 s, 2.5 lease TTLs.
        agent.clock.advance(25_000);
        attempts.push(
          agent.store.leases.acquire(
            lease,
            "other-instance",
            POLL_INTERVAL_MS,
            agent.clock.now(),
          ),
        );
      },
    });
    const s = await slow.pollOnce();
    assert.equal(s.replied, 6);
    assert.equal(s.errors, 0);
    assert.deepEqual(await Promise.all(attempts), Array(6).fill(false));
  } finally {
    await agent.close();
  }
});

Deno.test("Worker deadline: a cycle that overruns stops cleanly, gives its claim back and reports it; the next cycle finishes", async () => {
  const agent = await openGmailAgent();
  try {
    await agent.worker().pollOnce();
    const mails = await deliverQuestions(agent, 4);
    const late = mails[1]!;
    const overrunning = agent.worker({
      cycleDeadlineMs: 2 * POLL_INTERVAL_MS,
      // One at a time, so the first email is done before the second starts
      // (gmail_history_backlog_test cuts a cycle of emails handled at once).
      messageConcurrency: 1,
      crashAt: (step, gmailId) => {
        // The second email's decision takes past the deadline.
        if (step === "decide" && gmailId === late.id) {
          agent.clock.advance(3 * POLL_INTERVAL_MS);
        }
      },
    });
    const s1 = await overrunning.pollOnce();
    assert.equal(s1.replied, 1, "the first email is answered");
    assert.equal(s1.errors, 1, "the stop is reported");
    const entry = await agent.store.ledger.get(agent.account.id, late.id);
    assert.equal(entry?.state, "decided");
    assert.equal(entry?.claimedBy, null, "its claim is given back");
    const account = await agent.store.accounts.get(agent.account.id);
    assert.match(account?.lastError ?? "", /overran its deadline of 120 s/);
    assert.equal(
      await agent.store.leases.acquire(
        `poll:${agent.account.id}`,
        "probe",
        1,
        agent.clock.now(),
      ),
      true,
      "the lease is released",
    );
    agent.clock.advance(POLL_INTERVAL_MS);
    const s2 = await agent.worker().pollOnce();
    assert.equal(s2.replied, 3);
    assert.equal(s2.errors, 0);
    const sent = await agent.emu.sent(SHOP);
    for (const m of mails) {
      assert.equal(sent.filter((x) => x.threadId === m.threadId).length, 1);
    }
  } finally {
    await agent.close();
  }
});

for (const backend of ["kv", "postgres"] as const) {
  Deno.test(`Worker kill (${backend}): a killed cycle's lease and claim are left behind; the mail is finished within 2 poll intervals`, async () => {
    const agent = await openGmailAgent({ backend });
    try {
      await agent.worker().pollOnce();
      const [m] = await deliverQuestions(agent, 1);
      // What a SIGKILL mid-email leaves: a live lease and a claim of its attempt.
      const dead = "dead-instance/attempt-1";
      const lease = `poll:${agent.account.id}`;
      assert.ok(
        await agent.store.leases.acquire(
          lease,
          dead,
          POLL_INTERVAL_MS,
          agent.clock.now(),
        ),
      );
      const claim = await agent.store.ledger.claim({
        accountId: agent.account.id,
        gmailId: m!.id,
        threadId: m!.threadId,
        workerId: dead,
        now: agent.clock.now(),
        staleAfterMs: 10 * 60_000,
        lease,
      });
      assert.equal(claim.status, "claimed");
      const restarted = agent.worker({ leaseTtlMs: POLL_INTERVAL_MS });
      agent.clock.advance(POLL_INTERVAL_MS / 2);
      assert.equal(
        (await restarted.pollOnce()).accounts,
        0,
        "lease still live",
      );
      agent.clock.advance(POLL_INTERVAL_MS / 2);
      const s = await restarted.pollOnce();
      assert.equal(s.replied, 1);
      assert.equal((await agent.emu.sent(SHOP)).length, 1);
    } finally {
      await agent.close();
    }
  });
}

Deno.test("Worker restart: with a stable INSTANCE_ID the restarted process takes its killed predecessor's mailbox back at once", async () => {
  const agent = await openGmailAgent();
  try {
    await agent.worker().pollOnce();
    const [m] = await deliverQuestions(agent, 1);
    const lease = `poll:${agent.account.id}`;
    const dead = "shop-1/attempt-killed";
    assert.ok(
      await agent.store.leases.acquire(
        lease,
        dead,
        POLL_INTERVAL_MS,
        agent.clock.now(),
      ),
    );
    await agent.store.ledger.claim({
      accountId: agent.account.id,
      gmailId: m!.id,
      threadId: m!.threadId,
      workerId: dead,
      now: agent.clock.now(),
      staleAfterMs: 10 * 60_000,
      lease,
    });
    const other = agent.worker({ instanceId: "shop-2" });
    assert.equal((await other.pollOnce()).accounts, 0, "not another's");
    const restarted = agent.worker({ instanceId: "shop-1" });
    const s = await restarted.pollOnce();
    assert.equal(s.replied, 1, "no wait for the lease");
    assert.equal((await agent.emu.sent(SHOP)).length, 1);
  } finally {
    await agent.close();
  }
});
