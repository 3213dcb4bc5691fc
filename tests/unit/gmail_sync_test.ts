import assert from "node:assert/strict";
import { silentLogger } from "../../app/ops/logger.ts";
import {
  HistoryExpiredError,
  type Mailbox,
  type MessageRef,
} from "../../pipeline/ports.ts";
import {
  FULL_SYNC_LIST_CAP,
  fullSyncQuery,
  fullSyncSentQuery,
  PROCESSED_LABEL,
  syncAccount,
} from "../../pipeline/worker/sync.ts";
import type { Account } from "../../pipeline/types.ts";
import { toBase64Url } from "../../pipeline/gmail/gmail_mailbox.ts";
import { headerMessageId } from "../../pipeline/worker/reply_match.ts";
import { openKvTestStore } from "../helpers/stores.ts";

const account: Account = {
  id: "acc-1",
  email: "support@shop.example",
  status: "active",
  statusReason: null,
  replyMode: null,
  sandbox: false,
  createdAt: new Date(0),
  lastSyncAt: null,
  lastError: null,
};

function fakeMailbox(over: Partial<Mailbox> = {}, sentRefs: MessageRef[] = []) {
  const calls: string[] = [];
  const refs: MessageRef[] = [{ id: "m2", threadId: "m2" }, {
    id: "m1",
    threadId: "m1",
  }];
  const mb = {
    getProfile:
      () => (calls.push("getProfile"),
        Promise.resolve({ emailAddress: account.email, historyId: "500" })),
    listHistory: (
      start: string,
    ) => (calls.push(`history:${start}`),
      Promise.resolve({
        messages: [{ id: "m3", threadId: "m3" }],
        historyId: "600",
      })),
    listMessages: (
      q: string,
      max: number,
    ) => (calls.push(`list:${q}:${max}`),
      Promise.resolve(q.startsWith("in:sent") ? [...sentRefs] : [...refs])),
    getRaw: () => Promise.reject(new Error("unused")),
    send: () => Promise.reject(new Error("unused")),
    createDraft: () => Promise.reject(new Error("unused")),
    findByMessageId: () => Promise.resolve([]),
    findDraft: () => Promise.reject(new Error("unused")),
    updateDraft: () => Promise.reject(new Error("unused")),
    sendDraft: () => Promise.reject(new Error("unused")),
    deleteDraft: () => Promise.reject(new Error("unused")),
    ensureLabel: (
      name: string,
    ) => (calls.push(`ensureLabel:${name}`), Promise.resolve("Label_1")),
    addLabels: () => Promise.resolve(),
    ...over,
  } satisfies Mailbox;
  return { mb, calls };
}

Deno.test("fullSyncQuery() excludes processed and own mail within the window", () => {
  assert.equal(
    fullSyncQuery(3),
    "in:inbox -label:agent-processed -from:me newer_than:3d",
  );
  assert.equal(fullSyncQuery(0), "in:inbox -label:agent-processed -from:me");
});

Deno.test("headerMessageId() reads the Message-ID of a raw message", () => {
  const raw = new TextEncoder().encode(
    "From: a@b\r\nMessage-ID:\r\n <x1@b.example>\r\nSubject: s\r\n\r\nMessage-ID: <body@b>\r\n",
  );
  assert.equal(headerMessageId(raw), "<x1@b.example>");
  assert.equal(
    headerMessageId(
      new TextEncoder().encode("Subject: s\r\n\r\nMessage-ID: <no@b>"),
    ),
    null,
  );
  assert.equal(toBase64Url(new Uint8Array([251, 255])), "-_8");
});

Deno.test("syncAccount()", async (t) => {
  const s = await openKvTestStore();
  const deps = {
    store: s.store,
    config: { initialSyncDays: 3, initialSyncMax: 25 },
    logger: silentLogger,
    clock: { now: () => new Date("2026-11-30T10:00:00Z") },
  };
  try {
    await t.step(
      "the first sync lists recent inbox mail oldest first and moves the cursor only on commit",
      async () => {
        const { mb, calls } = fakeMailbox();
        const b = await syncAccount(account, mb, deps);
        assert.equal(b.mode, "initial");
        assert.deepEqual(b.messages.map((m) => m.id), ["m1", "m2"]);
        assert.equal(b.processedLabelId, "Label_1");
        assert.ok(
          calls.includes(`list:${fullSyncQuery(3)}:${FULL_SYNC_LIST_CAP}`),
          "every page of the window",
        );
        assert.equal(b.budget, 25, "INITIAL_SYNC_MAX new emails per cycle");
        assert.equal(await s.store.cursors.get(account.id), null);
        await b.commit();
        assert.equal(await s.store.cursors.get(account.id), "500");
        assert.equal(
          await s.store.syncState.labelId(account.id, PROCESSED_LABEL),
          "Label_1",
        );
      },
    );
    await t.step(
      "later syncs read history from the cursor; the label is not looked up again",
      async () => {
        const { mb, calls } = fakeMailbox();
        const b = await syncAccount(account, mb, deps);
        assert.equal(b.mode, "incremental");
        assert.deepEqual(calls, ["history:500"]);
        await b.commit();
        assert.equal(await s.store.cursors.get(account.id), "600");
      },
    );
    await t.step(
      "an expired history id falls back to a full sync",
      async () => {
        const { mb, calls } = fakeMailbox({
          listHistory: () => Promise.reject(new HistoryExpiredError()),
        });
        const b = await syncAccount(account, mb, deps);
        assert.equal(b.mode, "full_resync");
        assert.equal(calls[0], "getProfile");
        await b.commit();
        assert.equal(await s.store.cursors.get(account.id), "500");
      },
    );
    await t.step(
      "a full sync lists recent sent mail too, first, labelled SENT",
      async () => {
        const { mb, calls } = fakeMailbox({
          listHistory: () => Promise.reject(new HistoryExpiredError()),
        }, [{ id: "s2", threadId: "m2" }, { id: "s1", threadId: "m1" }]);
        const b = await syncAccount(account, mb, deps);
        assert.equal(b.mode, "full_resync");
        assert.ok(calls.includes(`list:${fullSyncSentQuery(3)}:25`));
        assert.deepEqual(
          b.messages.map((m) => [m.id, m.labelIds ?? null]),
          [
            ["s1", ["SENT"]],
            ["s2", ["SENT"]],
            ["m1", null],
            ["m2", null],
          ],
        );
      },
    );
    await t.step("other errors propagate and leave the cursor", async () => {
      const { mb } = fakeMailbox({
        listHistory: () => Promise.reject(new Error("boom")),
      });
      await assert.rejects(syncAccount(account, mb, deps), /boom/);
      assert.equal(await s.store.cursors.get(account.id), "500");
    });
    await t.step(
      "a cursor seeded at connect still gets the initial full sync once",
      async () => {
        const other = { ...account, id: "acc-2" };
        await s.store.cursors.set(other.id, "400");
        const { mb } = fakeMailbox();
        const b = await syncAccount(other, mb, deps);
        assert.equal(b.mode, "initial");
        await b.commit();
        assert.equal(
          await s.store.cursors.get(other.id),
          "400",
          "the cursor stored at connect is kept",
        );
        const { mb: mb2, calls } = fakeMailbox();
        assert.equal((await syncAccount(other, mb2, deps)).mode, "incremental");
        assert.deepEqual(calls, ["history:400"]);
      },
    );
  } finally {
    await s.close();
  }
});
