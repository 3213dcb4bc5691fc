/**
 * Decision reasons in words for the pages: each machine code (the Decision
 * JSON's `reason`) with a sentence a support person reads; the code stays
 * beside it so it can be searched and filtered.
 * @module
 */

const WORDS: Record<string, string> = {
  answered: "Answered from the knowledge base",
  no_kb_match: "No knowledge-base section answers it well enough",
  low_confidence: "The classifier was not sure what the email is about",
  needs_human: "Not a question or a refund: a person decides",
  human_requested: "The customer asked for a person",
  human_takeover: "A person already answers this thread",
  thread_in_review: "An earlier email of this thread waits for a person",
  escalated_tone: "Angry or urgent tone: handed to a person",
  escalated_case: "The refund case is already with a person",
  rate_limited: "This sender already got the most automatic replies for today",
  auto_submitted: "Sent by a machine (Auto-Submitted header)",
  bulk_precedence: "Bulk mail (Precedence header)",
  mailing_list: "Mailing-list mail",
  auto_reply_header: "An automatic reply (out of office)",
  bounce: "A bounce (delivery failure notice)",
  noreply_sender: "From a no-reply address",
  own_address: "Sent by this mailbox itself",
  no_sender: "The email has no sender",
  awaiting_order_id: "Asked the customer for the order number",
  multiple_orders: "Asked which one of several orders",
  order_not_found: "The order number is not in the orders database",
  not_owner: "The order belongs to another email address",
  too_many_invalid_attempts: "Too many wrong order numbers: handed to a person",
  outside_window: "The order is older than the refund window",
  ineligible_status: "The order's status does not allow a refund",
  over_limit: "Above the automatic refund limit: a person approves it",
  already_requested: "A refund was already requested for this order",
  refund_requested: "Refund request recorded and confirmed to the customer",
  decided_case: "A person already decided this refund case",
  classified_Refund: "Read as a refund request, not a question",
  classified_Other: "Read as neither a question nor a refund",
};

/** The reason in words, or null for an unknown code. */
export function reasonWords(code: string): string | null {
  return WORDS[code] ?? null;
}
