/**
 * Multinomial logistic regression over sparse features, trained by
 * Adagrad SGD with L2 and class weights that balance the classes, plus
 * temperature scaling for calibrated probabilities.
 * @module
 */
import type { SparseVector } from "./features.ts";

/** A trained linear model. */
export interface LinearModel {
  readonly classes: number;
  /** Weights, `dim × classes`, feature-major. */
  readonly weights: Float32Array;
  /** Raw scores (logits) of each class. */
  logits(x: SparseVector): Float64Array;
}

/** Training options (defaults in brackets). */
export interface TrainOptions {
  classes: number;
  dim: number;
  /** Passes over the data [10]. */
  epochs?: number;
  /** Adagrad step [0.4]. */
  lr?: number;
  /** L2 strength per update [3e-3]. */
  l2?: number;
  /** Shuffle seed [1]. */
  seed?: number;
}

/** Trains on `xs` with labels `ys` (0..classes-1). */
export function trainLogistic(
  xs: SparseVector[],
  ys: number[],
  opts: TrainOptions,
): LinearModel {
  const C = opts.classes;
  const epochs = opts.epochs ?? 10;
  const lr = opts.lr ?? 0.4;
  const l2 = opts.l2 ?? 3e-3;
  const w = new Float32Array(opts.dim * C);
  const g2 = new Float32Array(opts.dim * C).fill(1e-2);
  const counts = new Array(C).fill(0);
  for (const y of ys) counts[y]++;
  const cw = counts.map((c) => (c > 0 ? xs.length / (C * c) : 0));
  const order = xs.map((_, i) => i);
  let seed = opts.seed ?? 1;
  const rand = () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const p = new Float64Array(C);
  for (let e = 0; e < epochs; e++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const n of order) {
      const x = xs[n]!;
      const y = ys[n]!;
      scores(w, x, C, p);
      softmaxInPlace(p);
      const weight = cw[y]!;
      for (let k = 0; k < x.idx.length; k++) {
        const base = x.idx[k]! * C;
        const v = x.val[k]!;
        for (let c = 0; c < C; c++) {
          const j = base + c;
          const g = weight * (p[c]! - (c === y ? 1 : 0)) * v + l2 * w[j]!;
          g2[j]! += g * g;
          w[j]! -= (lr * g) / Math.sqrt(g2[j]!);
        }
      }
    }
  }
  return linearModel(w, C);
}

/** The model with the given weights (`dim × classes`, as `weights` gives them). */
export function linearModel(w: Float32Array, classes: number): LinearModel {
  return {
    classes,
    weights: w,
    logits(x) {
      const out = new Float64Array(classes);
      scores(w, x, classes, out);
      return out;
    },
  };
}

function scores(
  w: Float32Array,
  x: SparseVector,
  C: number,
  out: Float64Array,
): void {
  out.fill(0);
  for (let k = 0; k < x.idx.length; k++) {
    const base = x.idx[k]! * C;
    const v = x.val[k]!;
    for (let c = 0; c < C; c++) out[c]! += w[base + c]! * v;
  }
}

/** Softmax of `z` in place. */
export function softmaxInPlace(z: Float64Array): Float64Array {
  let m = -Infinity;
  for (const v of z) m = Math.max(m, v);
  let s = 0;
  for (let i = 0; i < z.length; i++) {
    z[i] = Math.exp(z[i]! - m);
    s += z[i]!;
  }
  for (let i = 0; i < z.length; i++) z[i]! /= s;
  return z;
}

/** The temperature T (logits / T) that minimises the log loss of held-out logits. */
export function fitTemperature(logits: Float64Array[], ys: number[]): number {
  const nll = (t: number) => {
    let s = 0;
    logits.forEach((z, i) => {
      const p = softmaxInPlace(z.map((v) => v / t));
      s -= Math.log(Math.max(p[ys[i]!]!, 1e-12));
    });
    return s;
  };
  let lo = Math.log(0.05);
  let hi = Math.log(20);
  for (let it = 0; it < 40; it++) {
    const a = lo + (hi - lo) / 3;
    const b = hi - (hi - lo) / 3;
    if (nll(Math.exp(a)) < nll(Math.exp(b))) hi = b;
    else lo = a;
  }
  return Math.exp((lo + hi) / 2);
}
