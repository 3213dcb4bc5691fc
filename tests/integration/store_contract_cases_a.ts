/**
 * Store contract cases, part A: accounts, cursors, ledger. Each case takes
 * a fresh-enough store (ids are unique per case) and asserts the behaviour
 * promised by the doc comments of pipeline/ports.ts.
 * @module
 */
import assert from "node:assert/strict";
import type { Store } from "../../pipeline/ports.ts";
import type { Decision, Tokens } from "../../pipeline/types.ts";

/** Fixed base time of the contract cases. */
export const T0 = new Date("2026-11-24T10:00:00.000Z");
/** `T0` plus `ms`. */
export const at = (ms: number) => new Date(T0.getTime() + ms);
const MIN = 60_000;

const tokens: Tokens = {
  accessToken: "ya29.access-contract",
  refreshToken: "1//refresh-contract",
  expiryDate: 1_800_000_000_000,
  scope: "https://www.googleapis.com/auth/gmail.modify",
};

/** A decision for ledger cases. */
export function decision(action: Decision["action"]): Decision {
  return {
    category: "Question",
    confidence: 0.9,
    action,
    reply: action === "reply" ? "Hello" : null,
    sources: [],
    order_id: null,
    importance: null,
    reason: "answered",
  };
}

/** One contract case. */
export type Case = [name: string, run: (s: Store) => Promise<void>];

/** Accounts and cursors. */
export const accountCases: Case[] = [
  ["accounts: upsert, get, getByEmail, list, tokens round trip", async (s) => {
    const a = await s.accounts.upsert({ email: "Owner@Example.com", tokens });
    assert.equal(a.email, "owner@example.com");
    assert.equal(a.status, "active");
    assert.equal(a.sandbox, false);
    assert.equal(a.replyMode, null);
    assert.ok(a.createdAt instanceof Date);
    assert.deepEqual(await s.accounts.get(a.id), a);
    assert.deepEqual(await s.accounts.getByEmail("owner@example.com"), a);
    assert.equal(await s.accounts.get("nope"), null);
    assert.equal(await s.accounts.getByEmail("nobody@example.com"), null);
    assert.deepEqual(await s.accounts.getTokens(a.id), tokens);
    assert.equal(await s.accounts.getTokens("nope"), null);
    const listed = await s.accounts.list();
    assert.ok(listed.some((x) => x.id === a.id));
    assert.ok(listed.every((x) => !("tokensEnc" in x) && !("tokens" in x)));
    const fresh: Tokens = { ...tokens, accessToken: null, expiryDate: null };
    await s.accounts.setTokens(a.id, fresh);
    assert.deepEqual(await s.accounts.getTokens(a.id), fresh);
  }],
  [
    "accounts: upsert of a known email keeps the id and reactivates",
    async (s) => {
      const a = await s.accounts.upsert({
        email: "again@example.com",
        sandbox: true,
        tokens,
      });
      await s.accounts.setStatus(a.id, "needs_reconnect", "invalid_grant");
      await s.accounts.setReplyMode(a.id, "draft");
      const b = await s.accounts.upsert({
        email: "again@example.com",
        tokens: { ...tokens, refreshToken: "1//new" },
      });
      assert.equal(b.id, a.id);
      assert.equal(b.status, "active");
      assert.equal(b.statusReason, null);
      assert.equal(b.replyMode, "draft");
      assert.equal(b.sandbox, true);
      assert.equal((await s.accounts.getTokens(a.id))?.refreshToken, "1//new");
    },
  ],
  ["accounts: status, reply mode, recordSync and delete", async (s) => {
    const a = await s.accounts.upsert({ email: "st@example.com", tokens });
    await s.accounts.setStatus(a.id, "paused", "by admin");
    await s.accounts.setReplyMode(a.id, "auto");
    await s.accounts.recordSync(a.id, at(1000), "boom");
    let g = await s.accounts.get(a.id);
    assert.equal(g?.status, "paused");
    assert.equal(g?.statusReason, "by admin");
    assert.equal(g?.replyMode, "auto");
    assert.deepEqual(g?.lastSyncAt, at(1000));
    assert.equal(g?.lastError, "boom");
    await s.accounts.recordSync(a.id, at(2000), null);
    await s.accounts.setReplyMode(a.id, null);
    g = await s.accounts.get(a.id);
    assert.equal(g?.lastError, null);
    assert.equal(g?.replyMode, null);
    await s.cursors.set(a.id, "123");
    await s.accounts.delete(a.id);
    assert.equal(await s.accounts.get(a.id), null);
    assert.equal(await s.accounts.getByEmail("st@example.com"), null);
    assert.equal(await s.accounts.getTokens(a.id), null);
    assert.equal(await s.cursors.get(a.id), null);
    await s.accounts.delete(a.id); // deleting twice is harmless
  }],
  ["cursors: get, set, replace", async (s) => {
    assert.equal(await s.cursors.get("acc-cursor"), null);
    await s.cursors.set("acc-cursor", "100");
    await s.cursors.set("acc-cursor", "250");
    assert.equal(await s.cursors.get("acc-cursor"), "250");
  }],
];

const claimInput = (gmailId: string, workerId: string, now: Date) => ({
  accountId: "acc-l",
  gmailId,
  threadId: "t-" + gmailId,
  workerId,
  now,
  staleAfterMs: 5 * MIN,
});

const record = (
  s: Store,
  gmailId: string,
  action: Decision["action"],
  sender: string,
  now: Date,
) =>
  s.ledger.recordDecision("acc-l", gmailId, {
    decision: decision(action),
    effects: [],
    replyMessageId: `<reply-${gmailId}@agent>`,
    sender: "m***@example.com",
    senderAddress: sender,
    subject: "Hi",
    now,
  });

/** The ledger and activity log. */
export const ledgerCases: Case[] = [
  [
    "ledger: claim → decided → sent → done; a second claim returns done",
    async (s) => {
      const c = await s.ledger.claim(claimInput("m1", "w1", T0));
      assert.equal(c.status, "claimed");
      assert.equal(c.entry.state, "claimed");
      assert.equal(c.entry.claimedBy, "w1");
      await s.ledger.recordDecision("acc-l", "m1", {
        decision: decision("reply"),
        effects: [{ type: "mark_refund_requested", orderId: "ORD1" }],
        replyMessageId: "<r1@agent>",
        sender: "m***@example.com",
        senderAddress: "Mia@Example.com",
        subject: "Where is my parcel",
        now: at(1),
      });
      let e = await s.ledger.get("acc-l", "m1");
      assert.equal(e?.state, "decided");
      assert.deepEqual(e?.decision, decision("reply"));
      assert.deepEqual(e?.effects, [{
        type: "mark_refund_requested",
        orderId: "ORD1",
      }]);
      assert.equal(e?.replyMessageId, "<r1@agent>");
      assert.equal(e?.senderAddress, "mia@example.com");
      await s.ledger.markSent("acc-l", "m1", at(2));
      assert.equal((await s.ledger.get("acc-l", "m1"))?.state, "sent");
      await s.ledger.markDone("acc-l", "m1", at(3));
      e = await s.ledger.get("acc-l", "m1");
      assert.equal(e?.state, "done");
      assert.equal(e?.error, null);
      assert.deepEqual(e?.updatedAt, at(3));
      const again = await s.ledger.claim(claimInput("m1", "w2", at(10 * MIN)));
      assert.equal(again.status, "done");
      assert.equal(again.entry.replyMessageId, "<r1@agent>");
      assert.equal(await s.ledger.get("acc-l", "unknown"), null);
    },
  ],
  [
    "ledger: a live claim is busy for another worker; a stale one is taken over with its decision kept",
    async (s) => {
      await s.ledger.claim(claimInput("m2", "w1", T0));
      const effects = [{
        type: "save_refund_case" as const,
        expectedVersion: 0,
        refundCase: {
          accountId: "acc-l",
          threadId: "t-m2",
          state: "requested" as const,
          customerEmail: "a@example.com",
          orderIds: ["ORD10001"],
          history: [{
            at: at(5),
            from: null,
            to: "requested" as const,
            gmailId: "m2",
            orderId: "ORD10001",
            note: "ok",
          }],
          createdAt: at(5),
          updatedAt: at(5),
          version: 1,
        },
      }];
      await s.ledger.recordDecision("acc-l", "m2", {
        decision: decision("reply"),
        effects,
        replyMessageId: "<r2@agent>",
        sender: null,
        senderAddress: null,
        subject: null,
        now: at(5),
      });
      const busy = await s.ledger.claim(claimInput("m2", "w2", at(MIN)));
      assert.equal(busy.status, "busy");
      assert.equal(busy.entry.claimedBy, "w1");
      const taken = await s.ledger.claim(claimInput("m2", "w2", at(6 * MIN)));
      assert.equal(taken.status, "claimed");
      assert.equal(taken.entry.claimedBy, "w2");
      assert.deepEqual(taken.entry.claimedAt, at(6 * MIN));
      assert.equal(taken.entry.state, "decided");
      assert.deepEqual(taken.entry.decision, decision("reply"));
      assert.deepEqual(taken.entry.effects, effects);
      assert.equal(taken.entry.replyMessageId, "<r2@agent>");
      const old = await s.ledger.claim(claimInput("m2", "w1", at(7 * MIN)));
      assert.equal(old.status, "busy");
      const own = await s.ledger.claim(claimInput("m2", "w2", at(7 * MIN)));
      assert.equal(own.status, "claimed", "the holder may claim again");
      assert.deepEqual(own.entry.claimedAt, at(7 * MIN));
      await s.ledger.markDone("acc-l", "m2", at(8 * MIN), "send failed");
      assert.equal((await s.ledger.get("acc-l", "m2"))?.error, "send failed");
    },
  ],
  [
    "ledger: concurrent claims of one message: exactly one is claimed",
    async (s) => {
      const results = await Promise.all(
        Array.from(
          { length: 8 },
          (_, i) => s.ledger.claim(claimInput("m-race", `w${i}`, T0)),
        ),
      );
      assert.equal(
        results.filter((r) => r.status === "claimed").length,
        1,
      );
      assert.equal(results.filter((r) => r.status === "busy").length, 7);
    },
  ],
  ["ledger: recordDecision on an unclaimed message throws", async (s) => {
    await assert.rejects(() =>
      record(s, "never", "reply", "x@example.com", T0)
    );
  }],
  [
    "ledger: activity is newest first and filters by account, category, action, reason",
    async (s) => {
      const acc = "acc-activity";
      for (let i = 0; i < 4; i++) {
        await s.ledger.claim({
          ...claimInput(`a${i}`, "w", at(i * 1000)),
          accountId: acc,
        });
      }
      await s.ledger.recordDecision(acc, "a1", {
        decision: {
          ...decision("review"),
          category: "Other",
          reason: "low_confidence",
        },
        effects: [],
        replyMessageId: null,
        sender: null,
        senderAddress: null,
        subject: null,
        now: at(5000),
      });
      const all = await s.ledger.listActivity({ accountId: acc });
      assert.deepEqual(all.map((e) => e.gmailId), ["a3", "a2", "a1", "a0"]);
      const everyone = await s.ledger.listActivity({ limit: 1000 });
      assert.deepEqual(
        everyone.filter((e) => e.accountId === acc).map((e) => e.gmailId),
        ["a3", "a2", "a1", "a0"],
      );
      assert.ok(everyone.some((e) => e.accountId === "acc-l"));
      assert.deepEqual(
        (await s.ledger.listActivity({ accountId: acc, limit: 2 })).map((e) =>
          e.gmailId
        ),
        ["a3", "a2"],
      );
      const byCat = await s.ledger.listActivity({
        accountId: acc,
        category: "Other",
      });
      assert.deepEqual(byCat.map((e) => e.gmailId), ["a1"]);
      assert.equal(
        (await s.ledger.listActivity({ accountId: acc, action: "review" }))
          .length,
        1,
      );
      assert.equal(
        (await s.ledger.listActivity({
          accountId: acc,
          reason: "low_confidence",
        })).length,
        1,
      );
      assert.equal(
        (await s.ledger.listActivity({ accountId: acc, action: "reply" }))
          .length,
        0,
      );
      assert.equal(
        (await s.ledger.listActivity({ accountId: "acc-none" })).length,
        0,
      );
    },
  ],
  [
    "ledger: listThread gives one thread's entries oldest first, none of another thread or account",
    async (s) => {
      const acc = "acc-thread";
      const claim = (gmailId: string, threadId: string, ms: number) =>
        s.ledger.claim({
          ...claimInput(gmailId, "w", at(ms)),
          accountId: acc,
          threadId,
        });
      await claim("m2", "t-one", 2000);
      await claim("m1", "t-one", 1000);
      await claim("m3", "t-two", 1500);
      await claim("m4", "t-one", 3000);
      await s.ledger.claim({
        ...claimInput("m5", "w", at(500)),
        accountId: "acc-other",
        threadId: "t-one",
      });
      // A takeover of a stale claim keeps the entry in its thread, once.
      await s.ledger.claim({
        ...claimInput("m1", "w2", at(20 * MIN)),
        accountId: acc,
        threadId: "t-one",
      });
      const one = await s.ledger.listThread(acc, "t-one");
      assert.deepEqual(one.map((e) => e.gmailId), ["m2", "m4", "m1"]);
      assert.ok(one.every((e) => e.threadId === "t-one"));
      assert.deepEqual(
        (await s.ledger.listThread(acc, "t-two")).map((e) => e.gmailId),
        ["m3"],
      );
      assert.deepEqual(await s.ledger.listThread(acc, "t-none"), []);
    },
  ],
  [
    "ledger: countRepliesTo counts auto replies to a sender since a time; countFrom counts any action",
    async (s) => {
      const steps: Array<[string, Decision["action"], string, number]> = [
        ["c1", "reply", "bob@example.com", 0],
        ["c2", "reply", "bob@example.com", 10 * MIN],
        ["c3", "review", "bob@example.com", 20 * MIN],
        ["c4", "draft", "bob@example.com", 30 * MIN],
        ["c5", "reply", "carol@example.com", 30 * MIN],
      ];
      for (const [id, action, sender, t] of steps) {
        await s.ledger.claim(claimInput(id, "w", at(t)));
        await record(s, id, action, sender, at(t));
      }
      assert.equal(
        await s.ledger.countRepliesTo("acc-l", "bob@example.com", T0),
        2,
      );
      assert.equal(
        await s.ledger.countRepliesTo("acc-l", "BOB@example.com", at(5 * MIN)),
        1,
      );
      assert.equal(
        await s.ledger.countRepliesTo("acc-l", "bob@example.com", at(40 * MIN)),
        0,
      );
      assert.equal(
        await s.ledger.countRepliesTo("acc-other", "bob@example.com", T0),
        0,
      );
      assert.equal(await s.ledger.countFrom("acc-l", "bob@example.com", T0), 4);
      assert.equal(
        await s.ledger.countFrom("acc-l", "bob@example.com", at(15 * MIN)),
        2,
      );
      assert.equal(
        await s.ledger.countFrom("acc-l", "carol@example.com", T0),
        1,
      );
    },
  ],
  [
    "ledger: a review decision's acknowledgement counts as an auto reply, by sender and recipient, until recorded without it",
    async (s) => {
      const acc = "acc-ack";
      const review = decision("review");
      const put = (gmailId: string, acked: boolean, recipient: string | null) =>
        s.ledger.recordDecision(acc, gmailId, {
          decision: acked ? { ...review, acknowledgement: "Thanks" } : review,
          effects: [],
          replyMessageId: acked ? `<ack-${gmailId}@agent>` : null,
          sender: "d***@example.com",
          senderAddress: "dana@example.com",
          recipientAddress: recipient,
          subject: "Hi",
          now: T0,
        });
      for (const id of ["k1", "k2", "k3"]) {
        await s.ledger.claim({
          accountId: acc,
          gmailId: id,
          threadId: "t-ack",
          workerId: "w",
          now: T0,
          staleAfterMs: 5 * MIN,
        });
      }
      await put("k1", true, "dana@example.com");
      await put("k2", true, "help@dana.test");
      await put("k3", false, null);
      const bySender = () =>
        s.ledger.countRepliesTo(acc, "dana@example.com", T0);
      const byRecipient = (r: string) =>
        s.ledger.countRepliesAddressedTo(acc, r, T0);
      assert.equal(await bySender(), 2);
      assert.equal(await byRecipient("dana@example.com"), 1);
      assert.equal(await byRecipient("help@dana.test"), 1);
      assert.equal(await s.ledger.countFrom(acc, "dana@example.com", T0), 3);
      // Another message of the thread had the acknowledgement: recorded
      // again without it, nothing is counted for it any more.
      await put("k2", false, null);
      assert.equal(await bySender(), 1);
      assert.equal(await byRecipient("help@dana.test"), 0);
      assert.equal(
        (await s.ledger.get(acc, "k1"))?.decision?.acknowledgement,
        "Thanks",
      );
    },
  ],
];
