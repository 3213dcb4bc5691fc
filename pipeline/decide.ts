/**
 * `decide()`: from a parsed email and its thread's state to a Plan (a
 * Decision plus the effects that carry it out). No I/O but through the ports
 * it is given, and it changes nothing: the worker applies the effects.
 * @module
 */
import { type AnswerConfig, answerQuestion } from "./answer/answer_question.ts";
import type { Llm } from "./llm/llm_port.ts";
import { rewriteReply } from "./llm/rewrite_reply.ts";
import { checkGuards } from "./guards.ts";
import { scoreImportance } from "./importance.ts";
import type {
  Classifier,
  LedgerStore,
  Orders,
  RefundStore,
  Retriever,
  ReviewStore,
} from "./ports.ts";
import { decideRefund, type RefundConfig } from "./refund/decide_refund.ts";
import type {
  Account,
  Category,
  Decision,
  Effect,
  ParsedEmail,
  Plan,
  ReplyMode,
} from "./types.ts";

/** Settings used by `decide`. */
export interface DecideConfig {
  replyMode: ReplyMode;
  classifyThreshold: number;
  maxAutoRepliesPerSender: number;
  answer: AnswerConfig;
  refund: RefundConfig;
}

/** What `decide` knows about the email's thread. */
export interface ThreadContext {
  /** A person has replied in this thread from Gmail or the dashboard. */
  humanTakeover: boolean;
  /** Text of earlier messages in the thread, oldest first. */
  threadTexts: string[];
  /**
   * All earlier text of the thread, oldest first (includes `threadTexts`),
   * fetched when called (a Gmail `threads.get`). Optional.
   */
  loadEarlierTexts?: () => Promise<string[]>;
}

/** The ports `decide` reads through. */
export interface DecideDeps {
  classifier: Classifier;
  retriever: Retriever;
  refunds: RefundStore;
  orders: Orders;
  ledger: Pick<LedgerStore, "countRepliesTo" | "countFrom">;
  review: Pick<ReviewStore, "openForThread">;
  config: DecideConfig;
  /** Optional model that may rephrase grounded answers (never invents them). */
  llm?: Llm | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;
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

/** Decides what to do with one email. */
export async function decide(
  email: ParsedEmail,
  ctx: { account: Account; thread: ThreadContext; now: Date },
  deps: DecideDeps,
): Promise<Plan> {
  const { account, now } = ctx;
  const cfg = deps.config;
  const sender = email.from?.address.toLowerCase() ?? "";
  const replyAction = (account.replyMode ?? cfg.replyMode) === "draft"
    ? "draft"
    : "reply";
  const body = email.cleanText;

  const since = new Date(now.getTime() - DAY_MS);
  const repliesToSender = sender
    ? await deps.ledger.countRepliesTo(account.id, sender, since)
    : 0;
  const guard = checkGuards(email, {
    accountEmail: account.email,
    repliesToSenderLast24h: repliesToSender,
    maxRepliesPerSender: cfg.maxAutoRepliesPerSender,
  });
  const classification = deps.classifier.classify({
    subject: email.subject,
    body,
  });

  const review = async (
    category: Category,
    confidence: number,
    reason: string,
    extra: Partial<Decision> = {},
  ): Promise<Plan> => {
    const prior = sender
      ? await deps.ledger.countFrom(
        account.id,
        sender,
        new Date(now.getTime() - 7 * DAY_MS),
      )
      : 0;
    const imp = scoreImportance({
      subject: email.subject,
      body,
      senderAddress: sender,
      vipSenders: cfg.refund.vipSenders,
      priorFromSender: prior,
    });
    const decision: Decision = {
      category,
      confidence,
      action: "review",
      reply: null,
      sources: [],
      order_id: null,
      importance: imp.score,
      importance_reasons: imp.reasons,
      reason,
      ...extra,
    };
    return { decision, effects: [reviewEffect(email, account, decision)] };
  };

  if (guard) {
    if (guard.action === "ignore") {
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
    return review(
      classification.category,
      classification.confidence,
      guard.reason,
    );
  }

  if (ctx.thread.humanTakeover) {
    // A person answered in this thread: the new email waits for that person.
    // Their reply itself resolved the items open then (the worker and the
    // dashboard do it when it is sent); a later customer email resolves
    // nothing, as no one has answered it yet.
    return review(
      classification.category,
      classification.confidence,
      "human_takeover",
    );
  }
  const open = await deps.review.openForThread(account.id, email.threadId);
  if (open.length > 0) {
    return review(
      classification.category,
      classification.confidence,
      "thread_in_review",
    );
  }
  // The refund flow escalates its own threads (angry tone, a person asked for).
  const refundPlan = await decideRefund(
    {
      email,
      account,
      classification,
      threadTexts: ctx.thread.threadTexts,
      loadEarlierTexts: ctx.thread.loadEarlierTexts,
      now,
    },
    { refunds: deps.refunds, orders: deps.orders, config: cfg.refund },
  );
  if (refundPlan) return withAction(refundPlan, replyAction, email, account);

  if (asksForHuman(body)) {
    return review(
      classification.category,
      classification.confidence,
      "human_requested",
    );
  }

  if (classification.confidence < cfg.classifyThreshold) {
    return review(
      classification.category,
      classification.confidence,
      "low_confidence",
    );
  }

  if (classification.category === "Question") {
    const answer = await answerQuestion(email, {
      retriever: deps.retriever,
      config: cfg.answer,
    });
    if (!answer.ok) {
      return review("Question", classification.confidence, "no_kb_match", {
        sources: answer.sources,
      });
    }
    // With an LLM configured, the grounded answer may be rephrased; the text
    // is used only when every sentence checks out against the quoted facts.
    let reply = answer.reply;
    if (deps.llm) {
      const r = await rewriteReply({
        email,
        paragraphs: answer.paragraphs,
        sourceTitles: answer.sourceTitles,
        signature: cfg.answer.signature,
      }, { llm: deps.llm });
      if (r.ok) reply = r.reply;
    }
    return {
      decision: {
        category: "Question",
        confidence: Math.min(classification.confidence, answer.confidence),
        action: replyAction,
        reply,
        sources: answer.sources,
        order_id: null,
        importance: null,
        reason: "answered",
      },
      effects: [],
    };
  }

  return review(
    classification.category,
    classification.confidence,
    "needs_human",
  );
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
