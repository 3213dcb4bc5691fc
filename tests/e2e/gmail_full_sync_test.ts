/**
 * No silent loss on big inboxes: a full sync goes through every message of
 * its window, INITIAL_SYNC_MAX new emails per cycle, across cycles, both on
 * the first poll and after the history id expired; the cursor stored at
 * connect is kept, so history also brings mail the window cannot see.
 */
import assert from "node:assert/strict";
import { openGmailAgent } from "../helpers/gmail_agent.ts";

const SHOP = "support@shop.example";
const DAY = 86_400_000;

async function deliverMany(
  agent: Awaited<ReturnType<typeof openGmailAgent>>,
  n: number,
  tag: string,
) {
  for (let i = 0; i < n; i++) {
    await agent.emu.deliver(SHOP, {
      from: `${tag}${i}@example.net`,
      subject: `Question ${tag}${i}`,
      text: "How long does standard shipping take?",
    });
  }
}

/** Polls until a poll fetches nothing; returns each poll's `fetched`. */
async function pollUntilIdle(
  agent: Awaited<ReturnType<typeof openGmailAgent>>,
): Promise<number[]> {
  const worker = agent.worker();
  const fetched: number[] = [];
  for (let i = 0; i < 10; i++) {
    const s = await worker.pollOnce();
    assert.equal(s.errors, 0);
    fetched.push(s.fetched);
    if (s.fetched === 0) break;
  }
  return fetched;
}

Deno.test("Full sync: 120 emails waiting before the first poll are all handled, 50 a cycle", async () => {
  const agent = await openGmailAgent({ initialSyncMax: 50, pageSize: 40 });
  try {
    await deliverMany(agent, 120, "a");
    assert.deepEqual(await pollUntilIdle(agent), [50, 50, 20, 0]);
    const done = (await agent.store.ledger.listActivity({ limit: 500 }))
      .filter((e) => e.state === "done");
    assert.equal(done.length, 120);
  } finally {
    await agent.close();
  }
});

Deno.test("Full sync: after the history id expired, 120 new emails are all handled across cycles", async () => {
  const agent = await openGmailAgent({ initialSyncMax: 50, pageSize: 40 });
  try {
    assert.equal((await agent.worker().pollOnce()).fetched, 0);
    await deliverMany(agent, 120, "b");
    await agent.emu.expireHistory(SHOP);
    assert.deepEqual(await pollUntilIdle(agent), [50, 50, 20, 0]);
    assert.equal(
      (await agent.store.ledger.listActivity({ limit: 500 })).length,
      120,
    );
  } finally {
    await agent.close();
  }
});

Deno.test("Full sync: the cursor stored at connect is kept, so mail dated before the window that arrives later is answered", async () => {
  const agent = await openGmailAgent({ initialSyncDays: 3 });
  try {
    // What accounts add / the OAuth callback store: the cursor at connect.
    const token = await agent.emu.accessToken(SHOP);
    const profile = await (await fetch(
      `${agent.emu.url}/gmail/v1/users/me/profile`,
      { headers: { authorization: `Bearer ${token}` } },
    )).json() as { historyId: string };
    await agent.store.cursors.set(agent.account.id, profile.historyId);
    // Arrives after connect, dated 10 days ago (a delayed or imported email).
    const late = await agent.emu.deliver(SHOP, {
      from: "late@example.net",
      subject: "Old question",
      text: "How long does standard shipping take?",
      date: new Date(Date.now() - 10 * DAY).toISOString(),
    });
    const first = await agent.worker().pollOnce();
    assert.equal(first.fetched, 0, "outside the full sync's window");
    const second = await agent.worker().pollOnce();
    assert.equal(second.fetched, 1, "listed by history from the stored cursor");
    assert.equal(
      (await agent.store.ledger.get(agent.account.id, late.id))?.state,
      "done",
    );
  } finally {
    await agent.close();
  }
});
