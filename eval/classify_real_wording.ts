/**
 * How the classifier holds on real wording, on data it was not trained on:
 *
 * - per held-out set (hwu64 and Bitext rows never trained on, the Bitext dev
 *   set, the labelled whole emails, and the hwu64 rows neither trained on nor
 *   held out, which were never looked at while tuning): accuracy, macro-F1 over the classes the
 *   set has, expected calibration error (ECE, 10 bins of confidence), and the
 *   share classified Question or Refund (for off-topic text: the share the
 *   agent would take for shop mail), also counting only those at or above
 *   the confidence threshold;
 * - cross-source: the classifier trained without one source (Bitext, then
 *   hwu64) and scored on every row of that source.
 *
 * Run: `deno run --allow-read --allow-env eval/classify_real_wording.ts`
 * (prints one JSON line per measure); with `--baseline`, the classifier as
 * it was before the real-wording rows and the shop gate (templates only, 10
 * passes, no gate) instead.
 * @module
 */
import {
  createClassifier,
  type TrainedClassifier,
} from "../pipeline/classify/classifier.ts";
import {
  bundledExampleFiles,
  type LabelledExample,
  loadExamples,
} from "../pipeline/classify/examples.ts";
import type { Classifier } from "../pipeline/ports.ts";
import { CATEGORIES, type Category } from "../pipeline/types.ts";
import { normalText } from "./derive_classify_training.ts";
import { sharedData } from "./shared_data.ts";

/** The bundled training files. */
export const EXAMPLES_FILE = new URL(
  "../pipeline/classify/training/classify_examples.jsonl",
  import.meta.url,
).pathname;
/** Held-out rows, never trained on (`derive_classify_training.ts`). */
export const HELDOUT = {
  hwu64: new URL("./classify_heldout_hwu64.jsonl", import.meta.url).pathname,
  bitext: new URL("./classify_heldout_bitext.jsonl", import.meta.url).pathname,
};
/** The default CLASSIFY_THRESHOLD: below it an email goes to review. */
export const THRESHOLD = 0.7;

/** The figures of one set. */
export interface SetScore {
  n: number;
  accuracy: number;
  /** Mean F1 over the classes the set has rows of. */
  macro_f1: number;
  ece: number;
  /** Share classified Question or Refund. */
  question_or_refund: number;
  /** Share classified Question or Refund with confidence ≥ THRESHOLD. */
  question_or_refund_confident: number;
}

const r4 = (x: number) => Math.round(x * 10000) / 10000;

/** Scores `classifier` on labelled rows (see `SetScore`). */
export function scoreSet(
  classifier: Classifier,
  rows: LabelledExample[],
): SetScore {
  const conf = Object.fromEntries(
    CATEGORIES.map((
      a,
    ) => [a, Object.fromEntries(CATEGORIES.map((b) => [b, 0]))]),
  ) as Record<Category, Record<Category, number>>;
  const bins = Array.from({ length: 10 }, () => ({ n: 0, conf: 0, right: 0 }));
  let qr = 0;
  let qrConfident = 0;
  for (const r of rows) {
    const o = classifier.classify({ subject: r.subject, body: r.body });
    conf[r.label][o.category]++;
    const b = bins[Math.min(9, Math.floor(o.confidence * 10))]!;
    b.n++;
    b.conf += o.confidence;
    if (o.category === r.label) b.right++;
    if (o.category !== "Other") {
      qr++;
      if (o.confidence >= THRESHOLD) qrConfident++;
    }
  }
  const labels = CATEGORIES.filter((c) => rows.some((r) => r.label === c));
  let f1 = 0;
  for (const c of labels) {
    const tp = conf[c][c];
    let fp = 0;
    let fn = 0;
    for (const o of CATEGORIES) {
      if (o === c) continue;
      fp += conf[o][c];
      fn += conf[c][o];
    }
    const p = tp + fp ? tp / (tp + fp) : 0;
    const rc = tp + fn ? tp / (tp + fn) : 0;
    f1 += p + rc ? (2 * p * rc) / (p + rc) : 0;
  }
  const n = rows.length || 1;
  const ece = bins.reduce(
    (s, b) => s + (b.n ? Math.abs(b.conf - b.right) / n : 0),
    0,
  );
  const right = CATEGORIES.reduce((s, c) => s + conf[c][c], 0);
  return {
    n: rows.length,
    accuracy: r4(right / n),
    macro_f1: r4(f1 / Math.max(1, labels.length)),
    ece: r4(ece),
    question_or_refund: r4(qr / n),
    question_or_refund_confident: r4(qrConfident / n),
  };
}

/** Reads a JSON-lines file of labelled rows. */
export async function readRows(path: string): Promise<LabelledExample[]> {
  return await loadExamples([path]);
}

/** The bundled training rows (templates and real wording). */
export async function bundledExamples(): Promise<LabelledExample[]> {
  return await loadExamples(bundledExampleFiles(EXAMPLES_FILE));
}

/**
 * Trains without `source` and scores on `test` (that source's rows): the
 * classifier has never seen that source's wording.
 */
export function leaveOut(
  examples: LabelledExample[],
  source: string,
  test: LabelledExample[],
): SetScore & { left_out: string; trained_on: number } {
  const train = examples.filter((e) => e.source !== source);
  const c: TrainedClassifier = createClassifier(train);
  return {
    left_out: source,
    trained_on: train.length,
    ...scoreSet(c, test),
  };
}

if (import.meta.main) {
  const baseline = Deno.args.includes("--baseline");
  const examples = await bundledExamples();
  const classifier = baseline
    ? createClassifier(examples.filter((e) => !e.source), { epochs: 10 })
    : createClassifier(examples);
  const dev = await readRows(sharedData("bitext/classify_dev.jsonl"));
  const sets: Record<string, LabelledExample[]> = {
    heldout_hwu64: await readRows(HELDOUT.hwu64),
    heldout_bitext: await readRows(HELDOUT.bitext),
    classify_dev: dev,
    emails_labelled: await readRows(
      new URL("./emails_labelled.jsonl", import.meta.url).pathname,
    ),
  };
  // hwu64 rows neither trained on nor held out (the training share is
  // capped): never looked at while the classifier was tuned.
  const seen = new Set(
    [...examples, ...sets.heldout_hwu64!].map((e) => normalText(e.body)),
  );
  sets.unused_hwu64 = (await Deno.readTextFile(
    sharedData("hwu64/hwu64_utterances.jsonl"),
  )).split("\n").filter((l) => l.trim()).map((l) => ({
    subject: "",
    body: (JSON.parse(l) as { text: string }).text,
    label: "Other" as const,
  })).filter((r) => !seen.has(normalText(r.body)));
  const print = (o: unknown) =>
    // deno-lint-ignore no-console
    console.log(JSON.stringify(o));
  print({
    model: baseline ? "baseline" : "current",
    trained_on: classifier.info.examples,
    train_ms: Math.round(classifier.info.trainMs),
  });
  for (const [name, rows] of Object.entries(sets)) {
    print({ set: name, ...scoreSet(classifier, rows) });
  }
  const strip = (rows: LabelledExample[]) =>
    rows.map(({ subject, body, label }) => ({ subject, body, label }));
  const bitextAll = [
    ...dev,
    ...examples.filter((e) => e.source === "bitext"),
    ...sets.heldout_bitext!,
  ];
  const hwuAll = [
    ...examples.filter((e) => e.source === "hwu64"),
    ...sets.heldout_hwu64!,
  ];
  if (!baseline) {
    print({
      cross_source: true,
      ...leaveOut(examples, "bitext", strip(bitextAll)),
    });
    print({
      cross_source: true,
      ...leaveOut(examples, "hwu64", strip(hwuAll)),
    });
  }
}
