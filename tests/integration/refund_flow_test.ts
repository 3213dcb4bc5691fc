/**
 * The refund state machine end to end on real stores (Deno KV and
 * Postgres): decideRefund + applyEffects over sequences of emails, one table
 * row per scenario. The last check proves every event and every from-state
 * of the transition table was exercised.
 */
import assert from "node:assert/strict";
import type { Store } from "../../pipeline/ports.ts";
import type { Category, RefundState } from "../../pipeline/types.ts";
import {
  FROM_STATES,
  REFUND_EVENTS,
  type RefundEventType,
} from "../../pipeline/refund/transitions.ts";
import { forEachStore } from "../helpers/stores.ts";
import {
  ACCOUNT,
  classified,
  mail,
  order,
  runRefund,
} from "../helpers/refund_fixtures.ts";

const NOW = new Date("2026-03-31T12:00:00Z");
const ALICE = "alice@example.com";
const BOB = "bob@example.com";
const MALLORY = "mallory@evil.test";

const ORDERS = [
  order("ORD10001", ALICE),
  order("ORD10002", BOB),
  order("ORD10003", ALICE, { orderDate: new Date("2025-12-01") }),
  order("ORD10004", ALICE, { status: "processing" }),
  order("ORD10005", ALICE, { amount: 500 }),
  order("ORD10006", ALICE, {
    status: "refund_requested",
    refundRequestedAt: new Date("2026-03-25T09:00:00Z"),
  }),
  order("ORD10008", ALICE),
  order("ORD10009", ALICE),
  order("ORD10010", ALICE),
  order("ORD10011", ALICE),
  order("ORD10012", ALICE),
  order("ORD10013", ALICE),
  order("ORD10014", "Carol@Example.com", { status: "Shipped" }),
  order("ORD10015", ALICE),
  order("ORD10016", ALICE),
];

interface Step {
  from?: string;
  /** Gmail's verdict on the From address (default "pass"). */
  auth?: "pass" | "fail" | "none" | "missing";
  subject?: string;
  body: string;
  category?: Category;
  confidence?: number;
  /** null: decideRefund must leave the email alone. */
  want: null | {
    state: RefundState;
    action: "reply" | "review";
    reason: string;
    orderId?: string | null;
    replyHas?: RegExp;
  };
}

interface Scenario {
  name: string;
  /** Default sender of the steps (each sender has its own daily limit). */
  sender?: string;
  steps: Step[];
  /** Orders that must end up marked (and all others in `untouched` not). */
  marked?: string[];
  untouched?: string[];
  attempts?: number;
  reviews?: number;
  /** A case a person already decided from the dashboard, before the steps. */
  seed?: RefundState;
}

const SCENARIOS: Scenario[] = [
  {
    name: "missing id, then the id in a follow-up, then a repeat request",
    steps: [
      {
        body: "Hi, I would like a refund please.",
        want: {
          state: "awaiting_order_id",
          action: "reply",
          reason: "awaiting_order_id",
          replyHas: /order number/,
        },
      },
      {
        body: "ORD10001",
        category: "Other",
        want: {
          state: "requested",
          action: "reply",
          reason: "refund_requested",
          orderId: "ORD10001",
          replyHas: /received your refund request for order ORD10001/,
        },
      },
      {
        body: "Did you get my refund request?",
        want: {
          state: "requested",
          action: "reply",
          reason: "already_requested",
          orderId: "ORD10001",
          replyHas: /already requested on 2026-03-31/,
        },
      },
    ],
    marked: ["ORD10001"],
  },
  {
    name: "the seed's 'my order id is ORD…' phrasing",
    steps: [{
      body: "Hello, my order id is ORD10008 and I want my money back.",
      want: {
        state: "requested",
        action: "reply",
        reason: "refund_requested",
        orderId: "ORD10008",
      },
    }],
    marked: ["ORD10008"],
  },
  {
    name: "an id not found three times, then escalation and silence",
    sender: "erin@example.com",
    steps: [
      {
        body: "refund ORD99991",
        want: {
          state: "rejected_not_found",
          action: "reply",
          reason: "order_not_found",
          orderId: "ORD99991",
          replyHas: /could not match order ORD99991/,
        },
      },
      {
        body: "sorry, it is ORD99992",
        category: "Other",
        want: {
          state: "rejected_not_found",
          action: "reply",
          reason: "order_not_found",
        },
      },
      {
        body: "try order #99993",
        want: {
          state: "escalated",
          action: "review",
          reason: "too_many_invalid_attempts",
          orderId: "ORD99993",
        },
      },
      {
        body: "hello? ORD10015",
        category: "Other",
        want: {
          state: "escalated",
          action: "review",
          reason: "escalated_case",
        },
      },
    ],
    attempts: 3,
    reviews: 2,
    untouched: ["ORD10015"],
  },
  {
    name: "another customer's order, then a policy reject, then the own order",
    steps: [
      {
        from: MALLORY,
        body: "Please refund ORD10002",
        want: {
          state: "rejected_not_owner",
          action: "reply",
          reason: "not_owner",
          orderId: "ORD10002",
          replyHas: /could not match order ORD10002/,
        },
      },
    ],
    attempts: 1,
    untouched: ["ORD10002"],
  },
  {
    name: "the owner's address unauthenticated, then authenticated",
    steps: [
      {
        auth: "fail",
        body: "Please refund ORD10016",
        want: {
          state: "rejected_not_owner",
          action: "reply",
          reason: "unverified_sender",
          orderId: "ORD10016",
          replyHas: /write to us from the email address you used/,
        },
      },
      {
        body: "Sent from my usual mail now: ORD10016",
        category: "Other",
        want: {
          state: "requested",
          action: "reply",
          reason: "refund_requested",
          orderId: "ORD10016",
        },
      },
    ],
    attempts: 1,
    marked: ["ORD10016"],
  },
  {
    name: "outside the window, then an eligible order of the same customer",
    steps: [
      {
        body: "Refund order number: 10003 please",
        want: {
          state: "rejected_policy",
          action: "reply",
          reason: "outside_window",
          orderId: "ORD10003",
          replyHas: /30-day refund period/,
        },
      },
      {
        body: "Then please refund ORD10013 instead",
        want: {
          state: "requested",
          action: "reply",
          reason: "refund_requested",
          orderId: "ORD10013",
        },
      },
    ],
    marked: ["ORD10013"],
    untouched: ["ORD10003"],
  },
  {
    name: "ineligible status",
    steps: [{
      body: "refund ORD10004",
      want: {
        state: "rejected_policy",
        action: "reply",
        reason: "ineligible_status",
      },
    }],
    untouched: ["ORD10004"],
  },
  {
    name: "already requested before (date from the order)",
    steps: [{
      body: "refund ORD10006",
      want: {
        state: "requested",
        action: "reply",
        reason: "already_requested",
        replyHas: /already requested on 2026-03-25/,
      },
    }],
  },
  {
    name: "over the amount limit: acknowledged and handed to a person",
    steps: [
      {
        body: "refund ORD10005",
        want: {
          state: "escalated",
          action: "reply",
          reason: "over_limit",
          orderId: "ORD10005",
          replyHas: /member of our team/,
        },
      },
      {
        body: "any news? ORD10005",
        want: {
          state: "escalated",
          action: "review",
          reason: "escalated_case",
        },
      },
    ],
    untouched: ["ORD10005"],
    reviews: 2,
  },
  {
    name: "an angry email with an id",
    steps: [{
      body: "This is UNACCEPTABLE. Refund ORD10009 or my lawyer calls you.",
      want: {
        state: "escalated",
        action: "review",
        reason: "escalated_tone",
        orderId: "ORD10009",
      },
    }],
    untouched: ["ORD10009"],
    reviews: 1,
  },
  {
    name: "two ids in one email: ask which, then handle the one named",
    steps: [
      {
        body: "Please refund ORD10010 and ORD10011",
        want: {
          state: "awaiting_order_id",
          action: "reply",
          reason: "multiple_orders",
          orderId: null,
          replyHas: /more than one order \(ORD10010, ORD10011\)/,
        },
      },
      {
        body: "The second one: ORD10011",
        category: "Other",
        want: {
          state: "requested",
          action: "reply",
          reason: "refund_requested",
          orderId: "ORD10011",
        },
      },
    ],
    marked: ["ORD10011"],
    untouched: ["ORD10010"],
  },
  {
    name: "a person asked for after a not-owner reply",
    steps: [
      {
        from: MALLORY,
        body: "refund ORD10012",
        want: {
          state: "rejected_not_owner",
          action: "reply",
          reason: "not_owner",
        },
      },
      {
        from: MALLORY,
        body: "I want to speak to a manager",
        want: {
          state: "escalated",
          action: "review",
          reason: "human_requested",
        },
      },
    ],
    untouched: ["ORD10012"],
    attempts: 1,
    reviews: 1,
  },
  {
    name: "not-found then the right id; mixed-case owner and status",
    steps: [
      {
        from: "carol@example.com",
        body: "refund ORD19999",
        want: {
          state: "rejected_not_found",
          action: "reply",
          reason: "order_not_found",
        },
      },
      {
        from: " CAROL@example.COM ",
        body: "oops, ord-10014",
        category: "Other",
        want: {
          state: "requested",
          action: "reply",
          reason: "refund_requested",
        },
      },
    ],
    marked: ["ORD10014"],
    attempts: 1,
  },
  {
    name: "still no id: asked again, logged, then escalated",
    sender: "frank@example.com",
    steps: [
      {
        body: "refund please",
        want: {
          state: "awaiting_order_id",
          action: "reply",
          reason: "awaiting_order_id",
        },
      },
      {
        body: "I want my refund",
        want: {
          state: "awaiting_order_id",
          action: "reply",
          reason: "awaiting_order_id",
          replyHas: /still need your order number/,
        },
      },
      {
        body: "just refund it",
        want: {
          state: "awaiting_order_id",
          action: "reply",
          reason: "awaiting_order_id",
        },
      },
      {
        body: "refund!",
        want: {
          state: "escalated",
          action: "review",
          reason: "too_many_invalid_attempts",
        },
      },
    ],
    attempts: 3,
    reviews: 1,
  },
  {
    name: "not the refund flow: a question with an id, a doubtful refund",
    steps: [
      { body: "Where is ORD10001 now?", category: "Question", want: null },
      { body: "refund ORD10001?", confidence: 0.3, want: null },
    ],
  },
  {
    name: "a closed case ignores a non-refund follow-up",
    steps: [
      {
        body: "refund ORD10004",
        want: {
          state: "rejected_policy",
          action: "reply",
          reason: "ineligible_status",
        },
      },
      {
        body: "ok, what are your opening hours? ORD10004",
        category: "Question",
        want: null,
      },
    ],
  },
  {
    name: "a case a person refunded: every later email goes to a person",
    seed: "refunded",
    steps: [
      {
        body: "I want a refund for ORD10013 again",
        want: {
          state: "refunded",
          action: "review",
          reason: "decided_case",
        },
      },
      {
        body: "thanks! ORD10013",
        category: "Other",
        want: {
          state: "refunded",
          action: "review",
          reason: "decided_case",
        },
      },
    ],
    reviews: 2,
  },
  {
    name: "a case a person rejected: every later email goes to a person",
    seed: "rejected_by_person",
    steps: [
      {
        body: "I want a refund for ORD10013 again",
        want: {
          state: "rejected_by_person",
          action: "review",
          reason: "decided_case",
        },
      },
      {
        body: "thanks! ORD10013",
        category: "Other",
        want: {
          state: "rejected_by_person",
          action: "review",
          reason: "decided_case",
        },
      },
    ],
    reviews: 2,
  },
];

const REASON_EVENT: Record<string, RefundEventType> = {
  escalated_tone: "escalation",
  human_requested: "escalation",
  escalated_case: "escalation",
  decided_case: "escalation",
  awaiting_order_id: "missing_order_id",
  refund_requested: "eligible",
};

async function runScenario(
  store: Store,
  s: Scenario,
  n: number,
  covered: Set<string>,
) {
  const threadId = `thread-${n}`;
  const threadTexts: string[] = [];
  if (s.seed) {
    const saved = await store.refunds.saveCase({
      accountId: ACCOUNT.id,
      threadId,
      state: s.seed,
      customerEmail: ALICE,
      orderIds: ["ORD10013"],
      history: [{
        at: NOW,
        from: "escalated",
        to: s.seed,
        gmailId: `seed-${n}`,
        orderId: "ORD10013",
        note: "decided by a person",
        actor: "admin",
      }],
      createdAt: NOW,
      updatedAt: NOW,
      version: 1,
    }, 0);
    assert.ok(saved);
  }
  for (const [i, step] of s.steps.entries()) {
    const email = mail({
      from: step.from ?? s.sender ?? ALICE,
      name: "Alice Example",
      subject: i === 0 ? "Refund" : "Re: Refund",
      body: step.body,
      threadId,
      auth: step.auth,
    });
    const before = await store.refunds.getCase(ACCOUNT.id, threadId);
    const { plan } = await runRefund(store, email, {
      classification: classified(
        step.category ?? "Refund",
        step.confidence ?? 0.9,
      ),
      now: NOW,
      threadTexts: [...threadTexts],
    });
    threadTexts.push(step.body);
    const where = `${s.name}, step ${i + 1}`;
    if (step.want === null) {
      assert.equal(plan, null, where);
      continue;
    }
    assert.ok(plan, `${where}: expected a plan`);
    const d = plan.decision;
    assert.equal(d.reason, step.want.reason, where);
    assert.equal(d.action, step.want.action, where);
    assert.equal(d.category, "Refund", where);
    if (step.want.orderId !== undefined) {
      assert.equal(d.order_id, step.want.orderId, where);
    }
    if (step.want.replyHas) {
      assert.match(d.reply ?? "", step.want.replyHas, where);
    }
    if (d.action === "review") assert.equal(d.reply, null, where);
    if (d.reply) {
      assert.doesNotMatch(d.reply, /\{\w+\}|undefined|null/, where);
      threadTexts.push(d.reply);
    }
    const c = await store.refunds.getCase(ACCOUNT.id, threadId);
    assert.equal(c?.state, step.want.state, where);
    assert.equal(c?.version, (before?.version ?? 0) + 1, where);
    assert.equal(c?.history.at(-1)?.gmailId, email.id, where);
    covered.add(
      `${before?.state ?? "new"}|${REASON_EVENT[d.reason] ?? d.reason}`,
    );
  }
  for (const id of s.marked ?? []) {
    const o = await store.orders.get(id);
    assert.equal(o?.status, "refund_requested", `${s.name}: ${id} marked`);
    assert.equal(
      o?.refundRequestedAt?.getTime(),
      NOW.getTime(),
      `${s.name}: ${id}`,
    );
  }
  for (const id of s.untouched ?? []) {
    const o = await store.orders.get(id);
    assert.equal(
      o?.refundRequestedAt,
      null,
      `${s.name}: ${id} must not be marked`,
    );
  }
  if (s.attempts !== undefined) {
    const n = await store.refunds.countInvalidAttempts(
      { accountId: ACCOUNT.id, threadId },
      new Date(0),
    );
    assert.equal(n, s.attempts, `${s.name}: invalid attempts`);
  }
  const items = await store.review.openForThread(ACCOUNT.id, threadId);
  assert.equal(items.length, s.reviews ?? 0, `${s.name}: review items`);
  for (const it of items) {
    assert.ok(
      it.importance >= 3 && it.importance <= 5,
      `${s.name}: importance`,
    );
    assert.match(it.excerpt, /^\[Refund case: /);
    assert.ok(it.importanceReasons.some((r) => r.startsWith("refund:")));
  }
}

Deno.test("refund flow: every transition, on Deno KV and Postgres", async (t) => {
  await forEachStore(t, async (store) => {
    await store.orders.importAll(ORDERS);
    const covered = new Set<string>();
    for (const [n, s] of SCENARIOS.entries()) {
      await runScenario(store, s, n, covered);
    }
    const events = new Set([...covered].map((c) => c.split("|")[1]));
    const froms = new Set([...covered].map((c) => c.split("|")[0]));
    for (const e of REFUND_EVENTS) {
      assert.ok(events.has(e), `event ${e} not exercised`);
    }
    for (const f of FROM_STATES) {
      assert.ok(froms.has(f), `state ${f} never left`);
    }
  });
});

Deno.test("refund flow: the per-sender daily limit spans threads", async (t) => {
  await forEachStore(t, async (store) => {
    const run = (threadId: string, body: string, now: Date) =>
      runRefund(store, mail({ from: MALLORY, body, threadId }), {
        classification: classified("Refund"),
        now,
      });
    assert.equal(
      (await run("s1", "refund ORD90001", NOW)).plan?.decision.reason,
      "order_not_found",
    );
    assert.equal(
      (await run("s2", "refund ORD90002", NOW)).plan?.decision.reason,
      "order_not_found",
    );
    const third = await run("s3", "refund ORD90003", NOW);
    assert.equal(third.plan?.decision.reason, "too_many_invalid_attempts");
    // A day later the sender may try again.
    const later = new Date(NOW.getTime() + 25 * 3600_000);
    assert.equal(
      (await run("s4", "refund ORD90004", later)).plan?.decision.reason,
      "order_not_found",
    );
    const attempts = await store.refunds.listInvalidAttempts(10);
    assert.equal(attempts.length, 4);
    const a = attempts.find((x) => x.orderId === "ORD90001");
    assert.equal(a?.sender, MALLORY);
    assert.equal(a?.reason, "order_not_found");
    assert.equal(a?.excerpt, "refund ORD90001");
    assert.equal(a?.at.getTime(), NOW.getTime());
  });
});
