/**
 * Fits the answerability model (`pipeline/answer/answerability_model.json`)
 * on labelled development pairs, and chooses its threshold for precision.
 *
 * For each single-ask email of the development sets, the real answering
 * code runs over its knowledge base with word vectors; the features of the
 * chosen section are recorded with a label: 1 when the line expects an
 * answer and the quoted sentences hold one of its facts, else 0 (an
 * uncovered question, or a covered one answered from the wrong place).
 * Real off-topic utterances (HWU64, shared data) are added as uncovered
 * questions. A logistic model (standardised features, L2) is fitted; the
 * threshold minimises, over repeated 5-fold cross-validation, the cost of
 * its mistakes when a wrong answer (or an answer to an uncovered question)
 * costs `WRONG_COST` times a question left to a person.
 *
 * The held-out sets (eval/answers/heldout_*) are never read here.
 * Run: `deno run -A eval/fit_answerability.ts [--write] [--loko [--sweep]]
 * [--ablate] [--dump FILE] [--also dev_mobile,dev_gym]`. `--also` adds
 * more dev sets (the committed model is fitted without them: with them the
 * model grows more conservative and still does not separate their asks).
 * `--loko` fits on all knowledge bases but one
 * and reports the one left out (how the model does on a new shop's
 * knowledge base); `--ablate` adds, for each covered ask, the same ask with
 * its answering sections removed as a near miss (an experiment: it traded
 * right answers for precision on the dev sets and is not used for the
 * committed model).
 * @module
 */
// deno-lint-ignore-file no-console
import {
  answerQuestion,
  type AskTrace,
} from "../pipeline/answer/answer_question.ts";
import { extractAsks } from "../pipeline/answer/asks.ts";
import {
  type AnswerModel,
  FEATURES,
} from "../pipeline/answer/answerability.ts";
import type { Retriever } from "../pipeline/ports.ts";
import { cleanBody } from "../pipeline/mail/clean_body.ts";
import { createKnowledgeBase } from "../pipeline/knowledge/knowledge_base.ts";
import {
  loadWordVectors,
  type WordVectors,
} from "../pipeline/knowledge/word_vectors.ts";
import { silentLogger } from "../app/ops/logger.ts";
import { normalizeFact } from "../pipeline/decide/answers_eval.ts";
import { sharedData } from "./shared_data.ts";
import { answerSetKb } from "./derive_bitext_answers.ts";
import { textEmail } from "./text_email.ts";

const here = (f: string) => new URL(f, import.meta.url).pathname;
/** A wrong automatic answer costs this many questions left to a person. */
const WRONG_COST = 5;
const L2 = 0.05;
const OFF_TOPIC_PER_KB = 120;
/** Adds, for each covered ask, the same ask with its answer removed. */
const ABLATE = Deno.args.includes("--ablate");

interface Line {
  id: string;
  subject?: string;
  body: string;
  expect: "answer" | "person";
  facts?: string[];
}

interface Example {
  x: number[];
  y: number;
  covered: boolean;
  /** An HWU64 utterance (not counted in the uncovered rate). */
  offTopic: boolean;
  id: string;
}

const readLines = async (path: string): Promise<Line[]> =>
  (await Deno.readTextFile(path)).split("\n").filter((l) => l.trim()).map(
    (l) => JSON.parse(l) as Line,
  );

/** The bundled KB's answer-facts and unanswerable files as answer lines. */
async function bundledLines(): Promise<Line[]> {
  const facts = await readLines(here("answer_facts.jsonl")) as unknown as {
    question: string;
    expect: string[];
  }[];
  const unc = await readLines(here("unanswerable.jsonl")) as unknown as {
    question: string;
  }[];
  return [
    ...facts.map((f, i) => ({
      id: `facts-${i}`,
      body: f.question,
      expect: "answer" as const,
      facts: f.expect.slice(0, 1),
    })),
    ...unc.map((u, i) => ({
      id: `unanswerable-${i}`,
      body: u.question,
      expect: "person" as const,
    })),
  ];
}

/** A fixed sample of real off-topic utterances (HWU64). */
async function offTopic(seed: number): Promise<Line[]> {
  const all = (await Deno.readTextFile(
    sharedData("hwu64/hwu64_utterances.jsonl"),
  )).split("\n").filter((l) => l.trim()).map((l) =>
    JSON.parse(l) as { id: string; text: string }
  );
  let s = seed;
  const rand = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const out: Line[] = [];
  while (out.length < OFF_TOPIC_PER_KB) {
    const u = all[Math.floor(rand() * all.length)]!;
    out.push({ id: u.id, body: u.text, expect: "person" });
  }
  return out;
}

/** The development sets: [name, lines, KB folder]. */
async function devSets(): Promise<Array<[string, Line[], string]>> {
  const sets: Array<[string, Line[], string]> = [
    ["bundled", await bundledLines(), here("../knowledge_base")],
  ];
  const also = Deno.args.includes("--also")
    ? Deno.args[Deno.args.indexOf("--also") + 1]!.split(",")
    : [];
  for (const name of ["dev_bike", "dev_garden", "dev_hotel", ...also]) {
    const dir = here(`answers/${name}`);
    try {
      const kb = answerSetKb(name);
      sets.push([name, await readLines(`${dir}/questions.jsonl`), kb]);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      console.error(`(no ${dir}; skipped)`);
    }
  }
  return sets;
}

async function collect(
  vectors: WordVectors,
  name: string,
  lines: Line[],
  kbDir: string,
): Promise<Example[]> {
  const cacheDir = await Deno.makeTempDir({ prefix: "fit_answerability_" });
  try {
    const kb = createKnowledgeBase({
      dir: kbDir,
      cacheDir,
      logger: silentLogger,
      wordVectors: vectors,
    });
    await kb.reindex();
    const out: Example[] = [];
    const all = [...lines, ...await offTopic(name.length * 7919)];
    for (const line of all) {
      const body = cleanBody(line.body).text;
      if (extractAsks(line.subject ?? "", body).length !== 1) continue;
      const traces: AskTrace[] = [];
      await answerQuestion(
        textEmail(body, { subject: line.subject ?? "" }),
        {
          retriever: kb.retriever,
          config: { answerThreshold: 0.5, signature: "-", shopName: "-" },
          onAsk: (t) => traces.push(t),
        },
      );
      const t = traces[0];
      // Asks the rules settle (no sentence, a height no range holds) are left out.
      if (!t || t.features.quantity < 0) continue;
      const quoted = normalizeFact(t.sentences.join(" "));
      const right = line.expect === "answer" &&
        (line.facts ?? []).some((f) => quoted.includes(normalizeFact(f)));
      out.push({
        x: FEATURES.map((f) => t.features[f]),
        y: right ? 1 : 0,
        covered: line.expect === "answer",
        offTopic: line.id.startsWith("hwu-"),
        id: `${name}:${line.id}`,
      });
      if (ABLATE && line.expect === "answer" && line.facts?.length) {
        // The same ask against the knowledge base without the sections
        // that answer it: a near miss, as a new shop's uncovered asks are.
        const facts = line.facts.map(normalizeFact);
        const holds = (text: string) =>
          facts.some((f) => normalizeFact(text).includes(f));
        const ablated: Retriever = {
          semantics: kb.retriever.semantics ?? null,
          search: async (q, k) =>
            (await kb.retriever.search(q, k + 4)).filter((h) => !holds(h.text))
              .slice(0, k),
        };
        const more: AskTrace[] = [];
        await answerQuestion(
          textEmail(body, { subject: line.subject ?? "" }),
          {
            retriever: ablated,
            config: { answerThreshold: 0.5, signature: "-", shopName: "-" },
            onAsk: (x) => more.push(x),
          },
        );
        const a = more[0];
        if (a && a.features.quantity >= 0) {
          out.push({
            x: FEATURES.map((f) => a.features[f]),
            y: 0,
            covered: false,
            offTopic: false,
            id: `${name}:${line.id}#ablated`,
          });
        }
      }
    }
    return out;
  } finally {
    await Deno.remove(cacheDir, { recursive: true });
  }
}

/** Logistic regression by Newton-free gradient descent on standardised features. */
function fit(data: Example[]): Omit<AnswerModel, "threshold"> {
  const d = FEATURES.length;
  const mean = Array.from(
    { length: d },
    (_, j) => data.reduce((s, e) => s + e.x[j]!, 0) / data.length,
  );
  const scale = Array.from({ length: d }, (_, j) => {
    const v = data.reduce((s, e) => s + (e.x[j]! - mean[j]!) ** 2, 0) /
      data.length;
    return Math.sqrt(v) || 1;
  });
  const z = data.map((e) => e.x.map((x, j) => (x - mean[j]!) / scale[j]!));
  const w = new Array(d).fill(0);
  let b = 0;
  const rate = 0.5;
  for (let it = 0; it < 3000; it++) {
    const gw = new Array(d).fill(0);
    let gb = 0;
    z.forEach((x, i) => {
      const p = 1 /
        (1 + Math.exp(-(b + x.reduce((s, v, j) => s + v * w[j], 0))));
      const err = p - data[i]!.y;
      gb += err;
      for (let j = 0; j < d; j++) gw[j] += err * x[j]!;
    });
    for (let j = 0; j < d; j++) {
      w[j] -= rate * (gw[j] / data.length + L2 * w[j]);
    }
    b -= rate * gb / data.length;
  }
  const r = (x: number) => Math.round(x * 1e5) / 1e5;
  return {
    features: [...FEATURES],
    mean: mean.map(r),
    scale: scale.map(r),
    weights: w.map(r),
    bias: r(b),
  };
}

function predict(m: Omit<AnswerModel, "threshold">, x: number[]): number {
  let z = m.bias;
  x.forEach((v, j) => z += m.weights[j]! * (v - m.mean[j]!) / m.scale[j]!);
  return 1 / (1 + Math.exp(-z));
}

/** Cross-validation repeats, each with its own fold assignment. */
const REPEATS = 5;

/**
 * Out-of-fold probabilities, 5 folds, averaged over `REPEATS` fold
 * assignments (a fixed pseudo-random shuffle each), so the threshold is not
 * chosen on the luck of one split.
 */
function crossValidated(data: Example[]): number[] {
  const p = new Array(data.length).fill(0);
  for (let r = 0; r < REPEATS; r++) {
    let s = 12345 + r;
    const fold = data.map(() => {
      s = (s * 1664525 + 1013904223) >>> 0;
      return s % 5;
    });
    for (let k = 0; k < 5; k++) {
      const m = fit(data.filter((_, i) => fold[i] !== k));
      data.forEach((e, i) => {
        if (fold[i] === k) p[i] += predict(m, e.x) / REPEATS;
      });
    }
  }
  return p;
}

/** The threshold of least cost on out-of-fold probabilities. */
function leastCostThreshold(data: Example[], p: number[]): number {
  let best = 0.99;
  let least = Infinity;
  for (let t = 0.2; t < 0.99; t += 0.01) {
    let cost = 0;
    data.forEach((e, i) => {
      const sent = p[i]! >= t;
      if (sent && e.y === 0 && !e.offTopic) cost += WRONG_COST;
      if (!sent && e.y === 1) cost += 1;
    });
    if (cost < least) {
      least = cost;
      best = t;
    }
  }
  return best;
}

/**
 * Leave one knowledge base out: fit on the others (threshold by their own
 * cross-validation), report the rates on the one left out. This is how the
 * model does on a new shop's knowledge base.
 */
function leaveOneKbOut(data: Example[]): void {
  const kbs = [...new Set(data.map((e) => e.id.split(":")[0]!))];
  for (const kb of kbs) {
    const train = data.filter((e) => !e.id.startsWith(`${kb}:`));
    const test = data.filter((e) => e.id.startsWith(`${kb}:`));
    const t = leastCostThreshold(train, crossValidated(train));
    const m = fit(train);
    const p = test.map((e) => predict(m, e.x));
    const r = rates(test, p, t);
    const f = (x: number) => x.toFixed(3);
    if (Deno.args.includes("--sweep")) {
      for (const u of [0.2, 0.3, 0.4, 0.5, 0.6]) {
        const q = rates(test, p, u);
        console.error(
          `   ${kb} t=${u} right ${q.answered_right.toFixed(3)} wrong ${
            q.answered_wrong.toFixed(3)
          } unc ${q.uncovered_answered.toFixed(3)} off ${
            offTopicRate(test, p, u).toFixed(3)
          }`,
        );
      }
    }
    console.error(
      `LOKO ${kb}: t=${t.toFixed(2)} right ${f(r.answered_right)} wrong ${
        f(r.answered_wrong)
      } uncovered ${f(r.uncovered_answered)} offtopic ${
        f(offTopicRate(test, p, t))
      }`,
    );
  }
}

function offTopicRate(data: Example[], p: number[], t: number): number {
  const off = data.map((e, i) => [e, p[i]!] as const).filter(([e]) =>
    e.offTopic
  );
  return off.length ? off.filter(([, q]) => q >= t).length / off.length : 0;
}

/** The targets' rates at a threshold (uncovered: in-domain lines only). */
function rates(data: Example[], p: number[], t: number) {
  let covSent = 0, wrong = 0, right = 0, cov = 0, unc = 0, uncSent = 0;
  data.forEach((e, i) => {
    const sent = p[i]! >= t;
    if (e.covered) {
      cov++;
      if (!sent) return;
      covSent++;
      if (e.y === 1) right++;
      else wrong++;
    } else if (!e.offTopic) {
      unc++;
      if (sent) uncSent++;
    }
  });
  return {
    threshold: t,
    answered_right: cov ? right / cov : 0,
    answered_wrong: covSent ? wrong / covSent : 0,
    uncovered_answered: unc ? uncSent / unc : 0,
  };
}

if (import.meta.main) {
  const vectors = await loadWordVectors();
  const data: Example[] = [];
  for (const [name, lines, kb] of await devSets()) {
    const got = await collect(vectors, name, lines, kb);
    console.error(
      `${name}: ${got.length} asks, ${
        got.filter((e) => e.y).length
      } answerable`,
    );
    data.push(...got);
  }
  const dump = Deno.args.indexOf("--dump");
  if (dump >= 0) {
    await Deno.writeTextFile(Deno.args[dump + 1]!, JSON.stringify(data));
  }
  if (Deno.args.includes("--loko")) leaveOneKbOut(data);
  const p = crossValidated(data);
  // The threshold of least cost: wrong answers weigh WRONG_COST each.
  const chosen = rates(data, p, leastCostThreshold(data, p));
  const model: AnswerModel = {
    ...fit(data),
    threshold: Math.round(chosen.threshold * 100) / 100,
  };
  console.error(JSON.stringify({ examples: data.length, cv: chosen }));
  for (let t = 0.3; t < 0.96; t += 0.05) {
    const r = rates(data, p, t);
    console.error(
      `  t=${t.toFixed(2)} right ${r.answered_right.toFixed(3)} wrong ${
        r.answered_wrong.toFixed(3)
      } uncovered ${r.uncovered_answered.toFixed(3)}`,
    );
  }
  if (Deno.args.includes("--verbose")) {
    data.forEach((e, i) => {
      const s = p[i]! >= 0.6;
      if (s && e.y === 0 && e.covered) {
        console.error(`${s ? "FP" : "FN"} ${e.id} p=${p[i]!.toFixed(2)}`);
      }
    });
  }
  const json = JSON.stringify(model, null, 2) + "\n";
  if (Deno.args.includes("--write")) {
    await Deno.writeTextFile(
      here("../pipeline/answer/answerability_model.json"),
      json,
    );
  }
  console.log(json);
}
