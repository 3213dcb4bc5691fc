/**
 * The email classifier: multinomial logistic regression over word and
 * character n-grams plus hand features, trained at startup from labelled
 * examples, with its confidence calibrated by temperature scaling on
 * held-out folds of those examples.
 * @module
 */
import type { Classification, Classifier } from "../ports.ts";
import { CATEGORIES, type Category } from "../types.ts";
import type { LabelledExample } from "./examples.ts";
import { FEATURE_DIM, featurize, type SparseVector } from "./features.ts";
import {
  fitTemperature,
  type LinearModel,
  softmaxInPlace,
  trainLogistic,
} from "./logistic.ts";
import { cleanForClassify } from "./normalize.ts";

/** Options of `createClassifier` (defaults in brackets). */
export interface ClassifierOptions {
  /** Folds used to fit the temperature [2]; 0 or 1 skips calibration (T = 1). */
  folds?: number;
  /** Training passes [10]. */
  epochs?: number;
  /** Shuffle seed [1]. */
  seed?: number;
}

/** A trained classifier and how it was trained. */
export interface TrainedClassifier extends Classifier {
  readonly info: {
    examples: number;
    perClass: Record<Category, number>;
    temperature: number;
    trainMs: number;
  };
}

/** Trains a classifier on `examples` (at least one per class). */
export function createClassifier(
  examples: LabelledExample[],
  opts: ClassifierOptions = {},
): TrainedClassifier {
  const t0 = performance.now();
  const perClass = { Question: 0, Refund: 0, Other: 0 } as Record<
    Category,
    number
  >;
  for (const e of examples) perClass[e.label]++;
  const missing = CATEGORIES.filter((c) => perClass[c] === 0);
  if (missing.length > 0) {
    throw new RangeError(
      `Cannot train the classifier: no examples labelled ${missing.join(", ")}`,
    );
  }
  const xs = examples.map((e) =>
    featurize(cleanForClassify(e.subject, e.body))
  );
  const ys = examples.map((e) => CATEGORIES.indexOf(e.label));
  const train = (ix: SparseVector[], iy: number[]): LinearModel =>
    trainLogistic(ix, iy, {
      classes: 3,
      dim: FEATURE_DIM,
      epochs: opts.epochs,
      seed: opts.seed,
    });

  let temperature = 1;
  const folds = opts.folds ?? 2;
  if (folds > 1 && examples.length >= folds * 3) {
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
  const model = train(xs, ys);
  const trainMs = performance.now() - t0;

  return {
    info: { examples: examples.length, perClass, temperature, trainMs },
    classify({ subject, body }): Classification {
      const z = model.logits(featurize(cleanForClassify(subject, body)));
      const p = softmaxInPlace(z.map((v) => v / temperature));
      let best = 0;
      for (let c = 1; c < 3; c++) if (p[c]! > p[best]!) best = c;
      return {
        category: CATEGORIES[best]!,
        confidence: p[best]!,
        scores: { Question: p[0]!, Refund: p[1]!, Other: p[2]! },
      };
    },
  };
}
