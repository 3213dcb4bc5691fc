/**
 * Store contract cases, part D: claims belong to one attempt. Lease renewal,
 * claims fenced by the account lease (two cycles of one process never both
 * hold a message), released claims with a back-off.
 * @module
 */
import assert from "node:assert/strict";
import { LeaseLostError } from "../../pipeline/ports.ts";
import { at, type Case, decision, T0 } from "./store_contract_cases_a.ts";

const MIN = 60_000;
const LEASE = "poll:acc-d";

const claim = (gmailId: string, attempt: string, now: Date, lease = LEASE) => ({
  accountId: "acc-d",
  gmailId,
  threadId: "t-" + gmailId,
  workerId: attempt,
  now,
  staleAfterMs: 10 * MIN,
  lease,
});

/** Leases renewed by their holder; claims fenced by the lease; release. */
export const attemptCases: Case[] = [
  ["leases: renew extends only the holder's lease", async (s) => {
    assert.equal(await s.leases.acquire("poll:renew", "a1", MIN, T0), true);
    assert.equal(
      await s.leases.renew("poll:renew", "a1", MIN, at(50_000)),
      true,
    );
    assert.equal(
      await s.leases.acquire("poll:renew", "a2", MIN, at(90_000)),
      false,
      "renewed: still held at 90 s",
    );
    assert.equal(
      await s.leases.renew("poll:renew", "a2", MIN, at(90_000)),
      false,
    );
    assert.equal(
      await s.leases.acquire("poll:renew", "a2", MIN, at(111_000)),
      true,
      "expired after the renewed ttl",
    );
    assert.equal(
      await s.leases.renew("poll:renew", "a1", MIN, at(112_000)),
      false,
      "a lost lease cannot be renewed",
    );
    await s.leases.release("poll:renew", "a2");
    assert.equal(
      await s.leases.renew("poll:renew", "a2", MIN, at(113_000)),
      false,
    );
  }],
  [
    "leases: reclaimFrom takes a live lease of the same instance back, never another's",
    async (s) => {
      assert.equal(
        await s.leases.acquire("poll:re", "inst-a/attempt-1", MIN, T0),
        true,
      );
      assert.equal(
        await s.leases.acquire("poll:re", "inst-b/attempt-1", MIN, at(1000), {
          reclaimFrom: "inst-b/",
        }),
        false,
        "another instance's live lease",
      );
      assert.equal(
        await s.leases.acquire("poll:re", "inst-a/attempt-2", MIN, at(1000), {
          reclaimFrom: "inst-a/",
        }),
        true,
        "its own predecessor's",
      );
      assert.equal(
        await s.leases.renew("poll:re", "inst-a/attempt-1", MIN, at(2000)),
        false,
        "the predecessor's attempt lost it",
      );
      await s.leases.release("poll:re", "inst-a/attempt-2");
    },
  ],
  [
    "ledger: a fenced claim without the lease throws LeaseLostError and claims nothing",
    async (s) => {
      await assert.rejects(
        s.ledger.claim(claim("d-nolease", "c1", T0)),
        LeaseLostError,
      );
      assert.equal(await s.ledger.get("acc-d", "d-nolease"), null);
    },
  ],
  [
    "ledger: the lease holder takes over a live claim of another attempt of the same process",
    async (s) => {
      assert.equal(await s.leases.acquire(LEASE, "cycle-1", MIN, T0), true);
      const first = await s.ledger.claim(claim("d-m1", "cycle-1", T0));
      assert.equal(first.status, "claimed");
      // cycle-1 ends (or is abandoned): cycle-2 gets the lease a second later.
      await s.leases.release(LEASE, "cycle-1");
      assert.equal(
        await s.leases.acquire(LEASE, "cycle-2", MIN, at(1000)),
        true,
      );
      await assert.rejects(
        s.ledger.claim(claim("d-m1", "cycle-1", at(1000))),
        LeaseLostError,
        "the old attempt can no longer claim",
      );
      const taken = await s.ledger.claim(claim("d-m1", "cycle-2", at(1000)));
      assert.equal(taken.status, "claimed");
      assert.equal(taken.entry.claimedBy, "cycle-2");
      await s.leases.release(LEASE, "cycle-2");
    },
  ],
  [
    "ledger: two attempts racing for one message under one lease: only the holder claims",
    async (s) => {
      assert.equal(await s.leases.acquire(LEASE, "cycle-3", MIN, T0), true);
      const results = await Promise.allSettled([
        s.ledger.claim(claim("d-race", "cycle-3", T0)),
        s.ledger.claim(claim("d-race", "cycle-4", T0)),
      ]);
      assert.equal(results[0]!.status, "fulfilled");
      assert.equal(results[1]!.status, "rejected");
      assert.equal(
        (await s.ledger.get("acc-d", "d-race"))?.claimedBy,
        "cycle-3",
      );
      await s.leases.release(LEASE, "cycle-3");
    },
  ],
  [
    "ledger: a released claim is busy until its back-off ends, then claimable; done stays done",
    async (s) => {
      assert.equal(
        await s.leases.acquire(LEASE, "cycle-5", 10 * MIN, T0),
        true,
      );
      await s.ledger.claim(claim("d-rel", "cycle-5", T0));
      await s.ledger.release("acc-d", "d-rel", {
        workerId: "someone-else",
        retryAt: at(MIN),
        now: T0,
      });
      assert.equal(
        (await s.ledger.get("acc-d", "d-rel"))?.claimedBy,
        "cycle-5",
        "only the holder's release counts",
      );
      await s.ledger.release("acc-d", "d-rel", {
        workerId: "cycle-5",
        retryAt: at(MIN),
        now: T0,
      });
      const released = await s.ledger.get("acc-d", "d-rel");
      assert.equal(released?.claimedBy, null);
      assert.deepEqual(released?.retryAt, at(MIN));
      const early = await s.ledger.claim(claim("d-rel", "cycle-5", at(30_000)));
      assert.equal(early.status, "busy", "backing off");
      const unfenced = await s.ledger.claim({
        ...claim("d-rel", "other", at(30_000)),
        lease: undefined,
      });
      assert.equal(unfenced.status, "busy");
      const due = await s.ledger.claim(claim("d-rel", "cycle-5", at(MIN)));
      assert.equal(due.status, "claimed");
      assert.equal(due.entry.retryAt ?? null, null);
      await s.ledger.markDone("acc-d", "d-rel", at(MIN));
      await s.ledger.release("acc-d", "d-rel", {
        workerId: "cycle-5",
        retryAt: at(2 * MIN),
        now: at(MIN),
      });
      const done = await s.ledger.claim(claim("d-rel", "cycle-5", at(MIN)));
      assert.equal(done.status, "done");
      await s.leases.release(LEASE, "cycle-5");
    },
  ],
  [
    "ledger and audit: prune deletes finished entries and events older than the cutoff, with their indexes, and nothing else",
    async (s) => {
      const DAY = 86_400_000;
      const old = new Date(T0.getTime() - 100 * DAY);
      const mk = async (gmailId: string, when: Date, done: boolean) => {
        await s.ledger.claim({
          accountId: "acc-p",
          gmailId,
          threadId: "t-" + gmailId,
          workerId: "w",
          now: when,
          staleAfterMs: MIN,
        });
        await s.ledger.recordDecision("acc-p", gmailId, {
          decision: decision("reply"),
          effects: [],
          replyMessageId: null,
          sender: "p***@example.com",
          senderAddress: "p@example.com",
          subject: "Hi",
          now: when,
        });
        if (done) await s.ledger.markDone("acc-p", gmailId, when);
      };
      await mk("p-old-done-1", old, true);
      await mk("p-old-done-2", old, true);
      await mk("p-old-stuck", old, false);
      await mk("p-new", at(-DAY), true);
      await s.audit.add({
        at: old,
        actor: "admin",
        action: "old_event",
        target: null,
        detail: {},
      });
      await s.audit.add({
        at: T0,
        actor: "admin",
        action: "new_event",
        target: null,
        detail: {},
      });
      const cutoff = new Date(T0.getTime() - 90 * DAY);
      assert.equal(await s.ledger.prune(cutoff, 1), 1, "at most the limit");
      assert.equal(await s.ledger.prune(cutoff, 10), 1);
      assert.equal(await s.ledger.prune(cutoff, 10), 0);
      const left = (await s.ledger.listActivity({ accountId: "acc-p" }))
        .map((e) => e.gmailId).sort();
      assert.deepEqual(left, ["p-new", "p-old-stuck"]);
      assert.equal(await s.ledger.get("acc-p", "p-old-done-1"), null);
      assert.equal(
        await s.ledger.countFrom("acc-p", "p@example.com", old),
        2,
        "the sender index forgets pruned entries",
      );
      assert.equal(await s.audit.prune(cutoff, 10), 1);
      assert.deepEqual(
        (await s.audit.list(10)).filter((e) =>
          e.action === "old_event" || e.action === "new_event"
        ).map((e) => e.action),
        ["new_event"],
      );
    },
  ],
];
