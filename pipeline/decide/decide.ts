/**
 * `decide()`: from a parsed email and everything known about it (loaded
 * before it by `load_context.ts`) to a Plan: a Decision plus the effects
 * that carry it out. No I/O: it reads no store and no mailbox, and changes
 * nothing (the worker applies the effects). The knowledge-base retriever it
 * is given searches an index held in memory. The optional LLM rewrite of an
 * answer runs after it, as its own step (`rewrite_step.ts`).
 * @module
 */
import {
  type AnswerConfig,
  answerQuestion,
} from "../answer/answer_question.ts";
import { type AckConfig, withAcknowledgement } from "./acknowledge.ts";
import { checkGuards } from "./guards.ts";
import { questionRoute } from "./question_route.ts";
import { scoreImportance } from "./importance.ts";
import type { Classification, Retriever } from "../ports.ts";
import { decideRefund, type RefundConfig } from "../refund/decide_refund.ts";
import type { RefundContext } from "../refund/refund_types.ts";
import type {
  Account,
  Category,
  Decision,
  Effect,
  ParsedEmail,
  Plan,
  ReplyMode,
} from "../types.ts";

/** Settings used by `decide`. */
export interface DecideConfig {
  replyMode: ReplyMode;
  classifyThreshold: number;
  maxAutoRepliesPerSender: number;
  answer: AnswerConfig;
  refund: RefundConfig;
  /** The acknowledgement when a thread goes to a person; absent: off. */
  acknowledgement?: AckConfig;
}

/**
 * Everything `decide` knows about the email, read before it
 * (`loadDecideContext`): plain data.
 */
export interface DecideContext {
  account: Account;
  now: Date;
  /** The classifier's verdict on the email. */
  classification: Classification;
  /** A person has replied in this thread from Gmail or the dashboard. */
  humanTakeover: boolean;
  /**
   * That takeover is marked on an earlier thread of the conversation only
   * (a changed subject started a new Gmail thread): the plan then copies the
   * mark to this thread (`mark_taken_over`). Default false.
   */
  takeoverInherited?: boolean;
  /** Auto replies to the sender's messages in the last 24 hours. */
  repliesToSenderLast24h: number;
  /**
   * Auto replies addressed in the last 24 hours to the most-mailed address
   * this email's reply could go to (its From or Reply-To). Default 0.
   */
  repliesToRecipientLast24h?: number;
  /** Messages from the sender in the last 7 days (any action), for importance. */
  fromSenderLast7d: number;
  /** How many review items of the thread are open. */
  openReviewItems: number;
  /**
   * The message whose acknowledgement the thread already got, or null
   * (read only when acknowledgements are on). Default null.
   */
  threadAcknowledgedBy?: string | null;
  /**
   * The refund flow's reads; null when a rule before the refund flow
   * settles the email (`settledBeforeRefund`), so none were needed.
   */
  refund: RefundContext | null;
}

/** What `decide` computes with (no store, no mailbox). */
export interface DecideDeps {
  retriever: Retriever;
  config: DecideConfig;
}

/** A plan, with what the optional rewrite step may rephrase. */
export interface DecidedPlan extends Plan {
  /** For an answered question: the quoted knowledge-base sentences and sources. */
  answer?: { paragraphs: string[][]; sourceTitles: string[] };
}

const EXCERPT_CHARS = 280;

/** A person is asked for: "human", "agent", "real person" in a short reply. */
const HUMAN_REQUEST =
  /\b(human|real person|speak (?:to|with) (?:a|an|someone)|talk (?:to|with) (?:a|an|someone)|live agent|representative)\b/i;

/** True when the new text of the email asks for a person. */
export function asksForHuman(text: string): boolean {
  const t = text.trim();
  if (/^human[.!]?$/i.test(t)) return true;
  return HUMAN_REQUEST.test(t.slice(0, 500));
}

/**
 * The plan when a rule before the refund flow settles the email (a guard,
 * a person's takeover, an open review item in the thread), else null. The
 * context loader asks it first, to read the refund flow's data only when
 * it will be used.
 */
export function settledBeforeRefund(
  email: ParsedEmail,
  ctx: Omit<DecideContext, "refund">,
  config: DecideConfig,
): Plan | null {
  const { classification } = ctx;
  const guard = checkGuards(email, {
    accountEmail: ctx.account.email,
    repliesToSenderLast24h: ctx.repliesToSenderLast24h,
    repliesToRecipientLast24h: ctx.repliesToRecipientLast24h ?? 0,
    maxRepliesPerSender: config.maxAutoRepliesPerSender,
  });
  const review = (reason: string) =>
    reviewPlan(email, ctx, config, {
      category: classification.category,
      confidence: classification.confidence,
      reason,
    });
  if (guard) {
    if (guard.action === "review") return review(guard.reason);
    return {
      decision: {
        category: classification.category,
        confidence: classification.confidence,
        action: "ignore",
        reply: null,
        sources: [],
        order_id: null,
        importance: null,
        reason: guard.reason,
      },
      effects: [],
    };
  }
  // A person answered in this thread: the new email waits for that person.
  // Their reply itself resolved the items open then (the worker and the
  // dashboard do it when it is sent); a later customer email resolves
  // nothing, as no one has answered it yet.
  if (ctx.humanTakeover) return review("human_takeover");
  if (ctx.openReviewItems > 0) return review("thread_in_review");
  return null;
}

/**
 * Decides what to do with one email; a plan that hands the thread to a
 * person may carry the acknowledgement (acknowledge.ts). Whatever the
 * decision, a takeover inherited from an earlier thread is copied to this
 * one (an effect).
 */
export async function decide(
  email: ParsedEmail,
  ctx: DecideContext,
  deps: DecideDeps,
): Promise<DecidedPlan> {
  const cfg = deps.config;
  const plan = withAcknowledgement(
    email,
    await decidePlan(email, ctx, deps),
    {
      account: ctx.account,
      replyMode: cfg.replyMode,
      threadAcknowledgedBy: ctx.threadAcknowledgedBy ?? null,
      repliesToSenderLast24h: ctx.repliesToSenderLast24h,
      repliesToRecipientLast24h: ctx.repliesToRecipientLast24h ?? 0,
      maxAutoRepliesPerSender: cfg.maxAutoRepliesPerSender,
    },
    cfg.acknowledgement,
  );
  if (!ctx.takeoverInherited) return plan;
  const mark: Effect = {
    type: "mark_taken_over",
    accountId: ctx.account.id,
    threadId: email.threadId,
  };
  return { ...plan, effects: [...plan.effects, mark] };
}

async function decidePlan(
  email: ParsedEmail,
  ctx: DecideContext,
  deps: DecideDeps,
): Promise<DecidedPlan> {
  const { account, classification } = ctx;
  const cfg = deps.config;
  const replyAction = (account.replyMode ?? cfg.replyMode) === "draft"
    ? "draft"
    : "reply";
  const body = email.cleanText;
  const review = (
    reason: string,
    extra: Partial<Pick<Decision, "sources" | "suggested_reply">> = {},
    category: Category = classification.category,
  ) =>
    reviewPlan(email, ctx, cfg, {
      category,
      confidence: classification.confidence,
      reason,
      ...extra,
    });

  const settled = settledBeforeRefund(email, ctx, cfg);
  if (settled) return settled;

  // The refund flow escalates its own threads (angry tone, a person asked for).
  if (ctx.refund === null) {
    throw new TypeError(
      "Cannot decide as the refund context was not loaded: build the context with loadDecideContext",
    );
  }
  const refundPlan = decideRefund(
    { email, account, classification, now: ctx.now },
    ctx.refund,
    cfg.refund,
  );
  if (refundPlan) return withAction(refundPlan, replyAction, email, account);

  if (asksForHuman(body)) return review("human_requested");
  const route = questionRoute(classification, cfg.classifyThreshold, {
    subject: email.subject,
    body,
  });
  if (route.route === null) return review(route.reason);
  const answer = await answerQuestion(email, {
    retriever: deps.retriever,
    config: cfg.answer,
  });
  if (!answer.ok) {
    const extra = {
      sources: answer.sources,
      ...(answer.suggestedReply
        ? { suggested_reply: answer.suggestedReply }
        : {}),
    };
    return route.route === "question"
      ? review("no_kb_match", extra, "Question")
      : review(route.reason, extra);
  }
  return {
    decision: {
      category: "Question",
      confidence: route.route === "question"
        ? Math.min(classification.confidence, answer.confidence)
        : answer.confidence,
      action: replyAction,
      reply: answer.reply,
      sources: answer.sources,
      order_id: null,
      importance: null,
      reason: "answered",
    },
    effects: [],
    answer: {
      paragraphs: answer.paragraphs,
      sourceTitles: answer.sourceTitles,
    },
  };
}

/** A review decision with its importance, and the review-queue effect. */
function reviewPlan(
  email: ParsedEmail,
  ctx: Omit<DecideContext, "refund">,
  cfg: DecideConfig,
  d: Pick<Decision, "category" | "confidence" | "reason"> & {
    sources?: Decision["sources"];
    suggested_reply?: string;
  },
): Plan {
  const sender = email.from?.address.toLowerCase() ?? "";
  const imp = scoreImportance({
    subject: email.subject,
    body: email.cleanText,
    senderAddress: sender,
    vipSenders: cfg.refund.vipSenders,
    priorFromSender: sender ? ctx.fromSenderLast7d : 0,
  });
  const decision: Decision = {
    category: d.category,
    confidence: d.confidence,
    action: "review",
    reply: null,
    sources: d.sources ?? [],
    order_id: null,
    importance: imp.score,
    importance_reasons: imp.reasons,
    reason: d.reason,
    ...(d.suggested_reply ? { suggested_reply: d.suggested_reply } : {}),
  };
  return { decision, effects: [reviewEffect(email, ctx.account, decision)] };
}

/** Sets the reply action (auto or draft) on a refund plan that replies. */
function withAction(
  plan: Plan,
  action: "reply" | "draft",
  email: ParsedEmail,
  account: Account,
): Plan {
  const d = plan.decision;
  const decision: Decision = d.action === "reply" || d.action === "draft"
    ? { ...d, action }
    : d;
  const effects = plan.effects.some((e) => e.type === "enqueue_review") ||
      decision.action !== "review"
    ? plan.effects
    : [...plan.effects, reviewEffect(email, account, decision)];
  return { decision, effects };
}

/** The review-queue effect for an email and its decision. */
export function reviewEffect(
  email: ParsedEmail,
  account: Account,
  decision: Decision,
): Effect {
  return {
    type: "enqueue_review",
    item: {
      accountId: account.id,
      gmailId: email.id,
      threadId: email.threadId,
      sender: email.from?.address ?? "(unknown sender)",
      subject: email.subject,
      excerpt: email.cleanText.slice(0, EXCERPT_CHARS),
      category: decision.category,
      importance: decision.importance ?? 3,
      importanceReasons: decision.importance_reasons ?? [],
      reason: decision.reason,
    },
  };
}
