/**
 * Feature extraction for the classifier: hashed word unigrams and bigrams,
 * character 3–5-grams, and hand features for the signals that matter (order
 * ids, refund vocabulary, policy questions, question forms). Each group is
 * scaled to unit length so long and short emails weigh the same.
 * @module
 */

/** Size of the hashed feature space (a power of two). */
export const HASH_BITS = 16;
const MASK = (1 << HASH_BITS) - 1;

/** A sparse feature vector. */
export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

function hash(s: string, seed: number): number {
  let h = 2166136261 ^ seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) & MASK;
}

/** Order-id shapes: ORD12345, order #12345, purchase 732201349959. */
export const ORDER_ID_RE =
  /\b(?:ord[-_ ]?\d{3,}|(?:order|purchase|invoice|bill)\s*(?:n(?:o|um(?:ber)?)\.?\s*)?#?\s*\d{3,}|#\d{4,}|\d{7,})\b/i;

const HAND: Array<[string, RegExp]> = [
  ["order_id", ORDER_ID_RE],
  ["refund_word", /\b(refund\w*|reimburs\w*|money back|my money|reembolso)\b/i],
  [
    "money_back_ask",
    /\b(want|give|get|need|demand|return|send)\b[^.?!\n]{0,30}\b(money|refund)\b/i,
  ],
  ["refund_me", /\brefund (me|it|my|the|order|this)\b|\breimburse me\b/i],
  [
    "policy",
    /\b(polic(y|ies)|guarantee|conditions|circumstances|terms|rules|window)\b/i,
  ],
  [
    "policy_question",
    /\b(what|which|how long|how many|is there|do you)\b[^.?!\n]{0,40}\b(polic(y|ies)|guarantee|window|conditions)\b/i,
  ],
  ["question_mark", /\?/],
  [
    "starts_question",
    /^(?:\s*\S+\n)?\s*(how|what|when|where|which|why|can|could|do|does|is|are|will|would)\b/i,
  ],
  ["how_to", /\b(how (do|can|to)|where can|what do i have to)\b/i],
  [
    "cancel_order",
    /\bcancel\w*\b[^.?!\n]{0,25}\b(order|purchase|ord\d*)\b|\b(order|purchase)\b[^.?!\n]{0,25}\bcancel/i,
  ],
  [
    "cancel_account",
    /\bcancel\w*\b[^.?!\n]{0,25}\b(account|profile|subscription|newsletter)\b/i,
  ],
  ["fee_word", /\b(fee|fees|charge|charges|penalt\w*|cost)\b/i],
  [
    "waiting_refund",
    /\b(waiting|still|where|status|track|when)\b[^.?!\n]{0,40}\brefund/i,
  ],
  [
    "human_ask",
    /\b(human|real person|agent|representative|someone|operator|manager)\b/i,
  ],
  [
    "change_order",
    /\b(change|modify|edit|add|remove|swap|switch|replace)\b[^.?!\n]{0,30}\b(order|purchase)\b/i,
  ],
  [
    "buy",
    /\b(buy|purchase|place an? (new )?order|order (a|the|some|two|three|several))\b/i,
  ],
  [
    "thanks_praise",
    /\b(love|great|excellent|perfect|amazing|stars|recommend)\b/i,
  ],
  [
    "complaint",
    /\b(complain\w*|unacceptable|terrible|worst|disappointed|rude|claim)\b/i,
  ],
  [
    "marketing",
    /\b(partner\w*|sponsor\w*|collaborat\w*|seo|catalogue|influencer|journalist|cv|resume|position|unsubscribe from this)\b/i,
  ],
];

/** Value of a present hand feature. */
const HAND_WEIGHT = 0.1;

/** Number of hand features (they sit at the end of the hashed space). */
export const HAND_FEATURES = HAND.length;

/** Words of a text, lower-cased, digits folded to `0`. */
function wordsOf(text: string): string[] {
  return text.toLowerCase().replace(/['’]/g, "").replace(/\d+/g, "0").match(
    /[\p{L}0]+|[?!]/gu,
  ) ?? [];
}

/** Features of a cleaned text. */
export function featurize(text: string): SparseVector {
  const acc = new Map<number, number>();
  const group = (keys: string[], seed: number, weight: number) => {
    if (keys.length === 0) return;
    const local = new Map<number, number>();
    for (const k of keys) {
      const h = hash(k, seed);
      local.set(h, (local.get(h) ?? 0) + 1);
    }
    let norm = 0;
    for (const v of local.values()) norm += v * v;
    const scale = weight / Math.sqrt(norm);
    for (const [h, v] of local) acc.set(h, (acc.get(h) ?? 0) + v * scale);
  };
  const ws = wordsOf(text);
  group(ws, 1, 1);
  const bi: string[] = [];
  for (let i = 0; i + 1 < ws.length; i++) bi.push(ws[i] + " " + ws[i + 1]);
  group(bi, 2, 0.8);
  // Character 3–4-grams of " word ", hashed without building substrings.
  const local = new Map<number, number>();
  let total = 0;
  for (const w of ws) {
    const p = ` ${w} `;
    for (let n = 3; n <= 4; n++) {
      for (let i = 0; i + n <= p.length; i++) {
        let h = 2166136261 ^ 3;
        for (let j = i; j < i + n; j++) {
          h ^= p.charCodeAt(j);
          h = Math.imul(h, 16777619);
        }
        h = (h >>> 0) & MASK;
        local.set(h, (local.get(h) ?? 0) + 1);
      }
    }
  }
  for (const v of local.values()) total += v * v;
  const scale = 1 / Math.sqrt(total || 1);
  for (const [h, v] of local) acc.set(h, (acc.get(h) ?? 0) + v * scale);
  const idx: number[] = [];
  const val: number[] = [];
  for (const [h, v] of acc) {
    idx.push(h);
    val.push(v);
  }
  HAND.forEach(([, re], i) => {
    if (re.test(text)) {
      idx.push(MASK + 1 + i);
      val.push(HAND_WEIGHT);
    }
  });
  idx.push(MASK + 1 + HAND.length);
  val.push(1);
  return { idx: Int32Array.from(idx), val: Float32Array.from(val) };
}

/** Dimension of the feature space: hashed + hand + bias. */
export const FEATURE_DIM = MASK + 1 + HAND.length + 1;

/** Dimension of the shop/off-topic gate's features: hashed words + bias. */
export const WORD_FEATURE_DIM = MASK + 2;

/**
 * Word unigrams only (unit length) plus a bias: the features of the gate
 * that tells shop mail from off-topic text. Words, not character n-grams,
 * so it learns topics rather than the style of a source.
 */
export function wordFeatures(text: string): SparseVector {
  const local = new Map<number, number>();
  for (const w of wordsOf(text)) {
    if (w === "?" || w === "!") continue;
    const h = hash(w, 11);
    local.set(h, (local.get(h) ?? 0) + 1);
  }
  let norm = 0;
  for (const v of local.values()) norm += v * v;
  const scale = 1 / Math.sqrt(norm || 1);
  const idx = [...local.keys(), MASK + 1];
  const val = [...local.values()].map((v) => v * scale);
  val.push(1);
  return { idx: Int32Array.from(idx), val: Float32Array.from(val) };
}
