/**
 * Whether an email speaks of a refund in so many words. The classifier is
 * trained on other people's wording and calls plain questions Refund
 * ("Does the eSIM work on an iPhone 13?", "Can off-peak members come on
 * Saturdays?"); answering those with a request for an order number is a
 * wrong reply. So a first email opens a refund case only when it names an
 * order or uses refund wording: "refund" (and its common misspellings),
 * money or cash back, a rebate or restitution, a return, a replacement, a reimbursement, a
 * chargeback, compensation, a cancelled order, or something damaged,
 * faulty or missing. Pure.
 * @module
 */

import { words as indexWords } from "../knowledge/tokenize.ts";
import { editDistance } from "../knowledge/spelling.ts";

/** Words that speak of a refund, matched with one typing slip allowed. */
const STEMS = [
  "refund",
  "reimbursing",
  "refunds",
  "refunded",
  "refunding",
  "reimburse",
  "reimbursed",
  "reimbursement",
  "compensation",
  "compensate",
  "chargeback",
  "replacement",
  "return",
  "returns",
  "returned",
  "returning",
];

/** Words matched exactly. */
const EXACT = new Set([
  "replace",
  "damaged",
  "broken",
  "faulty",
  "defective",
  "refundable",
  "nonrefundable",
]);

/** Word beginnings that speak of a refund ("reimbursable", "restitution", "rebates"). */
const PREFIX = /^(?:refun|reimb|restitu|rebat)/;

/** Phrases of refund matters that no single word carries. */
const PHRASES: RegExp[] = [
  // "cancel my order", "an order cancellation", "call off order 123"
  /\b(?:cancel\w*|call off|annul\w*)\b(?:\s+\S+){0,5}?\s+(?:order\w*|orer|purchase|pruchase|bought)\b|\b(?:order|purchase)\s+cancel/i,
  // "my 49 euros back", "get the $45 back", "you still owe me"
  /(?:[$£€]\s?\d[\d.,]*|\d\s?(?:euros?|dollars?|pounds?|usd|eur|gbp)\b)(?:\s+\S+){0,1}?\s+back\b|\bowes?\s+me\b/i,
  // "charged twice", "double charged"
  /\bcharged\s+(?:me\s+)?(?:twice|double|two times)\b|\bdouble[- ]charged\b/i,
  // "never arrived", "hasn't arrived", "not received"
  /\b(?:never|not|hasn'?t|haven'?t|didn'?t|did not|has not|have not)\s+(?:yet\s+)?(?:arrived|received|come|came|turned up|shown up)\b/i,
  // "the wrong size", "wrong item"
  /\bwrong\s+(?:item|size|colou?r|product|order|thing|one)\b/i,
];

/** Words that, with "back" close by, speak of money returned. */
const MONEY = /^(?:mon+e+y|mone|moey|monye|cash|paid|payment|funds?)$/;

/** True when the text speaks of a refund (see the module note). */
export function hasRefundWording(text: string): boolean {
  if (PHRASES.some((p) => p.test(text))) return true;
  // The phrasebook folds "send it back" to "return" and "money back" to
  // "refund" (index form), before the words are read.
  const words = indexWords(text);
  for (const [i, w] of words.entries()) {
    if (EXACT.has(w) || PREFIX.test(w)) return true;
    if (w.length >= 5 && STEMS.some((s) => editDistance(w, s, 1) <= 1)) {
      return true;
    }
    if (MONEY.test(w)) {
      const near = words.slice(Math.max(0, i - 4), i + 5);
      if (near.includes("back") || near.includes("bak")) return true;
    }
  }
  return false;
}
