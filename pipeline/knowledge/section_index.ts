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
import { tokenize } from "./tokenize.ts";

/** How many candidates each ranker contributes to the fusion. */
const FUSION_DEPTH = 50;

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

/** Builds the index over `sections`; `dense` row i belongs to section i. */
export function buildSectionIndex(
  sections: KbSection[],
  dense: DenseIndex | null,
): SectionIndex {
  const bm25 = buildBm25(sections.map(sectionTokens));
  const toResult = (i: number, score: number): RetrievedSection => {
    const s = sections[i]!;
    return {
      id: s.id,
      docId: s.docId,
      title: s.title,
      heading: s.heading,
      text: s.text,
      score,
    };
  };
  return {
    sections,
    dense,
    search(query, k, queryVector) {
      const terms = tokenize(query);
      if (!dense || !queryVector) {
        return bm25.search(terms, k).map((h) => toResult(h.index, h.coverage));
      }
      const lexical = bm25.search(terms, FUSION_DEPTH);
      const coverage = new Map(lexical.map((h) => [h.index, h.coverage]));
      const semantic = dense.search(queryVector, FUSION_DEPTH);
      return reciprocalRankFusion([
        lexical.map((h) => h.index),
        semantic.map((h) => h.index),
      ])
        .slice(0, k).map((f) => toResult(f.index, coverage.get(f.index) ?? 0));
    },
  };
}
