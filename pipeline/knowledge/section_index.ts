/**
 * The searchable index of knowledge-base sections: BM25 over title, heading
 * (counted twice) and text, optionally fused with a dense index by
 * reciprocal rank fusion.
 * @module
 */
import type { RetrievedSection } from "../ports.ts";
import { buildBm25 } from "./bm25.ts";
import { type DenseIndex, reciprocalRankFusion } from "./dense_index.ts";
import type { KbSection } from "./parse_document.ts";
import type { TextSemantics } from "./text_semantics.ts";
import { tokenize } from "./tokenize.ts";

/** How many candidates each ranker contributes to the fusion. */
const FUSION_DEPTH = 50;
/** Share of the document's BM25 score added to each of its sections. */
const DOC_WEIGHT = 0.5;
/**
 * With word vectors: a section's rank is its BM25 score (as a share of the
 * best one) plus this weight times its meaning's cosine with the query.
 */
export const SEMANTIC_MIX = 0.2;
/**
 * With word vectors: plus this weight times the cosine of the query with the
 * section's heading alone. A help page's heading names its topic ("Joining
 * fee", "What happens if a payment fails?"); averaged into a long section's
 * text, that meaning is diluted. (Hit@1, before → after: bundled 0.943 →
 * 0.957, ABCD 0.682 → 0.727, dev_gym 0.60 → 0.65, dev_hotel 0.81 → 0.84,
 * dev_mobile 0.56 → 0.58; bike and garden unchanged.)
 */
export const HEADING_MIX = 0.2;

/** A built section index. */
export interface SectionIndex {
  readonly sections: readonly KbSection[];
  readonly dense: DenseIndex | null;
  /**
   * Best `k` sections for the query. `score` is the idf-weighted share of the
   * query's terms found in the section, in [0, 1] (0 for a dense-only hit).
   */
  search(
    query: string,
    k: number,
    queryVector: Float32Array | null,
  ): RetrievedSection[];
}

/** Tokens indexed for one section. */
export function sectionTokens(
  s: { title: string; heading: string; text: string },
): string[] {
  const h = tokenize(s.heading);
  return [...tokenize(s.title), ...h, ...h, ...tokenize(s.text)];
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j]! * b[j]!;
  return s;
}

/** The text a section's meaning is read from: its heading and body. */
export function sectionText(s: { heading: string; text: string }): string {
  return `${s.heading}. ${s.text}`;
}

/** Builds the index over `sections`; `dense` row i belongs to section i. */
export function buildSectionIndex(
  sections: KbSection[],
  dense: DenseIndex | null,
  semantics: TextSemantics | null = null,
): SectionIndex {
  const bm25 = buildBm25(sections.map(sectionTokens));
  // Document-level evidence: every section also gets a share of its whole
  // document's BM25 score, so a section of the right document wins ties.
  const docIds = [...new Set(sections.map((s) => s.docId))];
  const docIndex = new Map(docIds.map((d, i) => [d, i]));
  const docOf = sections.map((s) => docIndex.get(s.docId)!);
  const docTokens: string[][] = docIds.map(() => []);
  sections.forEach((s, i) => docTokens[docOf[i]!]!.push(...sectionTokens(s)));
  const docBm25 = buildBm25(docTokens);
  const lexical = (terms: string[], k: number) => {
    const docScore = new Map(
      docBm25.search(terms, docIds.length).map((h) => [h.index, h.bm25]),
    );
    return bm25.search(terms, Math.max(k * 4, 40)).map((h) => ({
      ...h,
      bm25: h.bm25 + DOC_WEIGHT * (docScore.get(docOf[h.index]!) ?? 0),
    })).sort((a, b) => b.bm25 - a.bm25 || a.index - b.index).slice(0, k);
  };
  const texts = sections.map(sectionText);
  // Each section's meaning, computed once per index.
  const sectionVectors = semantics ? texts.map((t) => semantics.vector(t)) : [];
  const headingVectors = semantics
    ? sections.map((s) => semantics.vector(s.heading))
    : [];
  const toResult = (
    i: number,
    score: number,
    semantic?: number,
  ): RetrievedSection => {
    const s = sections[i]!;
    return {
      id: s.id,
      docId: s.docId,
      title: s.title,
      heading: s.heading,
      text: s.text,
      score,
      ...(semantic === undefined ? {} : { semantic }),
    };
  };
  // Word vectors: BM25 (as a share of the best) plus the meaning's cosine,
  // of the whole section and of its heading.
  const mixed = (
    query: string,
    terms: string[],
    k: number,
    sem: TextSemantics,
  ) => {
    const lex = lexical(terms, sections.length);
    const top = Math.max(1e-9, ...lex.map((h) => h.bm25));
    const share = new Float64Array(sections.length);
    const coverage = new Float64Array(sections.length);
    for (const h of lex) {
      share[h.index] = h.bm25 / top;
      coverage[h.index] = h.coverage;
    }
    const q = sem.vector(query);
    return sectionVectors.map((v, i) => {
      const cos = q && v ? dot(q, v) : 0;
      const h = headingVectors[i];
      const heading = q && h ? Math.max(0, dot(q, h)) : 0;
      return {
        i,
        cos,
        v: share[i]! + SEMANTIC_MIX * Math.max(0, cos) + HEADING_MIX * heading,
      };
    }).sort((a, b) => b.v - a.v || a.i - b.i).slice(0, k)
      .map((x) => toResult(x.i, coverage[x.i]!, x.cos));
  };
  return {
    sections,
    dense,
    search(query, k, queryVector) {
      const terms = tokenize(query);
      if (!dense || !queryVector) {
        if (semantics) return mixed(query, terms, k, semantics);
        return lexical(terms, k).map((h) => toResult(h.index, h.coverage));
      }
      const lex = lexical(terms, FUSION_DEPTH);
      const coverage = new Map(lex.map((h) => [h.index, h.coverage]));
      const semantic = dense.search(queryVector, FUSION_DEPTH);
      return reciprocalRankFusion([
        lex.map((h) => h.index),
        semantic.map((h) => h.index),
      ])
        .slice(0, k).map((f) =>
          toResult(
            f.index,
            coverage.get(f.index) ?? 0,
            semantics
              ? semantics.similarity(query, texts[f.index]!)
              : undefined,
          )
        );
    },
  };
}
