/**
 * The acknowledgement: an optional, templated reply when a thread goes to a
 * person ("a member of our team will answer within 24 hours"), off unless
 * `ACK_ENABLED`. Pure: `decide` calls `withAcknowledgement` on every plan;
 * the worker sends it through the same exactly-once path as any reply and
 * claims the thread's one acknowledgement first (`ThreadStateStore`).
 *
 * Never for machine mail or a sender at the reply cap (the guards of
 * `guards.ts`, which count it like any automatic reply), never twice in a
 * thread, never in draft mode (nothing is sent there without a person),
 * never when a person already answers the thread.
 * @module
 */
import { checkGuards } from "./guards.ts";
import { greetingName } from "../refund/refund_plan.ts";
import type { Account, ParsedEmail, Plan, ReplyMode } from "../types.ts";

/** Placeholders an acknowledgement template may use. */
export const ACK_PLACEHOLDERS = ["name", "hours", "shop", "signature"] as const;

/** The built-in template. */
export const DEFAULT_ACK_TEMPLATE = `Hello {name},

Thank you for your message. A member of our team will answer within {hours} hours.

Kind regards,
{signature}`;

/** Settings of the acknowledgement. */
export interface AckConfig {
  enabled: boolean;
  /** The template; placeholders as `ACK_PLACEHOLDERS`. */
  template: string;
  /** The promised answer time, in hours. */
  hours: number;
  signature: string;
  shopName: string;
}

/**
 * Review reasons that get no acknowledgement: the sender is at the reply
 * cap (counted like any reply), the From names two addresses (whose is
 * it?), a person already answers the thread, or someone keeps trying order
 * numbers that are not theirs.
 */
const NO_ACK_REASONS: ReadonlySet<string> = new Set([
  "rate_limited",
  "ambiguous_sender",
  "human_takeover",
  "too_many_invalid_attempts",
]);

/** What `withAcknowledgement` knows about the email (plain data). */
export interface AckContext {
  account: Account;
  /** The decision's default reply mode (`REPLY_MODE`). */
  replyMode: ReplyMode;
  /** The message whose acknowledgement the thread already has, or null. */
  threadAcknowledgedBy: string | null;
  repliesToSenderLast24h: number;
  repliesToRecipientLast24h: number;
  maxAutoRepliesPerSender: number;
}

/** The acknowledgement's text for `email`. */
export function renderAcknowledgement(
  email: Pick<ParsedEmail, "from">,
  cfg: Pick<AckConfig, "template" | "hours" | "signature" | "shopName">,
): string {
  const vars: Record<string, string> = {
    name: greetingName(email.from?.name),
    hours: String(cfg.hours),
    shop: cfg.shopName,
    signature: cfg.signature.trim(),
  };
  return cfg.template.replace(
    /\{(\w+)\}/g,
    (whole, key: string) => Object.hasOwn(vars, key) ? vars[key]! : whole,
  );
}

/** Why a template cannot be used: unknown placeholders, one line each. */
export function ackTemplateProblems(template: string): string[] {
  const allowed: readonly string[] = ACK_PLACEHOLDERS;
  const out: string[] = [];
  for (const m of template.matchAll(/\{(\w+)\}/g)) {
    if (!allowed.includes(m[1] ?? "")) {
      out.push(
        `uses unknown placeholder {${m[1]}} (known: ${
          ACK_PLACEHOLDERS.map((p) => `{${p}}`).join(", ")
        })`,
      );
    }
  }
  return [...new Set(out)];
}

/**
 * Why `plan` gets no acknowledgement, or null when it gets one. Exported for
 * the tests and the page that explains a decision.
 */
export function noAcknowledgementBecause(
  email: ParsedEmail,
  plan: Plan,
  ctx: AckContext,
  cfg: AckConfig | undefined,
): string | null {
  if (!cfg?.enabled) return "disabled";
  const d = plan.decision;
  if (d.action !== "review" || d.reply !== null) return "not_for_a_person";
  if (NO_ACK_REASONS.has(d.reason)) return "reason";
  if ((ctx.account.replyMode ?? ctx.replyMode) === "draft") return "draft_mode";
  if (
    ctx.threadAcknowledgedBy !== null && ctx.threadAcknowledgedBy !== email.id
  ) return "thread_acknowledged";
  // The same guards as any automatic reply: machine mail, no-reply senders,
  // our own address, a From naming two addresses, the daily cap.
  const guard = checkGuards(email, {
    accountEmail: ctx.account.email,
    repliesToSenderLast24h: ctx.repliesToSenderLast24h,
    repliesToRecipientLast24h: ctx.repliesToRecipientLast24h,
    maxRepliesPerSender: ctx.maxAutoRepliesPerSender,
  });
  if (guard) return `guard:${guard.reason}`;
  return null;
}

/** `plan` with the acknowledgement on its decision when one is due. */
export function withAcknowledgement<P extends Plan>(
  email: ParsedEmail,
  plan: P,
  ctx: AckContext,
  cfg: AckConfig | undefined,
): P {
  if (noAcknowledgementBecause(email, plan, ctx, cfg) !== null) return plan;
  return {
    ...plan,
    decision: {
      ...plan.decision,
      acknowledgement: renderAcknowledgement(email, cfg!),
    },
  };
}

/** `plan` without an acknowledgement (another message of the thread has it). */
export function withoutAcknowledgement<P extends Plan>(plan: P): P {
  if (plan.decision.acknowledgement === undefined) return plan;
  const { acknowledgement: _, ...decision } = plan.decision;
  return { ...plan, decision };
}
