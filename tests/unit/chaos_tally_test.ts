/**
 * The chaos run's counting (eval/chaos/tally.ts) and its command line: what
 * is a duplicate, what is lost, and that a seed replays the same choices.
 */
import assert from "node:assert/strict";
import { inReplyTo, type Recorded, tally } from "../../eval/chaos/tally.ts";
import { parseChaosArgs, passed } from "../../eval/chaos/chaos.ts";
import { createRng } from "../../eval/chaos/rng.ts";

const A = { gmailId: "a", messageId: "<a@x>" };
const B = { gmailId: "b", messageId: "<b@x>" };
const C = { gmailId: "c", messageId: "<c@x>" };

const rec = (
  state: string,
  action: string | null,
  inReview = false,
): Recorded => ({ state, action, inReview });

Deno.test("chaos tally: two agent messages answering one email are one duplicate", () => {
  const t = tally([A, B], ["<a@x>", "<a@x>", "<b@x>"], new Map());
  assert.equal(t.answered, 2);
  assert.equal(t.replies, 3);
  assert.equal(t.duplicates, 1);
  assert.equal(t.lost, 0);
});

Deno.test("chaos tally: an email without a reply is lost unless the ledger finished it as review or ignore", () => {
  const recorded = new Map([
    ["a", rec("done", "review")],
    ["b", rec("done", "ignore")],
    ["c", rec("done", "reply")], // says replied, Gmail has no reply
  ]);
  const t = tally([A, B, C], [], recorded);
  assert.equal(t.recorded, 2);
  assert.equal(t.lost, 1);
  assert.match(t.lostExamples[0]!, /^c \(ledger done\/reply\)/);
});

Deno.test("chaos tally: a claimed or unseen email is lost; a finished one with a review item is not", () => {
  const recorded = new Map([
    ["a", rec("claimed", null)],
    ["b", rec("done", null, true)],
  ]);
  const t = tally([A, B, C], [], recorded);
  assert.equal(t.lost, 2);
  assert.equal(t.recorded, 1);
  assert.deepEqual(t.lostExamples, [
    "a (ledger claimed/no decision)",
    "c (not in ledger)",
  ]);
});

Deno.test("chaos tally: a reply to an email recorded as review is counted, and replies to unknown mail are stray", () => {
  const t = tally(
    [A],
    ["<a@x>", "<other@x>", null],
    new Map([["a", rec("done", "review")]]),
  );
  assert.equal(t.repliedToReview, 1);
  assert.equal(t.stray, 2);
  assert.equal(
    passed({
      name: "x",
      backend: "kv",
      tally: t,
      facts: {},
      failures: [],
      ms: 0,
    }),
    false,
  );
});

Deno.test("chaos tally: In-Reply-To is read from the header block only, folded or not", () => {
  assert.equal(
    inReplyTo("From: a\r\nIn-Reply-To:\r\n <a@x>\r\n\r\nIn-Reply-To: <body@x>"),
    "<a@x>",
  );
  assert.equal(inReplyTo("From: a\n\nIn-Reply-To: <body@x>"), null);
});

Deno.test("chaos args: the seed is taken as given and replays the same sequence; bad flags are one clear line", () => {
  const a = parseChaosArgs(["--short", "--seed", "42"]);
  assert.equal(a.seed, 42);
  assert.equal(a.short, true);
  assert.equal(a.includeKnownFailing, false);
  const r1 = createRng(a.seed), r2 = createRng(42), r3 = createRng(43);
  const s1 = Array.from({ length: 5 }, () => r1.int(0, 1000));
  assert.deepEqual(s1, Array.from({ length: 5 }, () => r2.int(0, 1000)));
  assert.notDeepEqual(s1, Array.from({ length: 5 }, () => r3.int(0, 1000)));
  assert.throws(() => parseChaosArgs(["--seed", "x"]), /--seed must be/);
  assert.throws(() => parseChaosArgs(["--fast"]), /unknown flag --fast/);
});
