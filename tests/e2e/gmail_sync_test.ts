/**
 * Sync over real HTTP against the emulator: the bounded initial sync, paged
 * history, a stale history id, and a revoked token on one of two accounts.
 */
import assert from "node:assert/strict";
import { PROCESSED_LABEL } from "../../pipeline/worker/sync.ts";
import { openGmailAgent } from "../helpers/gmail_agent.ts";

const SHOP = "support@shop.example";
const refund = (i: number) => ({
  from: `customer${i}@example.net`,
  subject: `Refund request ${i}`,
  text: "I would like a refund, the item does not fit.",
});

Deno.test("Gmail sync: initial window, paging, stale history id", async (t) => {
  const agent = await openGmailAgent({ pageSize: 2, initialSyncDays: 3 });
  try {
    const { emu } = agent;
    const worker = agent.worker();
    const DAY = 86_400_000;

    await t.step(
      "the first sync takes only recent inbox mail that is not ours",
      async () => {
        await emu.deliver(SHOP, {
          ...refund(0),
          date: new Date(Date.now() - 10 * DAY).toISOString(),
        });
        await emu.deliver(SHOP, {
          from: SHOP,
          subject: "note to self",
          text: "refund?",
        });
        const fresh = await emu.deliver(SHOP, refund(1));
        const s = await worker.pollOnce();
        assert.equal(s.fetched, 1);
        assert.equal(s.replied, 1);
        assert.equal(s.errors, 0);
        assert.equal((await emu.sent(SHOP))[0]?.threadId, fresh.threadId);
        assert.ok(await agent.store.cursors.get(agent.account.id));
      },
    );

    await t.step(
      "five new emails over three history pages are each answered once",
      async () => {
        const before = (await emu.calls()).calls["history.list"] ?? 0;
        for (let i = 2; i <= 6; i++) await emu.deliver(SHOP, refund(i));
        const s = await worker.pollOnce();
        assert.deepEqual(s, {
          accounts: 1,
          fetched: 5,
          replied: 5,
          drafted: 0,
          queued: 0,
          ignored: 0,
          errors: 0,
        });
        assert.equal((await emu.sent(SHOP)).length, 6);
        const pages = ((await emu.calls()).calls["history.list"] ?? 0) - before;
        assert.ok(pages >= 3, `history.list paged: ${pages} calls`);
      },
    );

    await t.step(
      "a stale history id falls back to a full sync and re-seeds the cursor",
      async () => {
        await emu.deliver(SHOP, refund(7));
        await emu.deliver(SHOP, refund(8));
        await emu.expireHistory(SHOP);
        const cursorBefore = await agent.store.cursors.get(agent.account.id);
        const s = await worker.pollOnce();
        assert.equal(s.fetched, 2);
        assert.equal(s.replied, 2);
        assert.equal(s.errors, 0);
        assert.equal((await emu.sent(SHOP)).length, 8);
        assert.notEqual(
          await agent.store.cursors.get(agent.account.id),
          cursorBefore,
        );
        // Incremental sync works again afterwards.
        await emu.deliver(SHOP, refund(9));
        const calls = (await emu.calls()).calls["messages.list"] ?? 0;
        const s2 = await worker.pollOnce();
        assert.equal(s2.fetched, 1);
        assert.equal(
          (await emu.calls()).calls["messages.list"] ?? 0,
          calls,
          "no full sync",
        );
        assert.equal((await emu.sent(SHOP)).length, 9);
      },
    );

    await t.step(
      "labels are created once and listed once per account",
      async () => {
        const c = (await emu.calls()).calls;
        assert.equal(c["labels.create"], 1);
        assert.equal(c["labels.list"], 1);
        assert.equal(c["users.getProfile"], 2, "initial sync + one resync");
      },
    );
  } finally {
    await agent.close();
  }
});

Deno.test("Gmail sync: a revoked token marks that account needs_reconnect and the others carry on", async () => {
  const A = "a@shop.example";
  const B = "b@shop.example";
  const agent = await openGmailAgent({ emails: [A, B] });
  try {
    const { emu } = agent;
    const worker = agent.worker();
    await emu.deliver(A, refund(1));
    await emu.deliver(B, refund(2));
    assert.equal((await worker.pollOnce()).replied, 2);

    await emu.revoke(A);
    await emu.deliver(A, refund(3));
    await emu.deliver(B, refund(4));
    const s = await worker.pollOnce();
    assert.equal(s.accounts, 2);
    assert.equal(s.errors, 1);
    assert.equal(s.replied, 1);
    assert.equal((await emu.sent(B)).length, 2);
    assert.equal((await emu.sent(A)).length, 1);

    const a = await agent.store.accounts.getByEmail(A);
    assert.equal(a?.status, "needs_reconnect");
    assert.match(a?.statusReason ?? "", /invalid_grant/);
    assert.ok(a?.lastError);
    const b = await agent.store.accounts.getByEmail(B);
    assert.equal(b?.status, "active");
    assert.equal(b?.lastError, null);

    // The next cycle skips the disconnected account.
    const s2 = await worker.pollOnce();
    assert.equal(s2.accounts, 1);
    assert.equal(s2.errors, 0);
  } finally {
    await agent.close();
  }
});

Deno.test("Gmail sync: a label deleted in Gmail is created again when labelling fails", async () => {
  const agent = await openGmailAgent();
  try {
    const { emu, store, account } = agent;
    const w = agent.worker();
    await w.pollOnce();
    // The cached id now points at a label Gmail no longer knows.
    await store.syncState.setLabelId(account.id, PROCESSED_LABEL, "Label_999");
    const m = await emu.deliver(SHOP, refund(1));
    const s = await w.pollOnce();
    assert.equal(s.errors, 0);
    assert.equal(s.replied, 1);
    const fresh = await store.syncState.labelId(account.id, PROCESSED_LABEL);
    assert.notEqual(fresh, "Label_999");
    const msg = (await emu.messages(SHOP)).find((x) => x.id === m.id)!;
    assert.ok(msg.labelIds.includes(fresh!));
  } finally {
    await agent.close();
  }
});

Deno.test("Gmail sync: a message deleted before it is read is recorded and does not block the others", async () => {
  const agent = await openGmailAgent();
  try {
    const { emu, store, account } = agent;
    const w = agent.worker();
    await w.pollOnce();
    const gone = await emu.deliver(SHOP, refund(1));
    await emu.deliver(SHOP, refund(2));
    await emu.fault({ status: 404, count: 50, path: `/messages/${gone.id}` });
    const cursor = await store.cursors.get(account.id);
    const s = await w.pollOnce();
    assert.equal(s.errors, 0);
    assert.equal(s.replied, 1);
    const e = await store.ledger.get(account.id, gone.id);
    assert.equal(e?.state, "done");
    assert.equal(e?.error, "gmail_not_found");
    assert.notEqual(await store.cursors.get(account.id), cursor);
  } finally {
    await agent.close();
  }
});
