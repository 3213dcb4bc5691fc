/**
 * Test helpers for the refund flow: emails, classifications, a config, and
 * the refund flow's load-then-decide, and a worker-like loop that runs it +
 * `applyEffects` and decides again on a conflict (as the Gmail worker does).
 * @module
 */
import type { Classification, Store } from "../../pipeline/ports.ts";
import type {
  Account,
  Category,
  Order,
  ParsedEmail,
  Plan,
} from "../../pipeline/types.ts";
import { applyEffects } from "../../pipeline/worker/apply_effects.ts";
import {
  decideRefund,
  loadRefundContext,
  type RefundConfig,
  type RefundDeps,
  type RefundInput,
  type RefundSources,
} from "../../pipeline/refund/decide_refund.ts";
import { textEmail } from "../../eval/text_email.ts";

/** The shop's mailbox. */
export const ACCOUNT: Account = {
  id: "acc-refund-test",
  email: "support@shop.test",
  status: "active",
  statusReason: null,
  replyMode: null,
  sandbox: false,
  createdAt: new Date("2026-01-01T00:00:00Z"),
  lastSyncAt: null,
  lastError: null,
};

/** A config like the defaults: 30 days, delivered/shipped, 200, 3 attempts. */
export function refundConfig(over: Partial<RefundConfig> = {}): RefundConfig {
  return {
    windowDays: 30,
    eligibleStatuses: ["delivered", "shipped"],
    autoLimit: 200,
    maxInvalidAttempts: 3,
    orderIdPattern: null,
    vipSenders: [],
    templates: {},
    signature: "The Support Team",
    shopName: "Test Shop",
    minConfidence: 0.5,
    ...over,
  };
}

/** A classification of `category` with `confidence`. */
export function classified(
  category: Category,
  confidence = 0.9,
): Classification {
  const rest = (1 - confidence) / 2;
  const scores = { Question: rest, Refund: rest, Other: rest };
  scores[category] = confidence;
  return { category, confidence, scores };
}

let seq = 0;

/**
 * The Authentication-Results Gmail's MX puts on top of mail from `from`:
 * "pass" (DKIM, SPF and DMARC aligned), "fail", "none"; "missing" is none.
 */
export function gmailAuthResults(
  from: string,
  outcome: "pass" | "fail" | "none" | "missing",
): string[] {
  const domain = from.slice(from.lastIndexOf("@") + 1);
  if (outcome === "missing") return [];
  if (outcome === "none") {
    return [`mx.google.com; spf=none smtp.mailfrom=${from}`];
  }
  return [
    `mx.google.com; dkim=${outcome} header.i=@${domain} header.s=s1; spf=${outcome} smtp.mailfrom=${from}; dmarc=${outcome} (p=NONE) header.from=${domain}`,
  ];
}

/**
 * A parsed email as the worker hands it to `decide`; Gmail authenticated
 * its From unless `auth` says otherwise (or gives the headers, topmost first).
 */
export function mail(o: {
  from: string;
  name?: string;
  subject?: string;
  body: string;
  threadId: string;
  id?: string;
  replyTo?: string;
  auth?: "pass" | "fail" | "none" | "missing" | string[];
}): ParsedEmail {
  const id = o.id ?? `g${++seq}-${crypto.randomUUID().slice(0, 8)}`;
  return textEmail(o.body, {
    id,
    threadId: o.threadId,
    messageId: `<${id}@mail.test>`,
    from: { address: o.from, name: o.name ?? "" },
    replyTo: o.replyTo ? { address: o.replyTo, name: "" } : null,
    to: [{ address: ACCOUNT.email, name: "" }],
    subject: o.subject ?? "Refund",
    headers: { from: o.name ? `"${o.name}" <${o.from}>` : o.from },
    authenticationResults: Array.isArray(o.auth)
      ? o.auth
      : gmailAuthResults(o.from, o.auth ?? "pass"),
    labelIds: ["INBOX"],
  });
}

/** An order. */
export function order(
  orderId: string,
  customerEmail: string,
  o: Partial<Order> = {},
): Order {
  return {
    orderId,
    customerEmail,
    orderDate: new Date("2026-03-20"),
    amount: 50,
    status: "delivered",
    refundRequestedAt: null,
    ...o,
  };
}

/** What one worker run did. */
export interface RunResult {
  plan: Plan | null;
  /** How many times the plan had to be decided again after a conflict. */
  redecided: number;
}

/**
 * Loads the refund context through `deps` (recording nothing) and decides
 * on it, as the worker's context loader and `decide()` do.
 */
export async function loadAndDecideRefund(
  input: RefundInput & RefundSources,
  deps: RefundDeps,
): Promise<Plan | null> {
  const ctx = await loadRefundContext(input, input, deps);
  return decideRefund(input, ctx, deps.config);
}

/**
 * Decides and applies like the worker: on a conflict, decide again with
 * fresh reads (at most 5 times).
 */
export async function runRefund(
  store: Store,
  email: ParsedEmail,
  o: {
    classification: Classification;
    now: Date;
    config?: RefundConfig;
    threadTexts?: string[];
    /** Runs between deciding and applying (to line up a race). */
    beforeApply?: () => Promise<void>;
  },
): Promise<RunResult> {
  for (let redecided = 0; redecided < 5; redecided++) {
    const plan = await loadAndDecideRefund({
      email,
      account: ACCOUNT,
      classification: o.classification,
      threadTexts: o.threadTexts ?? [],
      now: o.now,
    }, {
      refunds: store.refunds,
      orders: store.orders,
      config: o.config ?? refundConfig(),
    });
    if (redecided === 0 && o.beforeApply) await o.beforeApply();
    if (!plan) return { plan, redecided };
    const res = await applyEffects(plan.effects, { store, now: o.now });
    if (!res.conflict) return { plan, redecided };
  }
  throw new Error("Cannot settle the refund plan: it conflicted five times");
}
