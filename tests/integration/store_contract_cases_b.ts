/**
 * Store contract cases, part B: review queue, refunds, orders.
 * @module
 */
import assert from "node:assert/strict";
import type { Store } from "../../pipeline/ports.ts";
import type {
  InvalidRefundAttempt,
  Order,
  RefundCase,
  ReviewItem,
} from "../../pipeline/types.ts";
import { at, type Case, T0 } from "./store_contract_cases_a.ts";

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

type NewItem = Parameters<Store["review"]["add"]>[0];
const item = (
  gmailId: string,
  importance: number,
  threadId = "th-" + gmailId,
): NewItem => ({
  accountId: "acc-r",
  gmailId,
  threadId,
  sender: "d***@example.com",
  subject: "Subject " + gmailId,
  excerpt: "excerpt",
  category: "Other",
  importance,
  importanceReasons: ["keyword:urgent"],
  reason: "low_confidence",
});

/** The review queue. */
export const reviewCases: Case[] = [
  [
    "review: add dedupes per gmailId; list sorts importance desc then oldest first",
    async (s) => {
      const a = await s.review.add(item("r1", 3), at(0));
      const b = await s.review.add(item("r2", 5), at(1000));
      const c = await s.review.add(item("r3", 3, "th-shared"), at(2000));
      const d = await s.review.add(item("r4", 1, "th-shared"), at(500));
      const dup = await s.review.add(
        { ...item("r1", 5), subject: "other" },
        at(9000),
      );
      assert.equal(dup.id, a.id);
      assert.equal(dup.subject, "Subject r1");
      assert.equal(a.status, "pending");
      assert.equal(a.assignee, null);
      assert.deepEqual(a.importanceReasons, ["keyword:urgent"]);
      assert.deepEqual(a.createdAt, at(0));
      const list = await s.review.list({ accountId: "acc-r" });
      assert.deepEqual(list.map((i) => i.id), [b.id, a.id, c.id, d.id]);
      assert.deepEqual((await s.review.list({ limit: 2 })).map((i) => i.id), [
        b.id,
        a.id,
      ]);
      assert.deepEqual(await s.review.get(a.id), a);
      assert.equal(await s.review.get("missing"), null);
    },
  ],
  [
    "review: update patches fields; openForThread and countByStatus follow status",
    async (s) => {
      const c = (await s.review.list({ accountId: "acc-r" })).find((i) =>
        i.gmailId === "r3"
      )!;
      let open = await s.review.openForThread("acc-r", "th-shared");
      assert.equal(open.length, 2);
      const u = await s.review.update(c.id, {
        status: "in_progress",
        assignee: "ann",
      }, at(MIN));
      assert.equal(u?.status, "in_progress");
      assert.equal(u?.assignee, "ann");
      assert.equal(u?.note, null);
      assert.deepEqual(u?.updatedAt, at(MIN));
      const r = await s.review.update(c.id, {
        status: "resolved",
        note: "done",
      }, at(2 * MIN));
      assert.equal(r?.assignee, "ann");
      assert.equal(r?.note, "done");
      open = await s.review.openForThread("acc-r", "th-shared");
      assert.deepEqual(open.map((i) => i.gmailId), ["r4"]);
      assert.equal(
        await s.review.update("missing", { status: "resolved" }, T0),
        null,
      );
      assert.deepEqual(await s.review.countByStatus(), {
        pending: 3,
        in_progress: 0,
        resolved: 1,
      });
      const resolved: ReviewItem[] = await s.review.list({
        status: "resolved",
      });
      assert.deepEqual(resolved.map((i) => i.id), [c.id]);
    },
  ],
];

const refundCase = (threadId: string, version: number): RefundCase => ({
  accountId: "acc-f",
  threadId,
  state: "awaiting_order_id",
  customerEmail: "alice@example.com",
  orderIds: [],
  history: [{
    at: at(0),
    from: null,
    to: "awaiting_order_id",
    gmailId: "g1",
    orderId: null,
    note: "asked",
  }],
  createdAt: at(0),
  updatedAt: at(version * 1000),
  version,
});

const attempt = (
  gmailId: string,
  threadId: string,
  sender: string,
  t: number,
): InvalidRefundAttempt => ({
  accountId: "acc-f",
  threadId,
  gmailId,
  sender,
  orderId: "ORD999",
  reason: "order_not_found",
  excerpt: "refund ORD999",
  at: at(t),
});

/** Refund cases and invalid attempts. */
export const refundCases: Case[] = [
  ["refunds: saveCase checks the version; getCase and listCases", async (s) => {
    assert.equal(await s.refunds.getCase("acc-f", "th1"), null);
    assert.equal(await s.refunds.saveCase(refundCase("th1", 0), 0), true);
    assert.equal(await s.refunds.saveCase(refundCase("th1", 0), 0), false);
    const got = await s.refunds.getCase("acc-f", "th1");
    assert.equal(got?.version, 1);
    assert.deepEqual(got?.history, refundCase("th1", 0).history);
    const next = {
      ...got!,
      state: "requested" as const,
      orderIds: ["ORD10001"],
      updatedAt: at(5000),
    };
    assert.equal(await s.refunds.saveCase(next, 5), false);
    assert.equal(await s.refunds.saveCase(next, 1), true);
    assert.equal(await s.refunds.saveCase(next, 1), false);
    const after = await s.refunds.getCase("acc-f", "th1");
    assert.equal(after?.state, "requested");
    assert.equal(after?.version, 2);
    assert.deepEqual(after?.orderIds, ["ORD10001"]);
    await s.refunds.saveCase(refundCase("th2", 0), 0);
    const list = await s.refunds.listCases({ accountId: "acc-f" });
    assert.deepEqual(list.map((c) => c.threadId), ["th1", "th2"]);
    assert.equal((await s.refunds.listCases({ limit: 1 })).length, 1);
    assert.equal(
      (await s.refunds.listCases({ accountId: "acc-none" })).length,
      0,
    );
  }],
  ["refunds: concurrent saves of one version: exactly one wins", async (s) => {
    const results = await Promise.all(
      Array.from(
        { length: 6 },
        () => s.refunds.saveCase(refundCase("th-race", 0), 0),
      ),
    );
    assert.equal(results.filter(Boolean).length, 1);
  }],
  [
    "refunds: invalid attempts are unique per message and counted by thread and by sender since a time",
    async (s) => {
      await s.refunds.addInvalidAttempt(
        attempt("i1", "tA", "eve@example.com", 0),
      );
      await s.refunds.addInvalidAttempt(
        attempt("i1", "tA", "eve@example.com", 0),
      );
      await s.refunds.addInvalidAttempt(
        attempt("i2", "tA", "eve@example.com", 10 * MIN),
      );
      await s.refunds.addInvalidAttempt(
        attempt("i3", "tB", "Eve@Example.com", 2 * DAY),
      );
      await s.refunds.addInvalidAttempt(
        attempt("i4", "tC", "zed@example.com", 2 * DAY),
      );
      const n = (by: { threadId?: string; sender?: string }, since: Date) =>
        s.refunds.countInvalidAttempts({ accountId: "acc-f", ...by }, since);
      assert.equal(await n({ threadId: "tA" }, T0), 2);
      assert.equal(await n({ threadId: "tA" }, at(MIN)), 1);
      assert.equal(await n({ sender: "eve@example.com" }, T0), 3);
      assert.equal(await n({ sender: "EVE@example.com" }, at(DAY)), 1);
      assert.equal(await n({}, T0), 4);
      assert.equal(
        await s.refunds.countInvalidAttempts({ accountId: "x" }, T0),
        0,
      );
      const list = await s.refunds.listInvalidAttempts(10);
      assert.equal(list.length, 4);
      assert.deepEqual(
        list[list.length - 1],
        attempt("i1", "tA", "eve@example.com", 0),
      );
      assert.equal((await s.refunds.listInvalidAttempts(2)).length, 2);
    },
  ],
];

const order = (id: string, email: string, amount: number): Order => ({
  orderId: id,
  customerEmail: email,
  orderDate: new Date("2026-11-10T00:00:00.000Z"),
  amount,
  status: "delivered",
  refundRequestedAt: null,
});

/** Orders. */
export const orderCases: Case[] = [
  [
    "orders: importAll replaces existing ids; get is case-blind; count",
    async (s) => {
      assert.equal(
        await s.orders.importAll([
          order("ORD1", "a@example.com", 10),
          order("ORD2", "b@example.com", 49.99),
        ]),
        2,
      );
      assert.equal(
        await s.orders.importAll([
          order("ORD2", "b@example.com", 59.5),
          order("ORD3", "c@example.com", 899),
        ]),
        2,
      );
      assert.equal(await s.orders.count(), 3);
      assert.deepEqual(
        await s.orders.get("ord2"),
        order("ORD2", "b@example.com", 59.5),
      );
      assert.equal(await s.orders.get("ORD404"), null);
    },
  ],
  ["orders: importAll writes all rows or none", async (s) => {
    const before = await s.orders.count();
    const bad = {
      ...order("ORD-BAD", "x@example.com", 1),
      amount: Number.NaN,
      orderDate: new Date("invalid"),
    };
    await assert.rejects(() =>
      s.orders.importAll([order("ORD-NEW", "n@example.com", 5), bad])
    );
    assert.equal(await s.orders.get("ORD-NEW"), null);
    assert.equal(await s.orders.count(), before);
  }],
  [
    "orders: markRefundRequested once; a second call reports the first time",
    async (s) => {
      const first = await s.orders.markRefundRequested("ORD1", at(MIN));
      assert.equal(first.ok, true);
      assert.equal(first.ok && first.order.status, "refund_requested");
      const second = await s.orders.markRefundRequested("ord1", at(2 * MIN));
      assert.deepEqual(second, {
        ok: false,
        reason: "already_requested",
        requestedAt: at(MIN),
      });
      assert.deepEqual(await s.orders.markRefundRequested("ORD404", T0), {
        ok: false,
        reason: "not_found",
      });
      const o = await s.orders.get("ORD1");
      assert.equal(o?.status, "refund_requested");
      assert.deepEqual(o?.refundRequestedAt, at(MIN));
    },
  ],
  ["orders: 10 concurrent marks of one order: exactly one ok", async (s) => {
    const results = await Promise.all(
      Array.from(
        { length: 10 },
        (_, i) => s.orders.markRefundRequested("ORD3", at(i)),
      ),
    );
    assert.equal(results.filter((r) => r.ok).length, 1);
    const winner = results.find((r) => r.ok);
    for (const r of results.filter((r) => !r.ok)) {
      assert.equal(!r.ok && r.reason, "already_requested");
      assert.deepEqual(
        !r.ok && r.reason === "already_requested" && r.requestedAt,
        winner?.ok && winner.order.refundRequestedAt,
      );
    }
  }],
  [
    "orders: markRefunded sets the status once, keeps the request time; a second call changes nothing",
    async (s) => {
      await s.orders.importAll([order("ORD-RF1", "r@example.com", 80)]);
      assert.equal(
        (await s.orders.markRefundRequested("ORD-RF1", at(MIN))).ok,
        true,
      );
      const first = await s.orders.markRefunded("ord-rf1");
      assert.equal(first.ok, true);
      const refunded = {
        ...order("ORD-RF1", "r@example.com", 80),
        status: "refunded",
        refundRequestedAt: at(MIN),
      };
      assert.deepEqual(first.ok && first.order, refunded);
      assert.deepEqual(await s.orders.get("ORD-RF1"), refunded);
      assert.deepEqual(await s.orders.markRefunded("ORD-RF1"), {
        ok: false,
        reason: "already_refunded",
        order: refunded,
      });
      assert.deepEqual(await s.orders.get("ORD-RF1"), refunded);
      // Refunded is final: a later request does not move it back.
      const again = await s.orders.markRefundRequested("ORD-RF1", at(2 * MIN));
      assert.equal(again.ok, false);
      assert.equal((await s.orders.get("ORD-RF1"))?.status, "refunded");
      assert.deepEqual(await s.orders.markRefunded("ORD404"), {
        ok: false,
        reason: "not_found",
      });
    },
  ],
  [
    "orders: markRefunded of an order never requested; an imported Refunded one counts as refunded",
    async (s) => {
      await s.orders.importAll([
        order("ORD-RF2", "r@example.com", 450),
        { ...order("ORD-RF3", "r@example.com", 5), status: "Refunded" },
      ]);
      const r = await s.orders.markRefunded("ORD-RF2");
      assert.equal(r.ok && r.order.status, "refunded");
      assert.equal(r.ok && r.order.refundRequestedAt, null);
      // A request after the refund (a race with the policy) marks nothing.
      assert.deepEqual(await s.orders.markRefundRequested("ORD-RF2", at(MIN)), {
        ok: false,
        reason: "refunded",
      });
      assert.deepEqual(await s.orders.get("ORD-RF2"), {
        ...order("ORD-RF2", "r@example.com", 450),
        status: "refunded",
      });
      const imported = await s.orders.markRefunded("ORD-RF3");
      assert.equal(!imported.ok && imported.reason, "already_refunded");
      assert.equal((await s.orders.get("ORD-RF3"))?.status, "Refunded");
    },
  ],
  [
    "orders: 10 concurrent markRefunded of one order: exactly one ok",
    async (s) => {
      await s.orders.importAll([order("ORD-RF4", "r@example.com", 20)]);
      const results = await Promise.all(
        Array.from({ length: 10 }, () => s.orders.markRefunded("ORD-RF4")),
      );
      assert.equal(results.filter((r) => r.ok).length, 1);
      for (const r of results.filter((r) => !r.ok)) {
        assert.equal(!r.ok && r.reason, "already_refunded");
      }
      assert.equal((await s.orders.get("ORD-RF4"))?.status, "refunded");
    },
  ],
];
