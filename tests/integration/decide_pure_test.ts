/**
 * `decide()` does no I/O: with its context loaded first (from a real
 * store), it decides a question, a refund with an order id and an other
 * email while every store method it is handed throws.
 */
import assert from "node:assert/strict";
import { textEmail } from "../../eval/text_email.ts";
import { decide, type DecideDeps } from "../../pipeline/decide/decide.ts";
import { loadDecideContext } from "../../pipeline/decide/load_context.ts";
import type { Store } from "../../pipeline/ports.ts";
import type { Decision, ParsedEmail } from "../../pipeline/types.ts";
import { decideConfig } from "../helpers/gmail_agent.ts";
import { gmailAuthResults } from "../helpers/refund_fixtures.ts";
import { understandingForTests } from "../helpers/gmail_understanding.ts";
import { openKvTestStore } from "../helpers/stores.ts";

const NOW = new Date("2026-11-30T12:00:00Z");
/** Gmail's verdict on textEmail()'s sender, jane@example.com. */
const PASS = gmailAuthResults("jane@example.com", "pass");

/** A Store whose every method throws, naming the call. */
function throwingStore(): Store {
  const part = (name: string) =>
    new Proxy({}, {
      get: (_t, method) => () => {
        throw new Error(`decide() called store.${name}.${String(method)}`);
      },
    });
  return new Proxy({} as Store, { get: (_t, name) => part(String(name)) });
}

Deno.test("decide() decides with a store whose every method throws", async (t) => {
  const s = await openKvTestStore();
  try {
    const u = await understandingForTests();
    const config = decideConfig();
    const account = await s.store.accounts.upsert({
      email: "support@shop.example",
      tokens: { accessToken: null, refreshToken: "x", expiryDate: null },
    });
    await s.store.orders.importAll([{
      orderId: "ORD10001",
      customerEmail: "jane@example.com",
      orderDate: new Date(NOW.getTime() - 5 * 86_400_000),
      amount: 49.99,
      status: "delivered",
      refundRequestedAt: null,
    }]);
    const throwing = throwingStore();
    // The old decide() read these ports from its deps: handed in, they throw.
    const deps: DecideDeps = Object.assign(
      { retriever: u.retriever, config },
      {
        store: throwing,
        ledger: throwing.ledger,
        review: throwing.review,
        refunds: throwing.refunds,
        orders: throwing.orders,
      },
    );
    const run = async (email: ParsedEmail): Promise<Decision> => {
      const ctx = await loadDecideContext(email, {
        account,
        now: NOW,
        thread: { humanTakeover: false, threadTexts: [] },
      }, { classifier: u.classifier, config, store: s.store });
      return (await decide(email, ctx, deps)).decision;
    };

    await t.step("a question is answered from the knowledge base", async () => {
      const d = await run(textEmail(
        "Hello, how long does standard shipping take?",
        { id: "q1", threadId: "q1", subject: "Shipping time" },
      ));
      assert.deepEqual([d.category, d.action, d.reason], [
        "Question",
        "reply",
        "answered",
      ]);
      assert.match(d.reply ?? "", /3 to 5 business days/);
    });

    await t.step(
      "a refund with an order id is granted from the loaded order",
      async () => {
        const d = await run(textEmail(
          "Hi, I would like a refund for order ORD10001, it arrived broken.",
          {
            id: "r1",
            threadId: "r1",
            subject: "Refund request",
            authenticationResults: PASS,
          },
        ));
        assert.deepEqual([d.category, d.action, d.reason, d.order_id], [
          "Refund",
          "reply",
          "refund_requested",
          "ORD10001",
        ]);
      },
    );

    await t.step("an other email goes to a person", async () => {
      const d = await run(textEmail(
        "Hi, we are a marketing agency and would love to partner with your brand on a campaign.",
        { id: "o1", threadId: "o1", subject: "Partnership" },
      ));
      assert.equal(d.category, "Other");
      assert.equal(d.action, "review");
    });
  } finally {
    await s.close();
  }
});

Deno.test("decide() refuses a context without the refund flow's reads", async () => {
  const u = await understandingForTests();
  const config = decideConfig();
  const email = textEmail("Please refund order ORD10001.", {
    subject: "Refund",
    authenticationResults: PASS,
  });
  const ctx = {
    account: {
      id: "a1",
      email: "support@shop.example",
      status: "active" as const,
      statusReason: null,
      replyMode: null,
      sandbox: false,
      createdAt: NOW,
      lastSyncAt: null,
      lastError: null,
    },
    now: NOW,
    classification: u.classifier.classify({
      subject: email.subject,
      body: email.cleanText,
    }),
    humanTakeover: false,
    repliesToSenderLast24h: 0,
    fromSenderLast7d: 0,
    openReviewItems: 0,
    refund: null,
  };
  await assert.rejects(
    decide(email, ctx, { retriever: u.retriever, config }),
    TypeError,
  );
  const refund = {
    existing: null,
    threadTexts: [],
    earlierTexts: "unavailable" as const,
    orders: new Map(),
    invalidAttempts: null,
  };
  await assert.rejects(
    decide(email, { ...ctx, refund }, { retriever: u.retriever, config }),
    /lacks order/,
  );
});
