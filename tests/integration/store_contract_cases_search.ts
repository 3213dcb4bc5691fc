/**
 * Store contract cases, part D: text search and stable cursor paging of
 * the activity log and the review queue.
 * @module
 */
import assert from "node:assert/strict";
import type {
  ActivityCursor,
  ReviewCursor,
  Store,
} from "../../pipeline/ports.ts";
import type { LedgerEntry, ReviewItem } from "../../pipeline/types.ts";
import { at, type Case, decision } from "./store_contract_cases_a.ts";

const ACC = "acc-search";

/** Claims and records `n` entries, one a second, subjects "Order n". */
async function seedActivity(s: Store, n: number, account = ACC) {
  for (let i = 0; i < n; i++) {
    const gmailId = `s${String(i).padStart(3, "0")}`;
    await s.ledger.claim({
      accountId: account,
      gmailId,
      threadId: `t-${gmailId}`,
      workerId: "w",
      now: at(i * 1000),
      staleAfterMs: 60_000,
    });
    await s.ledger.recordDecision(account, gmailId, {
      decision: decision("reply"),
      effects: [],
      replyMessageId: null,
      sender: "x***@example.com",
      senderAddress: i === 7
        ? "Needle.Person@Example.com"
        : `c${i}@example.com`,
      subject: i === 3 ? "Broken 100%_Vase" : `Order ${i}`,
      now: at(i * 1000),
    });
  }
}

const cursorOf = (e: LedgerEntry): ActivityCursor => ({
  at: e.claimedAt,
  accountId: e.accountId,
  gmailId: e.gmailId,
});
const reviewCursorOf = (i: ReviewItem): ReviewCursor => ({
  importance: i.importance,
  createdAt: i.createdAt,
  id: i.id,
});

/** Search and paging. */
export const searchCases: Case[] = [
  [
    "activity: pages of a cursor cover every entry once, in order, even when new ones arrive",
    async (s) => {
      await seedActivity(s, 12);
      const seen: string[] = [];
      let after: ActivityCursor | undefined;
      for (let page = 0; page < 5; page++) {
        const got = await s.ledger.listActivity({
          accountId: ACC,
          limit: 5,
          after,
        });
        if (got.length === 0) break;
        seen.push(...got.map((e) => e.gmailId));
        after = cursorOf(got.at(-1)!);
        if (page === 0) {
          // A newer entry between two pages does not shift the next page.
          await s.ledger.claim({
            accountId: ACC,
            gmailId: "s999",
            threadId: "t-new",
            workerId: "w",
            now: at(60_000),
            staleAfterMs: 60_000,
          });
        }
      }
      const expected = Array.from(
        { length: 12 },
        (_, i) => `s${String(11 - i).padStart(3, "0")}`,
      );
      assert.deepEqual(seen, expected);
      // Across accounts the same holds on the global listing.
      const first = await s.ledger.listActivity({ limit: 3 });
      const next = await s.ledger.listActivity({
        limit: 3,
        after: cursorOf(first.at(-1)!),
      });
      assert.ok(
        next.every((e) => !first.some((f) => f.gmailId === e.gmailId)),
      );
    },
  ],
  [
    "activity: text finds one entry among many by subject or sender, case-blind, LIKE characters literal",
    async (s) => {
      await seedActivity(s, 10, "acc-search-2");
      const by = (text: string) =>
        s.ledger.listActivity({ accountId: "acc-search-2", text, limit: 50 })
          .then((r) => r.map((e) => e.gmailId));
      assert.deepEqual(await by("needle.person"), ["s007"]);
      assert.deepEqual(await by("BROKEN 100%_v"), ["s003"]);
      assert.deepEqual(await by("100_"), []);
      assert.deepEqual(await by("%"), ["s003"]);
      assert.equal((await by("order")).length, 9);
    },
  ],
  [
    "review: text search over subject, sender and excerpt; open skips resolved; cursor pages in queue order",
    async (s) => {
      const add = (n: number, importance: number, over = {}) =>
        s.review.add({
          accountId: "acc-rs",
          gmailId: `rs${n}`,
          threadId: `th-rs${n}`,
          sender: `person${n}@example.com`,
          subject: `Question ${n}`,
          excerpt: n === 4 ? "my parcel never arrived" : "hello",
          category: "Other",
          importance,
          importanceReasons: [],
          reason: "low_confidence",
          ...over,
        }, at(n * 1000));
      const items: ReviewItem[] = [];
      for (let n = 0; n < 9; n++) items.push(await add(n, 1 + (n % 3)));
      await s.review.update(items[2]!.id, { status: "resolved" }, at(99_000));
      const find = (text: string) =>
        s.review.list({ accountId: "acc-rs", text }).then((r) =>
          r.map((i) => i.gmailId)
        );
      assert.deepEqual(await find("PARCEL never"), ["rs4"]);
      assert.deepEqual(await find("person6@"), ["rs6"]);
      assert.deepEqual(await find("question 8"), ["rs8"]);
      const open = await s.review.list({ accountId: "acc-rs", open: true });
      assert.equal(open.length, 8);
      assert.ok(open.every((i) => i.status !== "resolved"));
      const whole = await s.review.list({ accountId: "acc-rs" });
      const paged: string[] = [];
      let after: ReviewCursor | undefined;
      for (;;) {
        const page = await s.review.list({
          accountId: "acc-rs",
          limit: 4,
          after,
        });
        if (page.length === 0) break;
        paged.push(...page.map((i) => i.id));
        after = reviewCursorOf(page.at(-1)!);
      }
      assert.deepEqual(paged, whole.map((i) => i.id));
    },
  ],
];
