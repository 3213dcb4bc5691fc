/**
 * The order among messages handled at the same time: one thread's
 * messages one after the other in listing order; messages sharing a cap
 * key (sender or reply recipient) one after the other in listing order,
 * even when a later one is read first; giving up lets later ones go.
 */
import assert from "node:assert/strict";
import { createLanes } from "../../pipeline/worker/lanes.ts";

/** Lets pending promise callbacks run (microtasks only, no timer). */
async function settle() {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/** Records when `p` resolves. */
function track(p: Promise<unknown>) {
  const t = { done: false };
  p.then(() => t.done = true);
  return t;
}

Deno.test("lanes: a thread's messages go one at a time in listing order; other threads do not wait", async () => {
  const lanes = createLanes();
  const a1 = lanes.ticket("a");
  const a2 = lanes.ticket("a");
  const b1 = lanes.ticket("b");
  const a3 = lanes.ticket("a");
  const w1 = track(a1.thread);
  const w2 = track(a2.thread);
  const w3 = track(b1.thread);
  const w4 = track(a3.thread);
  await settle();
  assert.deepEqual([w1.done, w2.done, w3.done, w4.done], [
    true,
    false,
    true,
    false,
  ]);
  a1.done();
  await settle();
  assert.deepEqual([w2.done, w4.done], [true, false]);
  a2.done();
  await settle();
  assert.equal(w4.done, true);
});

Deno.test("lanes: messages sharing a sender go in listing order even when the later one is read first", async () => {
  const lanes = createLanes();
  const first = lanes.ticket("t1");
  const second = lanes.ticket("t2");
  const order: string[] = [];
  // The second message is read first and asks for its sender first.
  const s2 = second.enter(["ann@example.com"]).then(() => order.push("second"));
  await settle();
  assert.equal(order.length, 0, "waits for the earlier message to ask");
  const s1 = first.enter(["ann@example.com", "ann@example.com"]).then(() =>
    order.push("first")
  );
  await settle();
  assert.deepEqual(order, ["first"]);
  first.done();
  await Promise.all([s1, s2]);
  assert.deepEqual(order, ["first", "second"]);
  second.done();
});

Deno.test("lanes: a message that gives up (skipped, failed) lets later ones ask; other keys do not wait", async () => {
  const lanes = createLanes();
  const skipped = lanes.ticket("t1");
  const bob = lanes.ticket("t2");
  const ann = lanes.ticket("t3");
  const annIn = track(ann.enter(["ann@example.com"]));
  const bobIn = track(bob.enter(["bob@example.com"]));
  await settle();
  assert.equal(bobIn.done, false, "the first ticket has not asked yet");
  skipped.done();
  await settle();
  assert.deepEqual([bobIn.done, annIn.done], [true, true]);
  skipped.done(); // idempotent
  bob.done();
  ann.done();
});
