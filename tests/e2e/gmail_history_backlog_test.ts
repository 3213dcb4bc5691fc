/**
 * A backlog through history (emulator over HTTP, both stores):
 * INITIAL_SYNC_MAX bounds only what a full sync hands to one cycle; a
 * history cycle takes every new email it lists, and one cut short by its
 * deadline keeps the cursor, so the next cycle lists the same history again
 * and handles the rest: none lost, none answered twice.
 */
import assert from "node:assert/strict";
import { openGmailAgent } from "../helpers/gmail_agent.ts";

const SHOP = "support@shop.example";

async function deliverMany(
  agent: Awaited<ReturnType<typeof openGmailAgent>>,
  n: number,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(
      (await agent.emu.deliver(SHOP, {
        from: `h${i}@example.net`,
        subject: `Question ${i}`,
        text: "How long does standard shipping take?",
      })).id,
    );
  }
  return ids;
}

/** Each message answered exactly once, and done in the ledger. */
async function answeredOnce(
  agent: Awaited<ReturnType<typeof openGmailAgent>>,
  ids: string[],
) {
  const sent = await agent.emu.sent(SHOP);
  assert.equal(sent.length, ids.length, "one reply each");
  const threads = new Set(sent.map((m) => m.threadId));
  assert.equal(threads.size, ids.length, "no thread answered twice");
  for (const id of ids) {
    assert.equal(
      (await agent.store.ledger.get(agent.account.id, id))?.state,
      "done",
    );
  }
}

for (const backend of ["kv", "postgres"] as const) {
  Deno.test(`history backlog (${backend}): 120 new emails since the cursor, more than INITIAL_SYNC_MAX, are all handled in one cycle`, async () => {
    const agent = await openGmailAgent({ backend, initialSyncMax: 50 });
    try {
      const worker = agent.worker();
      assert.equal((await worker.pollOnce()).fetched, 0); // cursor + first sync
      const ids = await deliverMany(agent, 120);
      const s = await worker.pollOnce();
      assert.equal(s.errors, 0);
      assert.equal(s.fetched, 120);
      assert.equal((await worker.pollOnce()).fetched, 0);
      await answeredOnce(agent, ids);
    } finally {
      await agent.close();
    }
  });

  Deno.test(`history backlog (${backend}): a cycle cut short by its deadline leaves the rest to the next one, none lost, none twice`, async () => {
    const agent = await openGmailAgent({ backend, initialSyncMax: 50 });
    try {
      const { clock } = agent;
      // Each finished email takes a second of the cycle's 40 s.
      const worker = agent.worker({
        cycleDeadlineMs: 40_000,
        crashAt: (step) => {
          if (step === "done") clock.advance(1000);
        },
      });
      assert.equal((await worker.pollOnce()).fetched, 0);
      const ids = await deliverMany(agent, 120);
      const fetched: number[] = [];
      for (let i = 0; i < 6; i++) {
        const s = await worker.pollOnce();
        fetched.push(s.fetched);
        if (s.fetched === 0) break;
      }
      assert.ok(fetched[0]! < 120, `the first cycle was cut: ${fetched}`);
      assert.equal(fetched[fetched.length - 1], 0);
      assert.equal(fetched.reduce((a, b) => a + b, 0), 120, `${fetched}`);
      await answeredOnce(agent, ids);
    } finally {
      await agent.close();
    }
  });
}
