/**
 * Answerability as a calibrated decision: the features of an ask against
 * its best candidate section (lexical and soft word coverage, sentence
 * meaning, retrieval margin, the wanted value, heights and weights) go
 * through a small logistic model fitted on labelled pairs
 * (`eval/fit_answerability.ts`, weights in `answerability_model.json`). Its
 * output is the probability that the quoted sentences answer the ask; the
 * threshold was chosen for precision.
 * @module
 */
import type { Semantics } from "../ports.ts";
import { sectionText } from "../knowledge/section_index.ts";
import fitted from "./answerability_model.json" with { type: "json" };
import type { Candidate } from "./choose_section.ts";
import { type AskProfile, wantedValue } from "./sentence_score.ts";

/** The feature names, in the model's order. */
export const FEATURES = [
  "lexical",
  "semantic",
  "soft",
  "soft_min",
  "sentence_soft",
  "sentence_cos",
  "first",
  "margin",
  "value",
  "quantity",
  "vague",
  "words",
  "sentence_lexical",
  "sentence_margin",
] as const;

/** One feature vector, by name. */
export type AnswerFeatures = Record<(typeof FEATURES)[number], number>;

/** A fitted logistic model over standardised features. */
export interface AnswerModel {
  features: string[];
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
  /** Least probability to answer automatically. */
  threshold: number;
}

/** The committed model. */
export const ANSWER_MODEL: AnswerModel = fitted;

/** Margin values above this add nothing. */
const MAX_MARGIN = 3;

/** The features of `best` (with `next` the runner-up) for the ask. */
export function answerFeatures(
  profile: AskProfile,
  best: Candidate,
  next: Candidate | null,
  opts: { semantics: Semantics; vague: boolean },
): AnswerFeatures {
  const { semantics } = opts;
  const q = profile.query;
  const cover = semantics.coverage(q, sectionText(best.hit));
  const quoted = best.sentences.join(" ");
  const value = best.sentences.length
    ? Math.max(...best.sentences.map((s) => wantedValue(s, profile.wants)))
    : wantedValue("", profile.wants);
  // +1 a range of the section holds the asked value, -1 it has ranges of
  // that kind but none holds it, 0 no range or no value asked.
  const fits = best.scored.map((x) => x.quantity);
  const quantity = fits.includes(1) ? 1 : fits.includes(-1) ? -1 : 0;
  const quotedTerms = best.scored.filter((x) => best.sentences.includes(x.s))
    .reduce((m, x) => Math.max(m, x.own), 0);
  const bySentence = best.scored.map((x) => x.sentence).sort((a, b) => b - a);
  return {
    sentence_lexical: profile.terms.size
      ? Math.min(1, quotedTerms / profile.terms.size)
      : 0,
    sentence_margin: Math.min(
      MAX_MARGIN,
      (bySentence[0] ?? 0) - (bySentence[1] ?? 0),
    ),
    lexical: best.hit.score,
    semantic: best.hit.semantic ?? 0,
    soft: cover.mean,
    soft_min: cover.min,
    sentence_soft: quoted ? semantics.coverage(q, quoted).mean : 0,
    sentence_cos: quoted ? semantics.similarity(q, quoted) : 0,
    first: best.rank === 0 ? 1 : 0,
    margin: Math.min(MAX_MARGIN, best.value - (next?.value ?? 0)),
    value,
    quantity,
    vague: opts.vague ? 1 : 0,
    words: Math.min(1, cover.words / 6),
  };
}

/** The model's probability that the quoted sentences answer the ask. */
export function answerProbability(
  f: AnswerFeatures,
  model: AnswerModel = ANSWER_MODEL,
): number {
  let z = model.bias;
  model.features.forEach((name, i) => {
    const x = f[name as keyof AnswerFeatures] ?? 0;
    z += model.weights[i]! * (x - model.mean[i]!) / (model.scale[i] || 1);
  });
  return 1 / (1 + Math.exp(-z));
}
