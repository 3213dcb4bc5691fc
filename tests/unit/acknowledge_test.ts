/**
 * The acknowledgement decision (acknowledge.ts, through `decide()`): pure,
 * from plain data. Off unless enabled; only for a thread handed to a
 * person; never twice in a thread, never to machine mail, never over the
 * reply cap, never in draft mode; its text from the template.
 */
import assert from "node:assert/strict";
import { textEmail } from "../../eval/text_email.ts";
import {
  type AckConfig,
  ackTemplateProblems,
  DEFAULT_ACK_TEMPLATE,
  noAcknowledgementBecause,
  renderAcknowledgement,
  withoutAcknowledgement,
} from "../../pipeline/decide/acknowledge.ts";
import {
  decide,
  type DecideContext,
  type DecideDeps,
} from "../../pipeline/decide/decide.ts";
import type { Retriever } from "../../pipeline/ports.ts";
import type { Account, ParsedEmail, Plan } from "../../pipeline/types.ts";
import { outgoingOf } from "../../pipeline/worker/outgoing.ts";
import { decideConfig } from "../helpers/gmail_agent.ts";

const NOW = new Date("2026-11-30T12:00:00Z");
const ACCOUNT: Account = {
  id: "a1",
  email: "support@shop.example",
  status: "active",
  statusReason: null,
  replyMode: null,
  sandbox: false,
  createdAt: NOW,
  lastSyncAt: null,
  lastError: null,
};
const ON: AckConfig = {
  enabled: true,
  template: DEFAULT_ACK_TEMPLATE,
  hours: 24,
  signature: "The Support Team",
  shopName: "Northwind Goods",
};

/** A retriever that finds nothing (no knowledge-base match). */
const nothing: Retriever = { search: () => Promise.resolve([]) };

function ctx(over: Partial<DecideContext> = {}): DecideContext {
  return {
    account: ACCOUNT,
    now: NOW,
    classification: {
      category: "Other",
      confidence: 0.95,
      scores: { Question: 0.03, Refund: 0.02, Other: 0.95 },
    },
    humanTakeover: false,
    repliesToSenderLast24h: 0,
    repliesToRecipientLast24h: 0,
    fromSenderLast7d: 0,
    openReviewItems: 0,
    threadAcknowledgedBy: null,
    refund: {
      existing: null,
      threadTexts: [],
      earlierTexts: "not_loaded",
      orders: new Map(),
      invalidAttempts: null,
    },
    ...over,
  };
}

function deps(
  ack: AckConfig | undefined,
  replyMode: "auto" | "draft" = "auto",
) {
  return {
    retriever: nothing,
    config: { ...decideConfig({ replyMode }), acknowledgement: ack },
  } satisfies DecideDeps;
}

const partnership = (over: Partial<ParsedEmail> = {}) =>
  textEmail("We would like to discuss a partnership with your company.", {
    subject: "Partnership",
    ...over,
  });

Deno.test("decide(): no acknowledgement unless enabled (off by default)", async () => {
  for (const ack of [undefined, { ...ON, enabled: false }]) {
    const d = (await decide(partnership(), ctx(), deps(ack))).decision;
    assert.equal(d.action, "review");
    assert.equal(d.acknowledgement, undefined);
  }
});

Deno.test("decide(): a thread handed to a person gets the templated acknowledgement", async () => {
  const plan = await decide(partnership(), ctx(), deps(ON));
  assert.equal(plan.decision.action, "review");
  assert.equal(plan.decision.reason, "needs_human");
  assert.equal(plan.decision.reply, null);
  assert.equal(
    plan.decision.acknowledgement,
    "Hello Jane,\n\nThank you for your message. A member of our team will answer within 24 hours.\n\nKind regards,\nThe Support Team",
  );
  assert.deepEqual(outgoingOf(plan.decision), {
    text: plan.decision.acknowledgement,
    mode: "reply",
    acknowledgement: true,
  });
  // A question the knowledge base cannot answer, and a person asked for.
  const q = await decide(
    textEmail("Do you sell gift cards for the ski season?", {
      subject: "Gift cards",
    }),
    ctx({
      classification: {
        category: "Question",
        confidence: 0.95,
        scores: { Question: 0.95, Refund: 0.02, Other: 0.03 },
      },
    }),
    deps(ON),
  );
  assert.equal(q.decision.reason, "no_kb_match");
  assert.equal(typeof q.decision.acknowledgement, "string");
  const human = await decide(
    textEmail("human", { subject: "Re: your answer" }),
    ctx(),
    deps(ON),
  );
  assert.equal(human.decision.reason, "human_requested");
  assert.equal(typeof human.decision.acknowledgement, "string");
});

Deno.test("decide(): a thread already acknowledged by another message gets none; the same message keeps its own", async () => {
  const other = await decide(
    partnership({ id: "m2" }),
    ctx({ threadAcknowledgedBy: "m1", openReviewItems: 1 }),
    deps(ON),
  );
  assert.equal(other.decision.reason, "thread_in_review");
  assert.equal(other.decision.acknowledgement, undefined);
  // A retry deciding again (a conflict) keeps the message's own claim.
  const same = await decide(
    partnership({ id: "m1" }),
    ctx({ threadAcknowledgedBy: "m1" }),
    deps(ON),
  );
  assert.equal(typeof same.decision.acknowledgement, "string");
});

Deno.test("decide(): no acknowledgement at the reply cap, to machine mail, to a no-reply sender or in draft mode", async () => {
  const atCap = await decide(
    partnership(),
    ctx({ repliesToSenderLast24h: 3 }),
    deps(ON),
  );
  assert.equal(atCap.decision.reason, "rate_limited");
  assert.equal(atCap.decision.acknowledgement, undefined);
  const recipientAtCap = await decide(
    partnership(),
    ctx({ repliesToRecipientLast24h: 3 }),
    deps(ON),
  );
  assert.equal(recipientAtCap.decision.acknowledgement, undefined);
  const bulk = await decide(
    partnership({ headers: { precedence: "bulk" } }),
    ctx(),
    deps(ON),
  );
  assert.equal(bulk.decision.action, "ignore");
  assert.equal(bulk.decision.acknowledgement, undefined);
  const noreply = await decide(
    partnership({ from: { address: "no-reply@partner.test", name: "" } }),
    ctx(),
    deps(ON),
  );
  assert.equal(noreply.decision.acknowledgement, undefined);
  const draftAccount = await decide(
    partnership(),
    ctx({ account: { ...ACCOUNT, replyMode: "draft" } }),
    deps(ON),
  );
  assert.equal(draftAccount.decision.action, "review");
  assert.equal(draftAccount.decision.acknowledgement, undefined);
  const draftDefault = await decide(partnership(), ctx(), deps(ON, "draft"));
  assert.equal(draftDefault.decision.acknowledgement, undefined);
  const takenOver = await decide(
    partnership(),
    ctx({ humanTakeover: true }),
    deps(ON),
  );
  assert.equal(takenOver.decision.reason, "human_takeover");
  assert.equal(takenOver.decision.acknowledgement, undefined);
});

Deno.test("noAcknowledgementBecause(): the guard's own reason for an auto-reply header even on a review plan", () => {
  const plan: Plan = {
    decision: {
      category: "Other",
      confidence: 0.9,
      action: "review",
      reply: null,
      sources: [],
      order_id: null,
      importance: 3,
      reason: "needs_human",
    },
    effects: [],
  };
  const ackCtx = {
    account: ACCOUNT,
    replyMode: "auto" as const,
    threadAcknowledgedBy: null,
    repliesToSenderLast24h: 0,
    repliesToRecipientLast24h: 0,
    maxAutoRepliesPerSender: 3,
  };
  assert.equal(noAcknowledgementBecause(partnership(), plan, ackCtx, ON), null);
  assert.equal(
    noAcknowledgementBecause(
      partnership({ headers: { "auto-submitted": "auto-replied" } }),
      plan,
      ackCtx,
      ON,
    ),
    "guard:auto_submitted",
  );
  assert.equal(
    noAcknowledgementBecause(
      partnership(),
      { ...plan, decision: { ...plan.decision, action: "reply", reply: "x" } },
      ackCtx,
      ON,
    ),
    "not_for_a_person",
  );
  const acked = {
    ...plan,
    decision: { ...plan.decision, acknowledgement: "Thanks" },
  };
  assert.equal(
    withoutAcknowledgement(acked).decision.acknowledgement,
    undefined,
  );
  assert.equal(outgoingOf(withoutAcknowledgement(acked).decision), null);
});

Deno.test("renderAcknowledgement(): placeholders filled; unknown ones reported by ackTemplateProblems()", () => {
  const text = renderAcknowledgement(
    { from: { address: "x@y.test", name: "" } },
    {
      template: "Hi {name}, {shop} answers within {hours} h.\n{signature}",
      hours: 8,
      signature: "  Team  ",
      shopName: "Shop",
    },
  );
  assert.equal(text, "Hi there, Shop answers within 8 h.\nTeam");
  assert.deepEqual(ackTemplateProblems(DEFAULT_ACK_TEMPLATE), []);
  assert.deepEqual(ackTemplateProblems("Within {hour} hours {hour}"), [
    "uses unknown placeholder {hour} (known: {name}, {hours}, {shop}, {signature})",
  ]);
});
