/**
 * Which emails are looked up in the knowledge base. The classifier is
 * trained on other people's wording and misses real questions ("Hi, I
 * bought my bike in April. Do I get a free service?" reads as Other to
 * it); the knowledge base is the stricter test. So an email classified
 * Question with confidence is answered as a question, and one classified
 * Other (or a Question below the confidence threshold) that asks something
 * in so many words, in its body or its subject, is answered only when the
 * knowledge base covers every ask; otherwise it keeps its review reason. Refunds never take this path:
 * they have their own flow; but a Refund in name only, with no refund
 * wording (`refund_wording.ts`), was not taken by that flow and is read
 * like Other.
 * @module
 */
import { withoutReplyPrefixes } from "../mail/reply_subject.ts";
import { hasExplicitAsk } from "../answer/asks.ts";
import { hasRefundWording } from "../refund/refund_wording.ts";
import type { Classification } from "../ports.ts";

/**
 * `question`: answer, or `no_kb_match` for a person; `asks`: answer only
 * when covered, else review with `reason`; null: review with `reason`.
 */
export type QuestionRoute =
  | { route: "question" }
  | { route: "asks" | null; reason: "low_confidence" | "needs_human" };

/** The route of an email by its classification and its wording. */
export function questionRoute(
  c: Classification,
  threshold: number,
  email: { subject: string; body: string },
): QuestionRoute {
  const sure = c.confidence >= threshold;
  if (c.category === "Question" && sure) return { route: "question" };
  const reason = sure ? "needs_human" : "low_confidence";
  // A Refund that speaks of a refund stays with a person when the refund
  // flow left it (unsure); one with no refund wording was never the refund
  // flow's (it opens no case) and is read like Other below.
  if (
    c.category === "Refund" &&
    hasRefundWording(`${email.subject}\n${email.body}`)
  ) {
    return { route: null, reason };
  }
  // The subject may hold the ask ("Can I send a bike back?", empty body).
  const subject = withoutReplyPrefixes(email.subject);
  const asks = hasExplicitAsk(`${subject}\n${email.body}`);
  return { route: asks ? "asks" : null, reason };
}
