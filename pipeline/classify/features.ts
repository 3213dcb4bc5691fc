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

/** FNV-1a of a feature key with a seed, folded to `HASH_BITS`. */
export function hash(s: string, seed: number): number {
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

/** The hand features, in their order at the end of the hashed space. */
export const HAND: ReadonlyArray<readonly [string, RegExp]> = [
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
export function wordsOf(text: string): string[] {
  return text.toLowerCase().replace(/['’]/g, "").replace(/\d+/g, "0").match(
    /[\p{L}0]+|[?!]/gu,
  ) ?? [];
}

/**
 * Sums by hashed feature in first-seen order, over reused typed arrays (a
 * `Map<number, number>` per group allocated about 30 KB per email): the
 * same keys in the same order and the same sums, added in the same order,
 * as the maps gave.
 */
class Accumulator {
  readonly val = new Float64Array(MASK + 1);
  readonly seen = new Uint8Array(MASK + 1);
  keys = new Int32Array(256);
  size = 0;

  add(h: number, v: number): void {
    if (this.seen[h] === 0) {
      this.seen[h] = 1;
      this.val[h] = v;
      if (this.size === this.keys.length) {
        const grown = new Int32Array(this.size * 2);
        grown.set(this.keys);
        this.keys = grown;
      }
      this.keys[this.size++] = h;
    } else this.val[h]! += v;
  }

  /** Forgets every key (only those added are touched). */
  clear(): void {
    for (let i = 0; i < this.size; i++) this.seen[this.keys[i]!] = 0;
    this.size = 0;
  }
}

// featurize and wordFeatures are synchronous: one pair serves every call.
const ACC = new Accumulator();
const LOCAL = new Accumulator();

/** Adds `local`'s counts to `acc` scaled to length `weight`, then clears `local`. */
function addGroup(acc: Accumulator, local: Accumulator, weight: number): void {
  let norm = 0;
  for (let i = 0; i < local.size; i++) {
    const v = local.val[local.keys[i]!]!;
    norm += v * v;
  }
  const scale = weight / Math.sqrt(norm);
  for (let i = 0; i < local.size; i++) {
    const h = local.keys[i]!;
    acc.add(h, local.val[h]! * scale);
  }
  local.clear();
}

/** FNV-1a of `a + " " + b`, as `hash` gives it, without building the string. */
function hashPair(a: string, b: string, seed: number): number {
  let h = 2166136261 ^ seed;
  for (let i = 0; i < a.length; i++) {
    h ^= a.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  h ^= 0x20;
  h = Math.imul(h, 16777619);
  for (let i = 0; i < b.length; i++) {
    h ^= b.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) & MASK;
}

/** Features of a cleaned text. */
export function featurize(text: string): SparseVector {
  const acc = ACC;
  const local = LOCAL;
  try {
    const ws = wordsOf(text);
    if (ws.length > 0) {
      for (const w of ws) local.add(hash(w, 1), 1);
      addGroup(acc, local, 1);
    }
    if (ws.length > 1) {
      for (let i = 0; i + 1 < ws.length; i++) {
        local.add(hashPair(ws[i]!, ws[i + 1]!, 2), 1);
      }
      addGroup(acc, local, 0.8);
    }
    // Character 3–4-grams of " word ", hashed without building substrings.
    for (const w of ws) {
      const p = ` ${w} `;
      for (let n = 3; n <= 4; n++) {
        for (let i = 0; i + n <= p.length; i++) {
          let h = 2166136261 ^ 3;
          for (let j = i; j < i + n; j++) {
            h ^= p.charCodeAt(j);
            h = Math.imul(h, 16777619);
          }
          local.add((h >>> 0) & MASK, 1);
        }
      }
    }
    let total = 0;
    for (let i = 0; i < local.size; i++) {
      const v = local.val[local.keys[i]!]!;
      total += v * v;
    }
    const scale = 1 / Math.sqrt(total || 1);
    for (let i = 0; i < local.size; i++) {
      const h = local.keys[i]!;
      acc.add(h, local.val[h]! * scale);
    }
    const hand: number[] = [];
    HAND.forEach(([, re], i) => {
      if (re.test(text)) hand.push(i);
    });
    const n = acc.size + hand.length + 1;
    const idx = new Int32Array(n);
    const val = new Float32Array(n);
    for (let i = 0; i < acc.size; i++) {
      const h = acc.keys[i]!;
      idx[i] = h;
      val[i] = acc.val[h]!;
    }
    let k = acc.size;
    for (const i of hand) {
      idx[k] = MASK + 1 + i;
      val[k++] = HAND_WEIGHT;
    }
    idx[k] = MASK + 1 + HAND.length;
    val[k] = 1;
    return { idx, val };
  } finally {
    local.clear();
    acc.clear();
  }
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
  const local = LOCAL;
  try {
    for (const w of wordsOf(text)) {
      if (w === "?" || w === "!") continue;
      local.add(hash(w, 11), 1);
    }
    let norm = 0;
    for (let i = 0; i < local.size; i++) {
      const v = local.val[local.keys[i]!]!;
      norm += v * v;
    }
    const scale = 1 / Math.sqrt(norm || 1);
    const idx = new Int32Array(local.size + 1);
    const val = new Float32Array(local.size + 1);
    for (let i = 0; i < local.size; i++) {
      const h = local.keys[i]!;
      idx[i] = h;
      val[i] = local.val[h]! * scale;
    }
    idx[local.size] = MASK + 1;
    val[local.size] = 1;
    return { idx, val };
  } finally {
    local.clear();
  }
}
