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

/** True when two words differ by at most one edit (a transposition counts as one). */
function oneSlip(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] &&
      a.slice(i + 2) === b.slice(i + 2);
  }
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  return long.slice(i + 1) === short.slice(i);
}

/** True when the text speaks of a refund (see the module note). */
export function hasRefundWording(text: string): boolean {
  if (PHRASES.some((p) => p.test(text))) return true;
  // The phrasebook folds "send it back" to "return" and "money back" to
  // "refund" (index form), before the words are read.
  const words = indexWords(text);
  for (const [i, w] of words.entries()) {
    if (EXACT.has(w) || PREFIX.test(w)) return true;
    if (w.length >= 5 && STEMS.some((s) => oneSlip(w, s))) return true;
    if (MONEY.test(w)) {
      const near = words.slice(Math.max(0, i - 4), i + 5);
      if (near.includes("back") || near.includes("bak")) return true;
    }
  }
  return false;
}
