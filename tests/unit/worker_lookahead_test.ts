/**
 * The cycle's lookahead: a message already handed to the worker is never
 * offered to a snapshot's spare keys again, so those keys go to messages
 * not known yet and the reads keep ahead of the messages being handled.
 */
import assert from "node:assert/strict";
import { createLookahead } from "../../pipeline/worker/lookahead.ts";
import type { MessageRef, Peeked, PeekIds } from "../../pipeline/ports.ts";

/** `n` refs: the first `sent` are the account's own sent mail. */
function refs(n: number, sent: number): MessageRef[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `m${i}`,
    threadId: `t${i}`,
    ...(i < sent ? { labelIds: ["SENT"] } : {}),
  }));
}

/** Found nothing for every id asked: new mail, nobody's sent marker. */
function nothingFor(ids: PeekIds): Peeked {
  return {
    entries: new Map(ids.gmailIds.map((id) => [id, null])),
    agentSent: new Map(ids.sentIds.map((id) => [id, false])),
  };
}

Deno.test("lookahead: messages handed out by at() are never offered again; the spare keys go to the next unknown ones", async () => {
  const list = refs(30, 4);
  const asked: PeekIds[] = [];
  const look = createLookahead(
    list,
    (r) => r.labelIds?.includes("SENT") ?? false,
    (ids) => {
      asked.push(ids);
      return Promise.resolve(nothingFor(ids));
    },
  );
  // The worker takes the first six (one explicit read of 20).
  for (let i = 0; i < 6; i++) await look.at(i);
  assert.equal(asked.length, 1);
  assert.equal(asked[0]!.gmailIds.length + asked[0]!.sentIds.length, 20);
  // A snapshot's spare keys: the first messages nobody read yet.
  const offered = look.wanted(3);
  assert.deepEqual(offered, { gmailIds: ["m20", "m21", "m22"], sentIds: [] });
  look.add(nothingFor(offered), offered);
  // Everything up to m22 is known: no further explicit read.
  for (let i = 6; i < 23; i++) await look.at(i);
  assert.equal(asked.length, 1);
  assert.deepEqual(look.wanted(2), { gmailIds: ["m23", "m24"], sentIds: [] });
});

Deno.test("lookahead: what a snapshot had no room for is offered again first", async () => {
  const list = refs(30, 0);
  const look = createLookahead(
    list,
    () => false,
    (ids) => Promise.resolve(nothingFor(ids)),
  );
  await look.at(0); // reads m0..m19
  const offered = look.wanted(3); // m20, m21, m22
  // The snapshot read only m20 along.
  look.add(nothingFor({ gmailIds: ["m20"], sentIds: [] }), offered);
  assert.deepEqual(look.wanted(3), {
    gmailIds: ["m21", "m22", "m23"],
    sentIds: [],
  });
});
