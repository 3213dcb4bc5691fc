/**
 * Store contract cases, part G: one email's records in three round trips
 * (`store.emails`): the snapshot reads what `decide()` needs, `begin` claims
 * and decides in one write (with its review item) only when nothing it was
 * decided from changed, `finish` marks it done with its sent markers, and
 * `peek` reads many entries at once. Ids are unique per case.
 * @module
 */
import assert from "node:assert/strict";
import type {
  BeginInput,
  EmailSnapshot,
  SnapshotQuery,
  Store,
} from "../../pipeline/ports.ts";
import type { Decision, Effect } from "../../pipeline/types.ts";
import { at, type Case, decision, T0 } from "./store_contract_cases_a.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;

const query = (
  account: string,
  gmailId: string,
  o: Partial<SnapshotQuery> = {},
): SnapshotQuery => ({
  accountId: account,
  gmailId,
  threadId: "t-" + gmailId,
  workerId: "attempt-1",
  now: T0,
  staleAfterMs: 10 * MIN,
  capSender: "ann@example.com",
  capRecipients: ["ann@example.com"],
  sender: "ann@example.com",
  ...o,
});

type ReviewInput = Extract<Effect, { type: "enqueue_review" }>["item"];

const reviewItem = (account: string, gmailId: string): ReviewInput => ({
  accountId: account,
  gmailId,
  threadId: "t-" + gmailId,
  sender: "ann@example.com",
  subject: "Help",
  excerpt: "Please help",
  category: "Question",
  importance: 3,
  importanceReasons: ["default"],
  reason: "no_kb_match",
});

const beginInput = (
  q: SnapshotQuery,
  snapshot: EmailSnapshot,
  d: Decision,
  o: Partial<BeginInput> = {},
): BeginInput => ({
  snapshot,
  accountId: q.accountId,
  gmailId: q.gmailId,
  threadId: q.threadId,
  workerId: q.workerId,
  now: q.now,
  staleAfterMs: q.staleAfterMs,
  lease: q.lease,
  decision: d,
  effects: [],
  replyMessageId: d.action === "reply" ? `<r-${q.gmailId}@agent>` : null,
  sender: "a***@example.com",
  senderAddress: q.sender,
  recipientAddress: d.action === "reply" ? q.capRecipients[0] ?? null : null,
  subject: "Help",
  review: null,
  ...o,
});

/** Snapshot, decide `d`, begin; asserts it claimed. */
async function decideOnce(
  s: Store,
  q: SnapshotQuery,
  d: Decision,
  o: Partial<BeginInput> = {},
) {
  const snap = await s.emails.snapshot(q);
  const r = await s.emails.begin(beginInput(q, snap, d, o));
  assert.equal(r.status, "claimed", `${q.gmailId} claimed`);
  return r.status === "claimed" ? r : null!;
}

export const emailCases: Case[] = [
  ["emails: the snapshot of a message never seen is empty", async (s) => {
    const snap = await s.emails.snapshot(query("acc-g0", "g0-1"));
    assert.equal(snap.entry, null);
    assert.equal(snap.claim, "new");
    assert.equal(snap.leaseHeld, true);
    assert.equal(snap.takenOver, false);
    assert.equal(snap.repliesToSenderLast24h, 0);
    assert.equal(snap.repliesToRecipientLast24h, 0);
    assert.equal(snap.fromSenderLast7d, 0);
    assert.equal(snap.openReviewItems, 0);
    assert.equal(snap.refundCase, null);
  }],
  [
    "emails: begin claims and records the decision in one write; finish marks it done with the agent's sent marker",
    async (s) => {
      const q = query("acc-g1", "g1-1");
      const begun = await decideOnce(s, q, decision("reply"));
      assert.equal(begun.entry.state, "decided");
      assert.equal(begun.entry.claimedBy, "attempt-1");
      const stored = await s.ledger.get("acc-g1", "g1-1");
      assert.equal(stored?.state, "decided");
      assert.deepEqual(stored?.decision, decision("reply"));
      assert.equal(stored?.replyMessageId, "<r-g1-1@agent>");
      assert.equal(stored?.senderAddress, "ann@example.com");
      assert.deepEqual(
        (await s.ledger.listThread("acc-g1", "t-g1-1")).map((e) => e.gmailId),
        ["g1-1"],
      );
      assert.deepEqual(
        (await s.ledger.listActivity({ accountId: "acc-g1" })).map((e) =>
          e.gmailId
        ),
        ["g1-1"],
      );
      await s.emails.finish({
        accountId: "acc-g1",
        gmailId: "g1-1",
        now: at(MIN),
        agentSentIds: ["sent-g1-1"],
        token: begun.token,
      });
      const done = await s.ledger.get("acc-g1", "g1-1");
      assert.equal(done?.state, "done");
      assert.deepEqual(done?.decision, decision("reply"));
      assert.equal(
        await s.threads.sentBy("acc-g1", "sent-g1-1", at(MIN)),
        "agent",
      );
      const again = await s.emails.snapshot(q);
      assert.equal(again.claim, "done");
    },
  ],
  [
    "emails: finish without a token (or after a change) still marks done; an unknown message is refused",
    async (s) => {
      const q = query("acc-g2", "g2-1");
      const begun = await decideOnce(s, q, decision("review"));
      // Another write between begin and finish: the token no longer matches.
      await s.ledger.markSent("acc-g2", "g2-1", at(1000));
      await s.emails.finish({
        accountId: "acc-g2",
        gmailId: "g2-1",
        now: at(2000),
        agentSentIds: [],
        token: begun.token,
      });
      assert.equal((await s.ledger.get("acc-g2", "g2-1"))?.state, "done");
      await assert.rejects(
        () =>
          s.emails.finish({
            accountId: "acc-g2",
            gmailId: "never",
            now: T0,
            agentSentIds: [],
          }),
        RangeError,
      );
    },
  ],
  [
    "emails: the snapshot counts the sender's and the recipient's auto replies of 24 h and the sender's messages of 7 days, as the ledger does",
    async (s) => {
      const acc = "acc-g3";
      const steps: Array<[string, Decision["action"], number]> = [
        ["g3-1", "reply", -8 * 24 * HOUR],
        ["g3-2", "reply", -3 * 24 * HOUR],
        ["g3-3", "review", -2 * HOUR],
        ["g3-4", "reply", -HOUR],
        ["g3-5", "reply", -MIN],
      ];
      for (const [id, action, t] of steps) {
        await decideOnce(s, query(acc, id, { now: at(t) }), decision(action));
      }
      // Replies to a Reply-To address count for that recipient.
      await decideOnce(
        s,
        query(acc, "g3-6", {
          now: at(-MIN),
          capSender: "bob@example.com",
          sender: "bob@example.com",
          capRecipients: ["bob@example.com", "ann@example.com"],
        }),
        decision("reply"),
        { recipientAddress: "ann@example.com" },
      );
      const snap = await s.emails.snapshot(query(acc, "g3-7"));
      assert.equal(snap.repliesToSenderLast24h, 2, "g3-4 and g3-5");
      assert.equal(
        snap.repliesToSenderLast24h,
        await s.ledger.countRepliesTo(acc, "ann@example.com", at(-24 * HOUR)),
      );
      assert.equal(snap.repliesToRecipientLast24h, 3, "g3-4, g3-5, g3-6");
      assert.equal(snap.fromSenderLast7d, 4, "g3-2 to g3-5");
      assert.equal(
        snap.fromSenderLast7d,
        await s.ledger.countFrom(acc, "ann@example.com", at(-7 * 24 * HOUR)),
      );
      const bob = await s.emails.snapshot(
        query(acc, "g3-8", {
          capSender: "bob@example.com",
          sender: "bob@example.com",
          capRecipients: ["bob@example.com"],
        }),
      );
      assert.equal(bob.repliesToSenderLast24h, 1);
      assert.equal(bob.repliesToRecipientLast24h, 0);
      const none = await s.emails.snapshot(
        query(acc, "g3-9", {
          capSender: null,
          sender: null,
          capRecipients: [],
        }),
      );
      assert.equal(none.repliesToSenderLast24h, 0);
      assert.equal(none.fromSenderLast7d, 0);
    },
  ],
  [
    "emails: a reply decided after the snapshot makes begin report a change and write nothing (the reply cap is never passed on a stale count)",
    async (s) => {
      const acc = "acc-g4";
      const q1 = query(acc, "g4-1");
      const q2 = query(acc, "g4-2");
      const snap1 = await s.emails.snapshot(q1);
      const snap2 = await s.emails.snapshot(q2);
      const r1 = await s.emails.begin(beginInput(q1, snap1, decision("reply")));
      assert.equal(r1.status, "claimed");
      const r2 = await s.emails.begin(beginInput(q2, snap2, decision("reply")));
      assert.equal(r2.status, "changed");
      assert.equal(await s.ledger.get(acc, "g4-2"), null, "nothing written");
      const fresh = await s.emails.snapshot(q2);
      assert.equal(fresh.repliesToSenderLast24h, 1);
      assert.equal(
        (await s.emails.begin(beginInput(q2, fresh, decision("reply")))).status,
        "claimed",
      );
    },
  ],
  [
    "emails: begin adds the review item in the same write; the thread's open items are read back until resolved",
    async (s) => {
      const acc = "acc-g5";
      const q = query(acc, "g5-1");
      await decideOnce(s, q, decision("review"), {
        review: reviewItem(acc, "g5-1"),
      });
      const open = await s.review.openForThread(acc, "t-g5-1");
      assert.equal(open.length, 1);
      assert.equal(open[0]!.gmailId, "g5-1");
      assert.equal(open[0]!.status, "pending");
      // A later message of the same thread sees it.
      const next = query(acc, "g5-2", { threadId: "t-g5-1" });
      assert.equal((await s.emails.snapshot(next)).openReviewItems, 1);
      await s.review.update(open[0]!.id, { status: "resolved" }, at(MIN));
      assert.equal((await s.emails.snapshot(next)).openReviewItems, 0);
      await s.review.update(open[0]!.id, { status: "pending" }, at(2 * MIN));
      assert.equal((await s.emails.snapshot(next)).openReviewItems, 1);
      // An item added by the review store counts too.
      await s.review.add(reviewItem(acc, "g5-3"), at(3 * MIN));
      const other = query(acc, "g5-4", { threadId: "t-g5-3" });
      assert.equal((await s.emails.snapshot(other)).openReviewItems, 1);
      // A message that already has an item keeps it: begin adds none.
      const first = await s.review.add(reviewItem(acc, "g5-5"), at(4 * MIN));
      await decideOnce(s, query(acc, "g5-5"), decision("review"), {
        review: { ...reviewItem(acc, "g5-5"), reason: "second" },
      });
      const items = await s.review.openForThread(acc, "t-g5-5");
      assert.deepEqual(items.map((i) => [i.id, i.reason]), [[
        first.id,
        "no_kb_match",
      ]]);
    },
  ],
  [
    "emails: a review item or a takeover added after the snapshot makes begin report a change",
    async (s) => {
      const acc = "acc-g6";
      const q = query(acc, "g6-2", { threadId: "t-g6" });
      const snap = await s.emails.snapshot(q);
      await s.review.add(
        { ...reviewItem(acc, "g6-1"), threadId: "t-g6" },
        at(1000),
      );
      assert.equal(
        (await s.emails.begin(beginInput(q, snap, decision("reply")))).status,
        "changed",
      );
      const q2 = query(acc, "g6-3", { threadId: "t-g6-b" });
      const snap2 = await s.emails.snapshot(q2);
      await s.threads.markTakenOver(acc, "t-g6-b", at(1000));
      assert.equal(
        (await s.emails.begin(beginInput(q2, snap2, decision("reply")))).status,
        "changed",
      );
      assert.equal((await s.emails.snapshot(q2)).takenOver, true);
    },
  ],
  [
    "emails: begin is fenced by the lease and follows the claim rules (done, busy, an existing decision)",
    async (s) => {
      const acc = "acc-g7";
      const lease = "poll:acc-g7";
      assert.equal(await s.leases.acquire(lease, "attempt-1", MIN, T0), true);
      const q = query(acc, "g7-1", { lease });
      const snap = await s.emails.snapshot(q);
      assert.equal(snap.leaseHeld, true);
      // The lease expires and another attempt takes it.
      assert.equal(
        await s.leases.acquire(lease, "attempt-2", MIN, at(2 * MIN)),
        true,
      );
      const late = { ...q, now: at(2 * MIN) };
      assert.equal((await s.emails.snapshot(late)).leaseHeld, false);
      assert.equal(
        (await s.emails.begin(beginInput(late, snap, decision("reply"))))
          .status,
        "changed",
      );
      assert.equal(await s.ledger.get(acc, "g7-1"), null);
      // The holder claims; another attempt without the lease finds it busy.
      const mine = query(acc, "g7-1", {
        lease,
        workerId: "attempt-2",
        now: at(2 * MIN),
      });
      await decideOnce(s, mine, decision("review"));
      const other = query(acc, "g7-1", {
        workerId: "attempt-3",
        now: at(3 * MIN),
      });
      const busy = await s.emails.snapshot(other);
      assert.equal(busy.claim, "busy");
      assert.equal(
        (await s.emails.begin(beginInput(other, busy, decision("reply"))))
          .status,
        "changed",
        "a decided entry is not decided again",
      );
      // A claimed entry with no decision (a crash before deciding) is taken.
      await s.ledger.claim({
        accountId: acc,
        gmailId: "g7-2",
        threadId: "t-g7-2",
        workerId: "attempt-old",
        now: T0,
        staleAfterMs: 10 * MIN,
      });
      const stale = query(acc, "g7-2", { now: at(11 * MIN) });
      const s2 = await s.emails.snapshot(stale);
      assert.equal(s2.claim, "claimable");
      const r = await s.emails.begin(beginInput(stale, s2, decision("reply")));
      assert.equal(r.status, "claimed");
      const e = await s.ledger.get(acc, "g7-2");
      assert.equal(e?.claimedBy, "attempt-1");
      assert.equal(e?.state, "decided");
      assert.deepEqual(
        (await s.ledger.listThread(acc, "t-g7-2")).map((x) => x.gmailId),
        ["g7-2"],
        "indexed once",
      );
    },
  ],
  [
    "emails: peek reads the listed entries at once with what a claim would do, and the agent's sent markers",
    async (s) => {
      const acc = "acc-g8";
      const ids = Array.from({ length: 23 }, (_, i) => `g8-${i}`);
      for (const id of ids.slice(0, 12)) {
        await decideOnce(s, query(acc, id), decision("review"));
      }
      for (const id of ids.slice(0, 5)) {
        await s.emails.finish({
          accountId: acc,
          gmailId: id,
          now: at(MIN),
          agentSentIds: id === "g8-0" ? ["sent-g8-0"] : [],
        });
      }
      await s.threads.recordSent({
        accountId: acc,
        gmailId: "sent-person",
        by: "person",
        at: T0,
      });
      const seen = await s.emails.peek({
        accountId: acc,
        gmailIds: [...ids, "g8-0"],
        sentIds: ["sent-g8-0", "sent-person", "sent-none"],
        workerId: "attempt-9",
        now: at(2 * MIN),
        staleAfterMs: 10 * MIN,
      });
      assert.deepEqual([...seen.entries.keys()].sort(), [...ids].sort());
      const found = [...seen.entries].filter(([, e]) => e !== null)
        .map(([id]) => id).sort();
      assert.deepEqual(found, ids.slice(0, 12).sort());
      assert.equal(seen.entries.get("g8-0")?.claim, "done");
      assert.equal(seen.entries.get("g8-7")?.claim, "busy");
      assert.equal(seen.entries.get("g8-7")?.entry.state, "decided");
      assert.equal(seen.entries.get("g8-20"), null);
      assert.deepEqual(
        [...seen.agentSent].sort(),
        [["sent-g8-0", true], ["sent-none", false], ["sent-person", false]],
      );
      const stale = await s.emails.peek({
        accountId: acc,
        gmailIds: ["g8-7"],
        sentIds: [],
        workerId: "attempt-9",
        now: at(20 * MIN),
        staleAfterMs: 10 * MIN,
      });
      assert.equal(stale.entries.get("g8-7")?.claim, "claimable");
    },
  ],
  [
    "emails: a snapshot reads other listed messages along (as far as its read has room)",
    async (s) => {
      const acc = "acc-g9";
      await decideOnce(s, query(acc, "g9-1"), decision("review"));
      await s.emails.finish({
        accountId: acc,
        gmailId: "g9-1",
        now: at(MIN),
        agentSentIds: ["sent-g9-1"],
      });
      await decideOnce(s, query(acc, "g9-2"), decision("review"));
      const snap = await s.emails.snapshot(
        query(acc, "g9-3", {
          now: at(2 * MIN),
          workerId: "attempt-2",
          alsoPeek: {
            gmailIds: ["g9-1", "g9-2", "g9-none"],
            sentIds: ["sent-g9-1"],
          },
        }),
      );
      const seen = snap.peeked!;
      assert.ok(seen.entries.size + seen.agentSent.size >= 1, "some read");
      for (const [id, p] of seen.entries) {
        if (id === "g9-1") assert.equal(p?.claim, "done");
        else if (id === "g9-2") assert.equal(p?.claim, "busy");
        else assert.equal(p, null);
      }
      for (const [, byAgent] of seen.agentSent) assert.equal(byAgent, true);
      const roomy = await s.emails.snapshot(
        query(acc, "g9-4", {
          now: at(2 * MIN),
          workerId: "attempt-2",
          capRecipients: [],
          capSender: null,
          sender: null,
          alsoPeek: { gmailIds: ["g9-1"], sentIds: ["sent-g9-1"] },
        }),
      );
      assert.deepEqual([...roomy.peeked!.entries.keys()], ["g9-1"]);
      assert.deepEqual([...roomy.peeked!.agentSent], [["sent-g9-1", true]]);
    },
  ],
  [
    "emails: a review decision's acknowledgement counts as an automatic reply, and the thread's acknowledgement is read when asked",
    async (s) => {
      const acc = "acc-g10";
      const ack: Decision = {
        ...decision("review"),
        acknowledgement: "Thanks, a person will reply.",
      };
      await decideOnce(s, query(acc, "g10-1"), ack, {
        replyMessageId: "<ack-g10-1@agent>",
        recipientAddress: "ann@example.com",
      });
      await s.threads.claimAcknowledgement({
        accountId: acc,
        threadId: "t-g10-1",
        gmailId: "g10-1",
        at: T0,
      });
      const next = query(acc, "g10-2", { threadId: "t-g10-1" });
      const snap = await s.emails.snapshot({ ...next, acknowledgement: true });
      assert.equal(snap.repliesToSenderLast24h, 1);
      assert.equal(snap.repliesToRecipientLast24h, 1);
      assert.equal(
        snap.repliesToSenderLast24h,
        await s.ledger.countRepliesTo(acc, "ann@example.com", at(-HOUR)),
      );
      assert.equal(snap.threadAcknowledgedBy, "g10-1");
      assert.equal((await s.emails.snapshot(next)).threadAcknowledgedBy, null);
      // Recorded again without it (another message had the thread's one).
      await s.ledger.recordDecision(acc, "g10-1", {
        decision: decision("review"),
        effects: [],
        replyMessageId: null,
        sender: "a***@example.com",
        senderAddress: "ann@example.com",
        recipientAddress: null,
        subject: "Help",
        now: at(MIN),
      });
      const after = await s.emails.snapshot(next);
      assert.equal(after.repliesToSenderLast24h, 0);
      assert.equal(after.repliesToRecipientLast24h, 0);
      assert.equal(after.fromSenderLast7d, 1);
    },
  ],
];
