/**
 * Store contract cases, part E: the typed worker state (thread takeovers
 * and acknowledgements, sent-reply markers, sync state, failure counts, setup steps), with
 * expiry by the time the caller passes. The test stores keep the default
 * retention (`DEFAULT_RETENTION`).
 * @module
 */
import assert from "node:assert/strict";
import { DEFAULT_RETENTION } from "../../pipeline/ports.ts";
import { at, type Case, T0 } from "./store_contract_cases_a.ts";

const SENT_MS = DEFAULT_RETENTION.sentReplyMs;
const FAIL_MS = DEFAULT_RETENTION.failureCountMs;

/** Thread state, sync state, failure counters, setup steps. */
export const stateCases: Case[] = [
  [
    "threads: pruneSent deletes the sent-reply markers expired at the given time, and only those, at most the limit",
    async (s) => {
      const base = 1000 * 86_400_000; // away from the other cases' markers
      const mark = (gmailId: string, by: "agent" | "person", t: number) =>
        s.threads.recordSent({
          accountId: "ap",
          gmailId,
          by,
          at: at(base + t),
        });
      await mark("p-agent", "agent", 0);
      await mark("p-person", "person", 0);
      await mark("p-late", "agent", 10 * 86_400_000);
      const now = at(base + SENT_MS);
      assert.equal(await s.threads.pruneSent(now, 1), 1, "at most the limit");
      assert.ok((await s.threads.pruneSent(now, 100)) >= 1);
      assert.equal(await s.threads.pruneSent(now, 100), 0);
      // Read at a time the deleted markers would still be live.
      const before = at(base + 1);
      assert.equal(await s.threads.sentBy("ap", "p-agent", before), null);
      assert.equal(await s.threads.sentBy("ap", "p-person", before), null);
      assert.equal(
        await s.threads.sentBy("ap", "p-late", at(base + SENT_MS)),
        "agent",
        "not expired yet: kept",
      );
    },
  ],
  [
    "threads: a thread's one acknowledgement goes to the first message that claims it, for good",
    async (s) => {
      assert.equal(await s.threads.acknowledgementOf("ack1", "t1"), null);
      const claim = (gmailId: string, threadId = "t1", accountId = "ack1") =>
        s.threads.claimAcknowledgement({
          accountId,
          threadId,
          gmailId,
          at: T0,
        });
      // Two messages of one thread at once: exactly one gets it.
      const [a, b] = await Promise.all([claim("g1"), claim("g2")]);
      assert.equal([a, b].filter(Boolean).length, 1);
      const winner = a ? "g1" : "g2";
      assert.equal(await s.threads.acknowledgementOf("ack1", "t1"), winner);
      // The winner's retry keeps it; the other never gets it.
      assert.equal(await claim(winner), true);
      assert.equal(await claim(a ? "g2" : "g1"), false);
      assert.equal(await claim("g3"), false);
      // Per account and thread.
      assert.equal(await claim("g3", "t2"), true);
      assert.equal(await claim("g1", "t1", "ack2"), true);
      assert.equal(await s.threads.acknowledgementOf("ack1", "t2"), "g3");
    },
  ],
  ["threads: a takeover is per thread, kept once marked", async (s) => {
    assert.equal(await s.threads.isTakenOver("a1", "t1"), false);
    await s.threads.markTakenOver("a1", "t1", T0);
    await s.threads.markTakenOver("a1", "t1", at(1000));
    assert.equal(await s.threads.isTakenOver("a1", "t1"), true);
    assert.equal(await s.threads.isTakenOver("a1", "t2"), false);
    assert.equal(await s.threads.isTakenOver("a2", "t1"), false);
  }],
  [
    "threads: who sent a reply, the agent first, until the marker expires",
    async (s) => {
      assert.equal(await s.threads.sentBy("a1", "s1", T0), null);
      await s.threads.recordSent({
        accountId: "a1",
        gmailId: "s1",
        by: "person",
        at: T0,
      });
      assert.equal(await s.threads.sentBy("a1", "s1", at(1)), "person");
      await s.threads.recordSent({
        accountId: "a1",
        gmailId: "s1",
        by: "agent",
        at: T0,
      });
      assert.equal(await s.threads.sentBy("a1", "s1", at(1)), "agent");
      assert.equal(await s.threads.sentBy("a2", "s1", at(1)), null);
      assert.equal(
        await s.threads.sentBy("a1", "s1", at(SENT_MS - 1)),
        "agent",
        "kept for the retention",
      );
      assert.equal(
        await s.threads.sentBy("a1", "s1", at(SENT_MS)),
        null,
        "forgotten after it",
      );
      // Recording again starts a new retention.
      await s.threads.recordSent({
        accountId: "a1",
        gmailId: "s1",
        by: "person",
        at: at(SENT_MS),
      });
      assert.equal(
        await s.threads.sentBy("a1", "s1", at(SENT_MS + 1)),
        "person",
      );
      // An empty id (a send that returned none) records nothing.
      await s.threads.recordSent({
        accountId: "a1",
        gmailId: "",
        by: "agent",
        at: T0,
      });
      assert.equal(await s.threads.sentBy("a1", "", at(1)), null);
    },
  ],
  [
    "syncState: label ids, the first full sync, its note and a mail pause, per account",
    async (s) => {
      assert.equal(await s.syncState.labelId("a1", "Agent/Processed"), null);
      await s.syncState.setLabelId("a1", "Agent/Processed", "Label_1");
      await s.syncState.setLabelId("a1", "Agent/Processed", "Label_2");
      assert.equal(
        await s.syncState.labelId("a1", "Agent/Processed"),
        "Label_2",
      );
      assert.equal(await s.syncState.labelId("a2", "Agent/Processed"), null);
      assert.equal(await s.syncState.isInitialSyncDone("a1"), false);
      await s.syncState.markInitialSyncDone("a1", T0);
      await s.syncState.markInitialSyncDone("a1", at(5));
      assert.equal(await s.syncState.isInitialSyncDone("a1"), true);
      assert.equal(await s.syncState.isInitialSyncDone("a2"), false);
      assert.equal(await s.syncState.syncNote("a1"), null);
      const note = {
        leftOlder: 12,
        capped: false,
        windowDays: 3,
        at: T0.toISOString(),
      };
      await s.syncState.setSyncNote("a1", { ...note, leftOlder: 1 });
      await s.syncState.setSyncNote("a1", note);
      assert.deepEqual(await s.syncState.syncNote("a1"), note);
      assert.equal(await s.syncState.syncNote("a2"), null);
      assert.equal(await s.syncState.pausedUntil("a1"), null);
      await s.syncState.setPausedUntil("a1", at(1000));
      await s.syncState.setPausedUntil("a1", at(2000));
      assert.deepEqual(await s.syncState.pausedUntil("a1"), at(2000));
      assert.equal(await s.syncState.pausedUntil("a2"), null);
    },
  ],
  [
    "failures: counted per message, starting again after the retention",
    async (s) => {
      const inc = (gmailId: string, ms: number) =>
        s.failures.increment({ accountId: "a1", gmailId, at: at(ms) });
      assert.equal(await inc("g1", 0), 1);
      assert.equal(await inc("g1", 1000), 2);
      assert.equal(await inc("g2", 1000), 1);
      assert.equal(
        await inc("g1", 1000 + FAIL_MS - 1),
        3,
        "within the retention",
      );
      assert.equal(
        await inc("g1", 1000 + 2 * FAIL_MS),
        1,
        "a count left alone for the retention starts again",
      );
      const race = await Promise.all(
        Array.from({ length: 5 }, () => inc("g3", 0)),
      );
      assert.deepEqual(race.sort(), [1, 2, 3, 4, 5]);
    },
  ],
  ["setup: a step is claimed once, again only after a failure", async (s) => {
    assert.equal(await s.setup.claim("sample_orders", T0), true);
    assert.equal(await s.setup.claim("sample_orders", at(1)), false);
    await s.setup.fail("sample_orders");
    const again = await Promise.all([
      s.setup.claim("sample_orders", at(2)),
      s.setup.claim("sample_orders", at(2)),
    ]);
    assert.deepEqual(again.sort(), [false, true], "one claim wins");
    assert.equal(await s.setup.claim("sample_orders", at(3)), false);
  }],
];
