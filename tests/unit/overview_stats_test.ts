/**
 * The Overview's numbers: emails per UTC day by outcome, the automation
 * rate and the median time to first response.
 */
import assert from "node:assert/strict";
import { overviewStats } from "../../pipeline/dashboard/overview_stats.ts";
import type {
  Decision,
  LedgerEntry,
  ReviewItem,
} from "../../pipeline/types.ts";

const NOW = new Date("2026-03-14T15:00:00Z");
const MIN = 60_000;

function entry(
  at: string,
  d: Partial<Decision> | null,
  doneAfterMin = 2,
): LedgerEntry {
  const claimedAt = new Date(at);
  return {
    accountId: "a",
    gmailId: `${at}-${Math.random()}`,
    threadId: "t",
    state: "done",
    claimedBy: null,
    claimedAt,
    decision: d
      ? {
        category: "Question",
        confidence: 0.9,
        action: "reply",
        reply: "x",
        sources: [],
        order_id: null,
        importance: null,
        reason: "answered",
        ...d,
      }
      : null,
    effects: [],
    replyMessageId: null,
    sender: null,
    senderAddress: null,
    subject: null,
    error: null,
    updatedAt: new Date(claimedAt.getTime() + doneAfterMin * MIN),
  };
}

Deno.test("overviewStats() counts each UTC day by outcome and leaves the agent's own mail out", () => {
  const s = overviewStats({
    entries: [
      entry("2026-03-14T09:00:00Z", {}),
      entry("2026-03-14T10:00:00Z", { category: "Refund", action: "draft" }),
      entry("2026-03-14T11:00:00Z", { action: "review", reply: null }),
      entry("2026-03-13T23:59:00Z", { action: "ignore", reply: null }),
      entry("2026-03-13T12:00:00Z", {
        action: "ignore",
        reason: "own_address",
      }),
      entry("2026-02-01T12:00:00Z", {}), // before the window
      entry("2026-03-14T12:00:00Z", null), // not decided yet
    ],
    reviewItems: [],
  }, { now: NOW, days: 14 });
  assert.equal(s.days.length, 14);
  assert.equal(s.days[0]!.day, "2026-03-01");
  assert.deepEqual(s.days[13]!.counts, {
    answered: 1,
    refund: 1,
    review: 1,
    ignored: 0,
  });
  assert.deepEqual(s.days[12]!.counts, {
    answered: 0,
    refund: 0,
    review: 0,
    ignored: 1,
  });
  assert.deepEqual(s.total, { answered: 1, refund: 1, review: 1, ignored: 1 });
  assert.equal(s.automationRate, 2 / 3);
  assert.equal(s.days[13]!.automationRate, 2 / 3);
  assert.equal(s.days[12]!.automationRate, null);
});

Deno.test("overviewStats() takes the median over agent replies and resolved review items", () => {
  const item = (
    created: string,
    minutes: number,
    status: ReviewItem["status"],
  ) =>
    ({
      id: created,
      accountId: "a",
      gmailId: created,
      threadId: "t",
      sender: "s",
      subject: "",
      excerpt: "",
      category: "Other",
      importance: 3,
      importanceReasons: [],
      reason: "needs_human",
      status,
      assignee: null,
      note: null,
      createdAt: new Date(created),
      updatedAt: new Date(new Date(created).getTime() + minutes * MIN),
    }) satisfies ReviewItem;
  const s = overviewStats({
    entries: [
      entry("2026-03-14T09:00:00Z", {}, 1),
      entry("2026-03-14T09:10:00Z", {}, 3),
    ],
    reviewItems: [
      item("2026-03-14T08:00:00Z", 120, "resolved"),
      item("2026-03-14T08:30:00Z", 500, "pending"),
    ],
  }, { now: NOW, days: 14 });
  assert.equal(s.responses, 3);
  assert.equal(s.medianFirstResponseMinutes, 3);
  const none = overviewStats({ entries: [], reviewItems: [] }, {
    now: NOW,
    days: 14,
  });
  assert.equal(none.medianFirstResponseMinutes, null);
  assert.equal(none.automationRate, null);
});
