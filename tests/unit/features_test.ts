/**
 * featurize and wordFeatures (summed over reused typed arrays) give exactly
 * the vectors the Map-based version gave: the same indices in the same
 * order and the same values, bit for bit, over the bundled training
 * examples and generated texts; and a call leaves nothing behind for the
 * next one.
 */
import assert from "node:assert/strict";
import {
  featurize,
  HAND,
  hash,
  HASH_BITS,
  type SparseVector,
  wordFeatures,
  wordsOf,
} from "../../pipeline/classify/features.ts";

const MASK = (1 << HASH_BITS) - 1;

/** The Map-based featurize, as it was before the typed arrays. */
function featurizeWithMaps(text: string): SparseVector {
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
  const local = new Map<number, number>();
  let total = 0;
  for (const w of ws) {
    const p = ` ${w} `;
    for (let n = 3; n <= 4; n++) {
      for (let i = 0; i + n <= p.length; i++) {
        // The substring's own hash: featurize hashes in place, no substring.
        const h = hash(p.slice(i, i + n), 3);
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
      val.push(0.1);
    }
  });
  idx.push(MASK + 1 + HAND.length);
  val.push(1);
  return { idx: Int32Array.from(idx), val: Float32Array.from(val) };
}

/** The Map-based wordFeatures, as it was before the typed arrays. */
function wordFeaturesWithMaps(text: string): SparseVector {
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

async function texts(): Promise<string[]> {
  const url = new URL(
    "../../pipeline/classify/training/classify_examples.jsonl",
    import.meta.url,
  );
  const rows = (await Deno.readTextFile(url)).trim().split("\n").map((l) =>
    JSON.parse(l) as { subject: string; body: string }
  );
  const out = rows.map((r) => `${r.subject}\n${r.body}`);
  let seed = 5;
  const rnd = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const pieces = [
    "refund",
    "order",
    "ORD12345",
    "?",
    "!",
    " ",
    "\n",
    "é",
    "don't",
    "2024",
    "ship ship ship",
    "中文",
    "",
    "a",
  ];
  for (let i = 0; i < 500; i++) {
    let t = "";
    const n = Math.floor(rnd() * 30);
    for (let k = 0; k < n; k++) {
      t += pieces[Math.floor(rnd() * pieces.length)] + (rnd() < 0.7 ? " " : "");
    }
    out.push(t);
  }
  return ["", " ", "?", ...out];
}

/** Asserts that `got` and `want` give the same vector for every text. */
async function assertSameVectors(
  got: (t: string) => SparseVector,
  want: (t: string) => SparseVector,
): Promise<void> {
  for (const t of await texts()) {
    const [g, w] = [got(t), want(t)];
    assert.deepEqual(g.idx, w.idx, JSON.stringify(t));
    assert.deepEqual(g.val, w.val, JSON.stringify(t));
  }
}

Deno.test("featurize: the same indices, in the same order, and the same values as the Map-based version", async () => {
  await assertSameVectors(featurize, featurizeWithMaps);
});

Deno.test("wordFeatures: the same indices, in the same order, and the same values as the Map-based version", async () => {
  await assertSameVectors(wordFeatures, wordFeaturesWithMaps);
});

Deno.test("featurize: a call leaves nothing for the next (the same text twice, between others, gives the same vector)", () => {
  const first = featurize("Where is my refund for order ORD12345?");
  featurize("completely different words here");
  wordFeatures("and some more");
  assert.deepEqual(
    featurize("Where is my refund for order ORD12345?"),
    first,
  );
});
