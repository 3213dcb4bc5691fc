import assert from "node:assert/strict";
import {
  createClassifier,
  type TrainedClassifier,
} from "../../pipeline/classify/classifier.ts";
import {
  bundledExampleFiles,
  loadExamples,
} from "../../pipeline/classify/examples.ts";
import { evalClassify } from "../../app/cli/eval_command.ts";

const EXAMPLES = new URL(
  "../../pipeline/classify/training/classify_examples.jsonl",
  import.meta.url,
).pathname;
const EMAILS =
  new URL("../../eval/emails_labelled.jsonl", import.meta.url).pathname;

let cached: TrainedClassifier | null = null;
async function classifier(): Promise<TrainedClassifier> {
  cached ??= createClassifier(
    await loadExamples(bundledExampleFiles(EXAMPLES)),
  );
  return cached;
}

Deno.test("classifier labels clear cases of each class", async (t) => {
  const c = await classifier();
  const cases: Array<[string, string, string]> = [
    [
      "Question",
      "Shipping",
      "Hi, how long does delivery to Canada take? Thanks, Ann",
    ],
    ["Question", "", "How do I reset my password?"],
    [
      "Refund",
      "Broken lamp ORD12345",
      "The lamp arrived broken. I want a refund please.",
    ],
    ["Refund", "", "Please cancel order ORD55555 and give me my money back"],
    [
      "Other",
      "Partnership",
      "Hello, I run a blog and would love to collaborate on a sponsored post.",
    ],
    [
      "Other",
      "Thanks!",
      "Just wanted to say the sofa is lovely, great service!",
    ],
  ];
  for (const [label, subject, body] of cases) {
    await t.step(`${label}: ${body.slice(0, 40)}`, () => {
      const r = c.classify({ subject, body });
      assert.equal(r.category, label);
      assert.ok(
        r.confidence >= 0.6 && r.confidence <= 1,
        `confidence ${r.confidence}`,
      );
      const sum = r.scores.Question + r.scores.Refund + r.scores.Other;
      assert.ok(Math.abs(sum - 1) < 1e-9);
    });
  }
});

Deno.test("classifier labels a refund-policy question as Question and a money-back ask as Refund", async () => {
  const c = await classifier();
  assert.equal(
    c.classify({ subject: "", body: "What is your refund policy?" }).category,
    "Question",
  );
  assert.equal(
    c.classify({ subject: "", body: "I want my money back" }).category,
    "Refund",
  );
});

Deno.test("classifier ignores quoted history and HTML tags", async () => {
  const c = await classifier();
  const r = c.classify({
    subject: "Re: your question",
    body:
      "<p>Thanks, that answers it!</p>\n\nOn Mon, 3 Mar 2025, Support wrote:\n> I want a refund for order ORD12345\n> I want my money back",
  });
  assert.equal(r.category, "Other");
});

Deno.test("classifier macro-F1 on the labelled whole-email set stays above 0.9", async () => {
  const s = await evalClassify(EMAILS, { classifier: await classifier() });
  assert.ok(s.n >= 50);
  assert.ok(s.macro_f1 >= 0.9, `macro-F1 ${s.macro_f1}`);
});

Deno.test("createClassifier trains from a handful of examples and rejects a missing class", () => {
  const few = [
    {
      subject: "",
      body: "how do I track my order?",
      label: "Question" as const,
    },
    { subject: "", body: "refund me now", label: "Refund" as const },
    { subject: "", body: "great shop, thanks", label: "Other" as const },
  ];
  const c = createClassifier(few, { folds: 0 });
  assert.equal(c.info.temperature, 1);
  assert.equal(
    c.classify({ subject: "", body: "refund me now please" }).category,
    "Refund",
  );
  assert.throws(
    () => createClassifier(few.slice(0, 2)),
    /no examples labelled Other/,
  );
});

Deno.test("loadExamples merges the user file and reports bad lines by number", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "classif_examples_" });
  try {
    await Deno.writeTextFile(
      `${dir}/base.jsonl`,
      '{"subject":"","body":"where is my refund","label":"Refund"}\n',
    );
    await t.step("a missing user file is fine", async () => {
      const ex = await loadExamples([
        `${dir}/base.jsonl`,
        `${dir}/missing.jsonl`,
      ]);
      assert.equal(ex.length, 1);
    });
    await t.step("user examples are appended", async () => {
      await Deno.writeTextFile(
        `${dir}/mine.jsonl`,
        '{"body":"do you sell bikes?","label":"Question"}\n\n',
      );
      const ex = await loadExamples([`${dir}/base.jsonl`, `${dir}/mine.jsonl`]);
      assert.deepEqual(ex[1], {
        subject: "",
        body: "do you sell bikes?",
        label: "Question",
      });
    });
    await t.step("bad JSON names the line", async () => {
      await Deno.writeTextFile(
        `${dir}/bad.jsonl`,
        '{"body":"a","label":"Other"}\n{oops\n',
      );
      await assert.rejects(
        loadExamples([`${dir}/base.jsonl`, `${dir}/bad.jsonl`]),
        /line 2 is not valid JSON/,
      );
    });
    await t.step("an unknown label names the line and the field", async () => {
      await Deno.writeTextFile(
        `${dir}/label.jsonl`,
        '{"body":"a","label":"Spam"}\n',
      );
      await assert.rejects(
        loadExamples([`${dir}/label.jsonl`]),
        /line 1: field "label"/,
      );
    });
    await t.step("a missing bundled file is an error", async () => {
      await assert.rejects(loadExamples([`${dir}/nope.jsonl`]), /no such file/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
