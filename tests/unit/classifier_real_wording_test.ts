/**
 * The classifier on real wording it was not trained on (issue 15 item 4):
 * off-topic text goes to Other or below the confidence threshold, held-out
 * Bitext and the dev set stay as good as before, confidence is calibrated,
 * a source left out of training is still classified, and the trained model
 * is cached by the hash of its examples.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  bundledExamples,
  EXAMPLES_FILE,
  HELDOUT,
  leaveOut,
  readRows,
  scoreSet,
  THRESHOLD,
} from "../../eval/classify_real_wording.ts";
import { normalText } from "../../eval/derive_classify_training.ts";
import {
  backgroundRows,
  topicRows,
} from "../../eval/derive_background_english.ts";
import { sharedData } from "../../eval/shared_data.ts";
import {
  createClassifier,
  type TrainedClassifier,
} from "../../pipeline/classify/classifier.ts";
import {
  bundledExampleFiles,
  type LabelledExample,
  loadExamples,
} from "../../pipeline/classify/examples.ts";
import {
  decodeModel,
  encodeModel,
} from "../../pipeline/classify/model_file.ts";
import {
  modelFileName,
  trainOrLoadClassifier,
} from "../../app/classifier_cache.ts";
import type { LogContext, Logger } from "../../pipeline/log.ts";

let examples: LabelledExample[] | null = null;
let trained: TrainedClassifier | null = null;
async function bundled(): Promise<
  { examples: LabelledExample[]; classifier: TrainedClassifier }
> {
  examples ??= await bundledExamples();
  trained ??= createClassifier(examples);
  return { examples, classifier: trained };
}

Deno.test("off-topic wording the classifier never saw goes to Other or below the threshold (held-out hwu64)", async () => {
  const { classifier } = await bundled();
  const s = scoreSet(classifier, await readRows(HELDOUT.hwu64));
  assert.ok(s.n > 3000);
  assert.ok(s.question_or_refund <= 0.1, `Q/R ${s.question_or_refund}`);
  assert.ok(
    s.question_or_refund_confident <= 0.03,
    `Q/R above threshold ${s.question_or_refund_confident}`,
  );
  assert.ok(s.ece <= 0.1, `ECE ${s.ece}`);
});

Deno.test("the issue's off-topic examples are not taken for a confident Question", async () => {
  const { classifier } = await bundled();
  for (
    const body of [
      "what are the rules for chess",
      "how do I get red wine out of the carpet",
      "what's the weather like tomorrow in Paris?",
    ]
  ) {
    const r = classifier.classify({ subject: "", body });
    assert.ok(
      r.category === "Other" || r.confidence < THRESHOLD,
      `${body}: ${r.category} ${r.confidence.toFixed(2)}`,
    );
  }
});

Deno.test("held-out Bitext wording and the dev set stay classified as before", async () => {
  const { classifier } = await bundled();
  const held = scoreSet(classifier, await readRows(HELDOUT.bitext));
  assert.ok(held.macro_f1 >= 0.96, `held-out Bitext macro-F1 ${held.macro_f1}`);
  assert.ok(held.ece <= 0.05, `held-out Bitext ECE ${held.ece}`);
  const dev = scoreSet(
    classifier,
    await readRows(sharedData("bitext/classify_dev.jsonl")),
  );
  // 0.9756 before issue 15 (templates only).
  assert.ok(dev.macro_f1 >= 0.9756, `classify_dev macro-F1 ${dev.macro_f1}`);
  assert.ok(dev.ece <= 0.05, `classify_dev ECE ${dev.ece}`);
});

Deno.test("trained without any Bitext row, the classifier still gets Bitext's wording right (cross-source)", async () => {
  const { examples } = await bundled();
  const test = [
    ...await readRows(sharedData("bitext/classify_dev.jsonl")),
    ...await readRows(HELDOUT.bitext),
  ];
  const s = leaveOut(examples, "bitext", test);
  assert.ok(s.trained_on < examples.length);
  assert.ok(s.macro_f1 >= 0.9, `left-out Bitext macro-F1 ${s.macro_f1}`);
});

Deno.test("trained without any hwu64 row, the background-English rows (random and one-topic strings) keep hwu64's utterances out of Question and Refund: macro-F1 at least 0.90 (cross-source)", async () => {
  const { examples } = await bundled();
  assert.ok(
    examples.some((e) => e.source === "background"),
    "the bundled examples hold the background-English rows",
  );
  const s = leaveOut(examples, "hwu64", await readRows(HELDOUT.hwu64));
  // Without the background rows: 0.62 taken for shop mail, macro-F1 0.55;
  // with the random strings only: 0.29, 0.83; with the one-topic strings
  // too: 0.17, 0.906.
  assert.ok(s.question_or_refund <= 0.2, `Q/R ${s.question_or_refund}`);
  assert.ok(s.macro_f1 >= 0.9, `left-out hwu64 macro-F1 ${s.macro_f1}`);
});

Deno.test("backgroundRows() draws the same rows for the same seed, English words only", () => {
  const words = ["the", "of", "shipping", "rain", "piano", "Paris", "x2"];
  const opts = { rows: 50, vocabulary: words.length, seed: 7 };
  const a = backgroundRows((r) => words[r]!, opts);
  assert.deepEqual(a, backgroundRows((r) => words[r]!, opts));
  assert.equal(a.length, 50);
  for (const r of a) {
    assert.match(r.body, /^[a-z]+(?: [a-z]+)*\??$/);
    assert.equal(r.domain, "off_topic");
    assert.equal(r.label, "Other");
  }
});

Deno.test("topicRows(): a seed word is never a shop word, so every row is on an off-topic topic; the same rows for the same seed", () => {
  // Two topics on a line: words are near when their ranks are close.
  const words = [
    ...Array.from({ length: 100 }, (_, i) => `common${"x".repeat(i % 3)}`),
    "rain",
    "snow",
    "storm",
    "wind",
    "cloud",
    "refund",
    "order",
    "parcel",
    "return",
    "ship",
  ];
  const vectors = {
    word: (r: number) => words[r]!,
    cosine: (a: number, b: number) => 1 / (1 + Math.abs(a - b)),
  };
  const opts = {
    seeds: 20,
    rowsPerSeed: 2,
    vocabulary: words.length,
    shopWords: new Set(["refund", "order", "parcel", "return", "ship"]),
    seed: 3,
  };
  const a = topicRows(vectors, opts);
  assert.deepEqual(a, topicRows(vectors, opts));
  assert.equal(a.length, 40);
  const weather = new Set(["rain", "snow", "storm", "wind", "cloud"]);
  for (const r of a) {
    assert.equal(r.domain, "off_topic");
    assert.equal(r.label, "Other");
    const ws = r.body.replace(/\?$/, "").split(" ");
    // The seed is never a shop word: the weather words lead every row.
    assert.ok(ws.some((w) => weather.has(w)), r.body);
  }
});

Deno.test("the real-wording training file holds no dev-set or held-out text", async () => {
  const real = await loadExamples([bundledExampleFiles(EXAMPLES_FILE)[1]!]);
  assert.ok(real.length > 3000);
  assert.ok(real.every((r) => r.domain && r.source));
  const train = new Set(real.map((r) => normalText(r.body)));
  const dev = await readRows(sharedData("bitext/classify_dev.jsonl"));
  const held = [
    ...await readRows(HELDOUT.hwu64),
    ...await readRows(HELDOUT.bitext),
  ];
  for (const r of [...dev, ...held]) {
    assert.ok(!train.has(normalText(r.body)), `in training: ${r.body}`);
  }
});

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const logger: Logger & { warnings: string[] } = {
    warnings,
    debug: () => {},
    info: () => {},
    warn: (msg: string, _ctx?: LogContext) => {
      warnings.push(msg);
    },
    error: () => {},
    child: () => logger,
  };
  return logger;
}

Deno.test("the model file round-trips the classifier exactly", async () => {
  const { classifier } = await bundled();
  const { snapshot, info } = decodeModel(
    encodeModel(classifier.snapshot(), classifier.info),
  );
  assert.deepEqual(snapshot.category, classifier.snapshot().category);
  assert.deepEqual(info.domainRows, classifier.info.domainRows);
  assert.throws(
    () => decodeModel(new TextEncoder().encode("CLS1garbage")),
    /Cannot read the classifier model file/,
  );
});

Deno.test("trainOrLoadClassifier trains once, then loads the same model by the examples' hash", async () => {
  const dir = await Deno.makeTempDir({ prefix: "classifier_cache_" });
  try {
    const few: LabelledExample[] = [
      { subject: "", body: "how do I track my order?", label: "Question" },
      { subject: "", body: "refund me now", label: "Refund" },
      { subject: "", body: "great shop, thanks", label: "Other" },
      {
        subject: "",
        body: "set an alarm for 7",
        label: "Other",
        domain: "off_topic",
      },
    ];
    const logger = recordingLogger();
    const first = await trainOrLoadClassifier(few, { cacheDir: dir, logger });
    assert.equal(first.cached, false);
    const second = await trainOrLoadClassifier(few, { cacheDir: dir, logger });
    assert.equal(second.cached, true);
    const input = { subject: "", body: "wake me up at six" };
    assert.deepEqual(
      second.classifier.classify(input),
      first.classifier.classify(input),
    );
    // Other examples, another file.
    const changed = [...few, { ...few[0]!, body: "where is my parcel?" }];
    assert.notEqual(await modelFileName(changed), await modelFileName(few));
    assert.equal(
      (await trainOrLoadClassifier(changed, { cacheDir: dir, logger })).cached,
      false,
    );
    // A damaged file is trained over, with a warning.
    await Deno.writeTextFile(join(dir, await modelFileName(few)), "CLS1xx");
    const again = await trainOrLoadClassifier(few, { cacheDir: dir, logger });
    assert.equal(again.cached, false);
    assert.equal(logger.warnings.length, 1);
    assert.equal(
      (await trainOrLoadClassifier(few, { cacheDir: dir, logger })).cached,
      true,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
