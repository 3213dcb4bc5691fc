/**
 * zod schema of `Effect`: checks effects read back from the ledger before
 * they are applied, and turns ISO date strings back into `Date`s (effects
 * that went through JSON).
 * @module
 */
import { z } from "zod";
import type { Effect } from "../types.ts";

const date = z.preprocess(
  (v) =>
    v && typeof v === "object" && !(v instanceof Date) && "$date" in v
      ? (v as { $date: unknown }).$date
      : v,
  z.coerce.date(),
);
const state = z.enum([
  "awaiting_order_id",
  "requested",
  "rejected_not_found",
  "rejected_not_owner",
  "rejected_policy",
  "escalated",
  "refunded",
  "rejected_by_person",
]);

const refundCase = z.object({
  accountId: z.string(),
  threadId: z.string(),
  state,
  customerEmail: z.string(),
  orderIds: z.array(z.string()),
  history: z.array(z.object({
    at: date,
    from: state.nullable(),
    to: state,
    gmailId: z.string(),
    orderId: z.string().nullable(),
    note: z.string(),
    actor: z.string().optional(),
    amount: z.number().optional(),
  })),
  createdAt: date,
  updatedAt: date,
  version: z.number().int().min(0),
});

const effect = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("save_refund_case"),
    refundCase,
    expectedVersion: z.number().int().min(0),
  }),
  z.object({ type: z.literal("mark_refund_requested"), orderId: z.string() }),
  z.object({
    type: z.literal("log_invalid_attempt"),
    attempt: z.object({
      accountId: z.string(),
      threadId: z.string(),
      gmailId: z.string(),
      sender: z.string(),
      orderId: z.string().nullable(),
      reason: z.enum([
        "order_not_found",
        "not_owner",
        "missing_order_id",
        "unverified_sender",
      ]),
      excerpt: z.string(),
      at: date,
    }),
  }),
  z.object({
    type: z.literal("enqueue_review"),
    item: z.object({
      accountId: z.string(),
      gmailId: z.string(),
      threadId: z.string(),
      sender: z.string(),
      subject: z.string(),
      excerpt: z.string(),
      category: z.enum(["Question", "Refund", "Other"]),
      importance: z.number().int().min(1).max(5),
      importanceReasons: z.array(z.string()),
      reason: z.string(),
    }),
  }),
  z.object({
    type: z.literal("resolve_thread_reviews"),
    accountId: z.string(),
    threadId: z.string(),
  }),
  z.object({
    type: z.literal("mark_taken_over"),
    accountId: z.string(),
    threadId: z.string(),
  }),
]);

/** Validates effects (e.g. read back from the ledger); throws a clear error. */
export function parseEffects(input: unknown): Effect[] {
  const r = z.array(effect).safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new TypeError(
      `Cannot apply the effects as they are malformed: ${
        issue ? `${issue.path.join(".")}: ${issue.message}` : "unknown problem"
      }`,
    );
  }
  return r.data as Effect[];
}
