/**
 * Two workers on the same refund request at once: both decide before
 * either applies, then both apply in parallel. The order is marked exactly
 * once; the loser gets a conflict, decides again and answers "already
 * requested". Run on Postgres (several connections, the multi-instance
 * backend) and on Deno KV.
 */
import assert from "node:assert/strict";
import { forEachStore } from "../helpers/stores.ts";
import {
  ACCOUNT,
  classified,
  mail,
  order,
  runRefund,
} from "../helpers/refund_fixtures.ts";

const T0 = new Date("2026-03-31T12:00:00Z");
const OWNER = "dana@example.com";
const ROUNDS = 6;

/** Resolves every waiter once `n` have arrived. */
function barrier(n: number): () => Promise<void> {
  let arrived = 0;
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  return () => {
    if (++arrived === n) open();
    return gate;
  };
}

for (const sameThread of [true, false]) {
  const what = sameThread
    ? "two emails in one thread"
    : "two threads, same order";
  Deno.test(`refund race: ${what} mark the order exactly once`, async (t) => {
    await forEachStore(t, async (store) => {
      for (let round = 0; round < ROUNDS; round++) {
        const orderId = `ORD7${sameThread ? 1 : 2}${round}00`;
        await store.orders.importAll([order(orderId, OWNER)]);
        const thread = `race-${sameThread}-${round}`;
        const wait = barrier(2);
        // Two workers, two clocks (1 ms apart, as two machines would be).
        const runs = await Promise.all([0, 1].map((w) =>
          runRefund(
            store,
            mail({
              from: OWNER,
              body: `Please refund ${orderId}`,
              threadId: sameThread ? thread : `${thread}-${w}`,
            }),
            {
              classification: classified("Refund"),
              now: new Date(T0.getTime() + w),
              beforeApply: wait,
            },
          )
        ));
        const reasons = runs.map((r) => r.plan?.decision.reason).sort();
        assert.deepEqual(reasons, ["already_requested", "refund_requested"]);
        const winner = runs.findIndex((r) =>
          r.plan?.decision.reason === "refund_requested"
        );
        const loser = runs[1 - winner]!;
        assert.ok(loser.redecided >= 1, "the loser decided again");
        assert.equal(runs[winner]!.redecided, 0);
        const o = await store.orders.get(orderId);
        assert.equal(o?.refundRequestedAt?.getTime(), T0.getTime() + winner);
        assert.equal(o?.status, "refund_requested");
        assert.match(
          loser.plan?.decision.reply ?? "",
          new RegExp(`already requested on 2026-03-31`),
        );
        if (sameThread) {
          const c = await store.refunds.getCase(ACCOUNT.id, thread);
          // Either may have saved first; both events are recorded.
          assert.deepEqual(
            c?.history.map((h) => h.note).sort(),
            ["already_requested", "refund_requested"],
          );
          assert.equal(c?.state, "requested");
          assert.equal(c?.version, 2);
        }
      }
    });
  });
}
