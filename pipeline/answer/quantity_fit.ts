/**
 * Numbers with units in an ask ("which size for 176 cm?", "I weigh 80 kg")
 * against the ranges a knowledge-base sentence gives ("from 170 to 180 cm a
 * size M", "up to 120 kg"): the sentence whose range holds the asked value
 * answers it. Lengths are compared in cm, weights in kg.
 * @module
 */

/** A measured value of the ask, in a base unit. */
export interface Quantity {
  dimension: "length" | "weight";
  value: number;
}

/** A range of a sentence, in a base unit; `max` may be Infinity. */
export interface QuantityRange {
  dimension: "length" | "weight";
  min: number;
  max: number;
}

const UNIT = String
  .raw`(cm|centimet(?:er|re)s?|mm|m|met(?:er|re)s?|kg|kgs|kilos?|kilograms?|lbs?|pounds?|in|inch(?:es)?|ft|feet|foot)\b`;
const NUM = String.raw`(\d+(?:[.,]\d+)?)`;

function toBase(
  value: number,
  unit: string,
): { dimension: Quantity["dimension"]; value: number } | null {
  const u = unit.toLowerCase();
  if (/^(cm|centimet)/.test(u)) return { dimension: "length", value };
  if (u === "mm") return { dimension: "length", value: value / 10 };
  if (/^(m|met)/.test(u)) return { dimension: "length", value: value * 100 };
  if (/^(in|inch)/.test(u)) return { dimension: "length", value: value * 2.54 };
  if (/^(ft|feet|foot)/.test(u)) {
    return { dimension: "length", value: value * 30.48 };
  }
  if (/^(kg|kilo)/.test(u)) return { dimension: "weight", value };
  if (/^(lb|pound)/.test(u)) {
    return { dimension: "weight", value: value * 0.4536 };
  }
  return null;
}

const num = (s: string) => Number(s.replace(",", "."));

/** The measured values an ask gives ("176 cm", "1.76 m", "5'9\"", "80 kg"). */
export function askQuantities(ask: string): Quantity[] {
  const out: Quantity[] = [];
  const text = ask.toLowerCase();
  for (
    const m of text.matchAll(
      /\b(\d)\s*(?:'|ft|feet|foot)\s*(\d{1,2})\s*(?:"|''|in\b|inch(?:es)?\b)?/g,
    )
  ) {
    out.push({
      dimension: "length",
      value: num(m[1]!) * 30.48 + num(m[2]!) * 2.54,
    });
  }
  const rest = text.replace(
    /\b(\d)\s*(?:'|ft|feet|foot)\s*(\d{1,2})\s*(?:"|''|in\b|inch(?:es)?\b)?/g,
    " ",
  );
  for (const m of rest.matchAll(new RegExp(`${NUM}\\s*${UNIT}`, "g"))) {
    const q = toBase(num(m[1]!), m[2]!);
    if (q) out.push(q);
  }
  return out;
}

/** The ranges a sentence gives: "from 170 to 180 cm", "170-180 cm", "up to 120 kg", "over 190 cm". */
export function sentenceRanges(sentence: string): QuantityRange[] {
  const out: QuantityRange[] = [];
  const text = sentence.toLowerCase();
  const between = new RegExp(
    `${NUM}\\s*(?:${UNIT})?\\s*(?:to|-|–|—|and)\\s*${NUM}\\s*${UNIT}`,
    "g",
  );
  let covered = text;
  for (const m of text.matchAll(between)) {
    const unit = m[4]!;
    const a = toBase(num(m[1]!), m[2] ?? unit);
    const b = toBase(num(m[3]!), unit);
    if (a && b && a.dimension === b.dimension) {
      out.push({
        dimension: a.dimension,
        min: Math.min(a.value, b.value),
        max: Math.max(a.value, b.value),
      });
      covered = covered.replace(m[0], " ".repeat(m[0].length));
    }
  }
  const open = new RegExp(
    `\\b(up to|under|below|less than|at most|max(?:imum)?|over|above|more than|from|at least|min(?:imum)?)\\s+${NUM}\\s*${UNIT}`,
    "g",
  );
  for (const m of covered.matchAll(open)) {
    const q = toBase(num(m[2]!), m[3]!);
    if (!q) continue;
    const upper = /^(up to|under|below|less than|at most|max)/.test(m[1]!);
    out.push({
      dimension: q.dimension,
      min: upper ? 0 : q.value,
      max: upper ? q.value : Infinity,
    });
  }
  return out;
}

/**
 * +1 when a range of the sentence holds a value the ask gives, -1 when the
 * sentence has ranges of that kind but none holds it, 0 otherwise.
 */
export function quantityFit(asked: Quantity[], sentence: string): number {
  if (asked.length === 0) return 0;
  const ranges = sentenceRanges(sentence);
  let seen = false;
  for (const q of asked) {
    for (const r of ranges) {
      if (r.dimension !== q.dimension) continue;
      seen = true;
      if (q.value >= r.min && q.value <= r.max) return 1;
    }
  }
  return seen ? -1 : 0;
}
