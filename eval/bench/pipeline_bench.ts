/**
 * Benchmark of the understanding pipeline (lexical default, no dense model):
 * - classify + retrieve + compose per email, median over many emails, with
 *   a synthetic knowledge base of 1,000 sections (the bundled one expanded);
 * - building the lexical index for 10,000 sections;
 * - classifier training time at startup.
 * Prints one JSON object last. Run: `deno task bench`.
 * @module
 */
import { answerQuestion } from "../../pipeline/answer/answer_question.ts";
import { createClassifier } from "../../pipeline/classify/classifier.ts";
import {
  bundledExampleFiles,
  loadExamples,
} from "../../pipeline/classify/examples.ts";
import { createKnowledgeBase } from "../../pipeline/knowledge/knowledge_base.ts";
import type { KbSection } from "../../pipeline/knowledge/parse_document.ts";
import { buildSectionIndex } from "../../pipeline/knowledge/section_index.ts";
import { loadWordVectors } from "../../pipeline/knowledge/word_vectors.ts";
import type { ParsedEmail } from "../../pipeline/types.ts";
import { textEmail } from "../../pipeline/mail/text_email.ts";
import { silentLogger } from "../../app/ops/logger.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const WORDS = [
  "oak",
  "linen",
  "velvet",
  "walnut",
  "ceramic",
  "wool",
  "bamboo",
  "marble",
  "rattan",
  "copper",
  "glass",
  "cotton",
];

let seed = 7;
const rand = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;

/** `count` sections made from the bundled ones, each copy with its own range words. */
function expand(base: readonly KbSection[], count: number): KbSection[] {
  const out: KbSection[] = [];
  for (let i = 0; out.length < count; i++) {
    const s = base[i % base.length]!;
    const copy = Math.floor(i / base.length);
    const extra = `This applies to the ${pick(WORDS)} ${copy} and ${
      pick(WORDS)
    } ${copy + 1} ranges.`;
    out.push({
      ...s,
      id: `${s.id}-${copy}`,
      docId: `${copy}/${s.docId}`,
      title: `${s.title} ${copy}`,
      text: `${s.text}\n${extra}`,
    });
  }
  return out;
}

/** Writes sections back as markdown files, one document per original document copy. */
async function writeKb(dir: string, sections: KbSection[]): Promise<void> {
  const byDoc = new Map<string, KbSection[]>();
  for (const s of sections) {
    byDoc.set(s.docId, [...(byDoc.get(s.docId) ?? []), s]);
  }
  for (const [docId, secs] of byDoc) {
    const path = `${dir}/${docId}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    const body = secs.map((s) => `## ${s.heading}\n\n${s.text}\n`).join("\n");
    await Deno.writeTextFile(
      path,
      `---\ntitle: ${JSON.stringify(secs[0]!.title)}\n---\n\n${body}`,
    );
  }
}

function email(q: string): ParsedEmail {
  return textEmail(q, { id: "b", threadId: "b", subject: "Question" });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const r3 = (x: number) => Math.round(x * 1000) / 1000;

const tmp = await Deno.makeTempDir({ prefix: "pipeline_bench_" });
try {
  const examples = await loadExamples(
    bundledExampleFiles(
      `${ROOT}pipeline/classify/training/classify_examples.jsonl`,
    ),
  );
  const classifier = createClassifier(examples);

  const real = createKnowledgeBase({
    dir: `${ROOT}knowledge_base`,
    cacheDir: `${tmp}/c0`,
    logger: silentLogger,
  });
  await real.reindex();
  const base = real.sections();

  const kbDir = `${tmp}/kb1000`;
  await writeKb(kbDir, expand(base, 1000));
  // The default path: BM25 with the bundled word vectors.
  const vectorsStarted = performance.now();
  const wordVectors = await loadWordVectors();
  const vectorsLoadMs = performance.now() - vectorsStarted;
  const kb = createKnowledgeBase({
    dir: kbDir,
    cacheDir: `${tmp}/c1`,
    logger: silentLogger,
    wordVectors,
  });
  const cold = await kb.reindex();
  const warm = await createKnowledgeBase({
    dir: kbDir,
    cacheDir: `${tmp}/c1`,
    logger: silentLogger,
    wordVectors,
  }).reindex();

  const questions = (await Deno.readTextFile(`${ROOT}eval/answerable.jsonl`))
    .trim().split("\n")
    .map((l) => (JSON.parse(l) as { question: string }).question);
  const emails = questions.map(email);
  const config = {
    answerThreshold: 0.5,
    signature: "The Support Team",
    shopName: "Northwind Goods",
  };
  for (const e of emails) {
    await answerQuestion(e, { retriever: kb.retriever, config }); // warm-up
  }
  const times: number[] = [];
  let answered = 0;
  for (let round = 0; round < 10; round++) {
    for (const e of emails) {
      const t0 = performance.now();
      classifier.classify({ subject: e.subject, body: e.cleanText });
      const a = await answerQuestion(e, { retriever: kb.retriever, config });
      times.push(performance.now() - t0);
      if (a.ok && round === 0) answered++;
    }
  }

  const big = expand(base, 10_000);
  const buildTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    buildSectionIndex(big, null);
    buildTimes.push(performance.now() - t0);
  }

  const result = {
    sections: kb.sections().length,
    emails: times.length,
    per_email_ms_median: r3(median(times)),
    per_email_ms_p95: r3(
      [...times].sort((a, b) => a - b)[Math.floor(times.length * 0.95)]!,
    ),
    answered_share: r3(answered / emails.length),
    lexical_index_10k_sections_ms: r3(median(buildTimes)),
    word_vectors_load_ms: r3(vectorsLoadMs),
    kb_1000_cold_reindex_ms: cold.ms,
    kb_1000_warm_reindex_ms: warm.ms,
    warm_reindex_built: warm.built,
    classifier_train_ms: Math.round(classifier.info.trainMs),
    classifier_examples: classifier.info.examples,
    classifier_temperature: r3(classifier.info.temperature),
    targets: { per_email_ms_median: 2, lexical_index_10k_sections_ms: 3000 },
  };
  Deno.stdout.writeSync(
    new TextEncoder().encode(JSON.stringify(result) + "\n"),
  );
} finally {
  await Deno.remove(tmp, { recursive: true });
}
