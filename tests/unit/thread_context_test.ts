import assert from "node:assert/strict";
import { buildThreadContext } from "../../pipeline/decide/thread_context.ts";
import type { ThreadMessage } from "../../pipeline/ports.ts";
import type { RefundDeps } from "../../pipeline/refund/decide_refund.ts";
import {
  ACCOUNT,
  classified,
  loadAndDecideRefund,
  mail,
  order,
  refundConfig,
} from "../helpers/refund_fixtures.ts";

const NOW = new Date("2026-03-31T12:00:00Z");

function fakeThread(messages: ThreadMessage[]) {
  const calls: string[] = [];
  return {
    calls,
    getThread: (id: string) => {
      calls.push(id);
      return Promise.resolve(messages);
    },
  };
}

/** Thread state where only the listed `accountId:threadId` are taken over. */
function fakeThreads(takenOver: string[] = []) {
  return {
    isTakenOver: (accountId: string, threadId: string) =>
      Promise.resolve(takenOver.includes(`${accountId}:${threadId}`)),
  };
}

const msg = (id: string, snippet: string, labelIds = ["INBOX"]) => ({
  id,
  labelIds,
  messageId: `<${id}@mail.test>`,
  snippet,
});

Deno.test("buildThreadContext", async (t) => {
  await t.step(
    "a first email costs no Gmail call and has no loader",
    async () => {
      const mb = fakeThread([]);
      const email = mail({ from: "a@x.test", body: "Hi", threadId: "t1" });
      const ctx = await buildThreadContext({ ...email, threadId: email.id }, {
        accountId: ACCOUNT.id,
        mailbox: mb,
        threads: fakeThreads(),
      });
      assert.equal(ctx.humanTakeover, false);
      assert.deepEqual(ctx.threadTexts, []);
      assert.equal(ctx.loadEarlierTexts, undefined);
      assert.deepEqual(mb.calls, []);
    },
  );

  await t.step(
    "the takeover comes from the store mark, not from Gmail",
    async () => {
      const mb = fakeThread([msg("h1", "A person wrote", ["SENT"])]);
      const email = mail({ from: "a@x.test", body: "Hi", threadId: "t2" });
      const marked = await buildThreadContext(email, {
        accountId: ACCOUNT.id,
        mailbox: mb,
        threads: fakeThreads([`${ACCOUNT.id}:t2`]),
      });
      assert.equal(marked.humanTakeover, true);
      const other = await buildThreadContext({ ...email, threadId: "t3" }, {
        accountId: ACCOUNT.id,
        mailbox: mb,
        threads: fakeThreads([`${ACCOUNT.id}:t2`]),
      });
      assert.equal(other.humanTakeover, false);
      assert.deepEqual(mb.calls, [], "no threads.get");
    },
  );

  await t.step(
    "a takeover of a thread the email replies to is inherited, not marked",
    async () => {
      const email = {
        ...mail({ from: "a@x.test", body: "Hi", threadId: "t5", id: "t5" }),
        inReplyTo: "<h1@mail.test>",
      };
      const ctx = await buildThreadContext(email, {
        accountId: ACCOUNT.id,
        mailbox: {
          getThread: () => Promise.resolve([]),
          findByMessageId: () =>
            Promise.resolve([{ id: "h1", threadId: "t2" }]),
        },
        threads: fakeThreads([`${ACCOUNT.id}:t2`]),
      });
      assert.deepEqual([ctx.humanTakeover, ctx.takeoverInherited], [
        true,
        true,
      ]);
    },
  );

  await t.step(
    "a follow-up's earlier texts are fetched once, when asked",
    async () => {
      const email = {
        ...mail({
          from: "a@x.test",
          body: "Refund please",
          threadId: "t4",
          id: "m3",
        }),
        text: "Refund please\n\n> my earlier words",
        cleanText: "Refund please",
      };
      const mb = fakeThread([
        msg("m1", "First message ORD11111"),
        msg("d1", "a draft", ["DRAFT"]),
        msg("m3", "this email"),
        msg("m4", "a later one"),
      ]);
      const ctx = await buildThreadContext(email, {
        accountId: ACCOUNT.id,
        mailbox: mb,
        threads: fakeThreads(),
      });
      assert.deepEqual(ctx.threadTexts, ["my earlier words"]);
      assert.deepEqual(mb.calls, []);
      const texts = await ctx.loadEarlierTexts!();
      assert.deepEqual(texts, ["First message ORD11111", "my earlier words"]);
      await ctx.loadEarlierTexts!();
      assert.deepEqual(mb.calls, ["t4"], "one threads.get, memoised");
    },
  );
});

function refundDeps(): RefundDeps {
  return {
    refunds: {
      getCase: () => Promise.resolve(null),
      countInvalidAttempts: () => Promise.resolve(0),
    },
    orders: {
      get: (id: string) =>
        Promise.resolve(
          id === "ORD55555" ? order("ORD55555", "kim@example.com") : null,
        ),
    },
    config: refundConfig(),
  };
}

Deno.test("loadRefundContext() fetches the earlier thread only when the case needs an order id", async (t) => {
  const loader = () => {
    const calls: number[] = [];
    return {
      calls,
      load: () => {
        calls.push(1);
        return Promise.resolve(["My order ORD55555 has not arrived"]);
      },
    };
  };

  await t.step(
    "a refund follow-up with no id finds it in the earlier message",
    async () => {
      const l = loader();
      const plan = await loadAndDecideRefund({
        email: mail({
          from: "kim@example.com",
          body: "I would like a refund for it please.",
          threadId: "r1",
        }),
        account: ACCOUNT,
        classification: classified("Refund"),
        threadTexts: [],
        loadEarlierTexts: l.load,
        now: NOW,
      }, refundDeps());
      assert.equal(plan?.decision.order_id, "ORD55555");
      assert.equal(l.calls.length, 1);
    },
  );

  await t.step("an id in the email itself costs no fetch", async () => {
    const l = loader();
    const plan = await loadAndDecideRefund({
      email: mail({
        from: "kim@example.com",
        body: "Please refund ORD55555.",
        threadId: "r2",
      }),
      account: ACCOUNT,
      classification: classified("Refund"),
      threadTexts: [],
      loadEarlierTexts: l.load,
      now: NOW,
    }, refundDeps());
    assert.equal(plan?.decision.order_id, "ORD55555");
    assert.equal(l.calls.length, 0);
  });

  await t.step(
    "an email the refund flow does not take costs no fetch",
    async () => {
      const l = loader();
      const plan = await loadAndDecideRefund({
        email: mail({
          from: "kim@example.com",
          body: "Do you ship to Canada?",
          threadId: "r3",
        }),
        account: ACCOUNT,
        classification: classified("Question"),
        threadTexts: [],
        loadEarlierTexts: l.load,
        now: NOW,
      }, refundDeps());
      assert.equal(plan, null);
      assert.equal(l.calls.length, 0);
    },
  );

  await t.step("an escalation needs no id and costs no fetch", async () => {
    const l = loader();
    const plan = await loadAndDecideRefund({
      email: mail({
        from: "kim@example.com",
        body: "Refund me now or I will call my lawyer and file a chargeback.",
        threadId: "r4",
      }),
      account: ACCOUNT,
      classification: classified("Refund"),
      threadTexts: [],
      loadEarlierTexts: l.load,
      now: NOW,
    }, refundDeps());
    assert.equal(plan?.decision.action, "review");
    assert.equal(l.calls.length, 0);
  });
});
