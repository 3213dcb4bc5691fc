/**
 * The email classifier, two linear models trained at startup:
 *
 * - the **category model**: multinomial logistic regression over word and
 *   character n-grams plus hand features, trained on the labelled shop
 *   examples (the templates and the user's own), its confidence calibrated
 *   by temperature scaling on held-out folds;
 * - the **shop gate**: binary logistic regression over words that tells shop
 *   mail from off-topic text, trained on the shop examples and the
 *   real-wording rows marked `domain` (`shop`: Bitext customer-support
 *   utterances; `off_topic`: hwu64 home-assistant requests), its logits
 *   calibrated by a temperature fitted on held-out folds too.
 *
 * The scores mix them: with p = P(shop), Question = p·q, Refund = p·r and
 * Other = (1 − p) + p·o, so off-topic text ("what are the rules for chess")
 * goes to Other or falls below the confidence threshold. Without
 * off-topic rows there is no gate (p = 1). Rows marked `domain` do not
 * train the category model: Bitext has no Refund rows left outside the dev
 * set, and adding its Question rows there pulled refund asks to Question.
 * @module
 */
import type { Classification, Classifier } from "../ports.ts";
import { CATEGORIES, type Category } from "../types.ts";
import type { LabelledExample } from "./examples.ts";
import {
  FEATURE_DIM,
  featurize,
  type SparseVector,
  WORD_FEATURE_DIM,
  wordFeatures,
} from "./features.ts";
import {
  fitTemperature,
  type LinearModel,
  linearModel,
  softmaxInPlace,
  trainLogistic,
} from "./logistic.ts";
import { cleanForClassify } from "./normalize.ts";

/** Options of `createClassifier` (defaults in brackets). */
export interface ClassifierOptions {
  /** Folds used to fit the temperature [2]; 0 or 1 skips calibration (T = 1). */
  folds?: number;
  /** Training passes of the category model [20]. */
  epochs?: number;
  /** Training passes of the shop gate [5]. */
  gateEpochs?: number;
  /** Folds used to fit the gate's temperature [2]; 0 or 1 skips it. */
  gateFolds?: number;
  /** Shuffle seed [1]. */
  seed?: number;
}

/** Prior log-odds in favour of shop mail added to the gate: a shop email wrongly sent to Other costs more than an off-topic one left for review. */
export const GATE_PRIOR = 1;

/** What a trained classifier is made of (for the model cache). */
export interface ClassifierSnapshot {
  temperature: number;
  /** Category model weights (`FEATURE_DIM × 3`). */
  category: Float32Array;
  /** Gate weights (`WORD_FEATURE_DIM × 2`), or null without a gate. */
  gate: Float32Array | null;
}

/** How a classifier was trained. */
export interface ClassifierInfo {
  examples: number;
  perClass: Record<Category, number>;
  /** Rows that taught the gate only: shop and off-topic. */
  domainRows: { shop: number; off_topic: number };
  temperature: number;
  /** Temperature of the gate's logits. */
  gateTemperature: number;
  trainMs: number;
}

/** A trained classifier and how it was trained. */
export interface TrainedClassifier extends Classifier {
  readonly info: ClassifierInfo;
  /** The weights, to cache and `restoreClassifier` later. */
  snapshot(): ClassifierSnapshot;
}

/** Trains a classifier on `examples` (at least one per class among the rows without `domain`). */
export function createClassifier(
  examples: LabelledExample[],
  opts: ClassifierOptions = {},
): TrainedClassifier {
  const t0 = performance.now();
  const labelled = examples.filter((e) => !e.domain);
  const shop = examples.filter((e) => e.domain === "shop");
  const offTopic = examples.filter((e) => e.domain === "off_topic");
  const perClass = { Question: 0, Refund: 0, Other: 0 } as Record<
    Category,
    number
  >;
  for (const e of labelled) perClass[e.label]++;
  const missing = CATEGORIES.filter((c) => perClass[c] === 0);
  if (missing.length > 0) {
    throw new RangeError(
      `Cannot train the classifier: no examples labelled ${missing.join(", ")}`,
    );
  }
  const text = (e: LabelledExample) => cleanForClassify(e.subject, e.body);
  const xs = labelled.map((e) => featurize(text(e)));
  const ys = labelled.map((e) => CATEGORIES.indexOf(e.label));
  const train = (ix: SparseVector[], iy: number[]): LinearModel =>
    trainLogistic(ix, iy, {
      classes: 3,
      dim: FEATURE_DIM,
      epochs: opts.epochs ?? 20,
      seed: opts.seed,
    });

  let temperature = 1;
  const folds = opts.folds ?? 2;
  if (folds > 1 && labelled.length >= folds * 3) {
    const held: Float64Array[] = [];
    const heldY: number[] = [];
    for (let f = 0; f < folds; f++) {
      const trX: SparseVector[] = [];
      const trY: number[] = [];
      const teX: SparseVector[] = [];
      xs.forEach((x, i) => {
        if (i % folds === f) {
          teX.push(x);
          heldY.push(ys[i]!);
        } else {
          trX.push(x);
          trY.push(ys[i]!);
        }
      });
      const m = train(trX, trY);
      for (const x of teX) held.push(m.logits(x));
    }
    temperature = fitTemperature(held, heldY);
  }
  const category = train(xs, ys);
  let gate: LinearModel | null = null;
  let gateTemperature = 1;
  if (offTopic.length > 0) {
    const inShop = [...labelled, ...shop];
    const gx = [...inShop, ...offTopic].map((e) => wordFeatures(text(e)));
    const gy = [...inShop.map(() => 0), ...offTopic.map(() => 1)];
    const trainGate = (ix: SparseVector[], iy: number[]) =>
      trainLogistic(ix, iy, {
        classes: 2,
        dim: WORD_FEATURE_DIM,
        epochs: opts.gateEpochs ?? 5,
        seed: opts.seed,
      });
    const gateFolds = opts.gateFolds ?? 2;
    if (gateFolds > 1) {
      const held: Float64Array[] = [];
      const heldY: number[] = [];
      for (let f = 0; f < gateFolds; f++) {
        const tr = gx.filter((_, i) => i % gateFolds !== f);
        const trY = gy.filter((_, i) => i % gateFolds !== f);
        const m = trainGate(tr, trY);
        gx.forEach((x, i) => {
          if (i % gateFolds !== f) return;
          const z = m.logits(x);
          z[0]! += GATE_PRIOR;
          held.push(z);
          heldY.push(gy[i]!);
        });
      }
      gateTemperature = fitTemperature(held, heldY);
    }
    gate = trainGate(gx, gy);
  }
  return assemble(category, gate, {
    examples: examples.length,
    perClass,
    domainRows: { shop: shop.length, off_topic: offTopic.length },
    temperature,
    gateTemperature,
    trainMs: performance.now() - t0,
  });
}

/** The classifier a snapshot holds (weights as `snapshot()` gave them). */
export function restoreClassifier(
  snap: ClassifierSnapshot,
  info: ClassifierInfo,
): TrainedClassifier {
  if (snap.category.length !== FEATURE_DIM * 3) {
    throw new RangeError("Cannot restore the classifier: wrong category size");
  }
  if (snap.gate && snap.gate.length !== WORD_FEATURE_DIM * 2) {
    throw new RangeError("Cannot restore the classifier: wrong gate size");
  }
  return assemble(
    linearModel(snap.category, 3),
    snap.gate ? linearModel(snap.gate, 2) : null,
    { ...info, temperature: snap.temperature },
  );
}

function assemble(
  category: LinearModel,
  gate: LinearModel | null,
  info: ClassifierInfo,
): TrainedClassifier {
  const t = info.temperature;
  return {
    info,
    snapshot: () => ({
      temperature: t,
      category: category.weights,
      gate: gate?.weights ?? null,
    }),
    classify({ subject, body }): Classification {
      const text = cleanForClassify(subject, body);
      const p = softmaxInPlace(
        category.logits(featurize(text)).map((v) => v / t),
      );
      let shop = 1;
      if (gate) {
        const z = gate.logits(wordFeatures(text));
        shop = 1 /
          (1 + Math.exp((z[1]! - z[0]! - GATE_PRIOR) / info.gateTemperature));
      }
      const scores = {
        Question: shop * p[0]!,
        Refund: shop * p[1]!,
        Other: 1 - shop + shop * p[2]!,
      };
      let best: Category = "Question";
      for (const c of CATEGORIES) if (scores[c] > scores[best]) best = c;
      return { category: best, confidence: scores[best], scores };
    },
  };
}
