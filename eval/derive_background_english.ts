/**
 * Derives the classifier's background-English rows
 * (`pipeline/classify/training/background_english.jsonl`): 5,000 short
 * strings of English words drawn at random, by Zipf's law over their
 * frequency rank, from the bundled word list (the 100,000 words of
 * `pipeline/knowledge/vectors/glove_100k.bin`, GloVe-derived, PDDL), each
 * marked `domain: "off_topic"`, `source: "background"`.
 *
 * They teach the shop gate what ordinary English looks like, so that the
 * gate tells shop mail apart from off-topic text of kinds it has no example
 * of: a word is shop evidence only as far as shop mail uses it more than
 * English does. Trained without the hwu64 rows, the classifier took 62% of
 * hwu64's utterances for shop mail (macro-F1 0.546); with these rows, 29%
 * (0.832), while classify_dev stays at 0.9775 (`deno run --allow-read
 * --allow-env eval/classify_real_wording.ts`). Deterministic. Run:
 * `deno run --allow-read --allow-write eval/derive_background_english.ts`
 * @module
 */
import { loadWordVectors } from "../pipeline/knowledge/word_vectors.ts";

/** Rows written. */
export const BACKGROUND_ROWS = 5000;
/** Words drawn from: the most frequent this many. */
export const BACKGROUND_VOCABULARY = 100_000;
/** Zipf offset: p(rank r) ∝ 1 / (r + ZIPF_OFFSET). */
const ZIPF_OFFSET = 10;

/** One row of the file. */
export interface BackgroundRow {
  body: string;
  label: "Other";
  source: "background";
  domain: "off_topic";
}

/** The rows drawn from `word(rank)` over `vocabulary` ranks, with `seed`. */
export function backgroundRows(
  word: (rank: number) => string,
  opts: { rows: number; vocabulary: number; seed: number },
): BackgroundRow[] {
  const cumulative = new Float64Array(opts.vocabulary);
  let total = 0;
  for (let r = 0; r < opts.vocabulary; r++) {
    total += 1 / (r + ZIPF_OFFSET);
    cumulative[r] = total;
  }
  let s = opts.seed >>> 0;
  const rand = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const draw = () => {
    const x = rand() * total;
    let lo = 0;
    let hi = opts.vocabulary - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return word(lo);
  };
  const out: BackgroundRow[] = [];
  while (out.length < opts.rows) {
    const length = 3 + Math.floor(rand() * 8);
    const words = Array.from({ length }, draw).filter((w) =>
      /^[a-z]+$/.test(w)
    );
    const question = rand() < 0.5;
    if (words.length === 0) continue;
    out.push({
      body: words.join(" ") + (question ? "?" : ""),
      label: "Other",
      source: "background",
      domain: "off_topic",
    });
  }
  return out;
}

if (import.meta.main) {
  const vectors = await loadWordVectors();
  const rows = backgroundRows((r) => vectors.word(r), {
    rows: BACKGROUND_ROWS,
    vocabulary: Math.min(BACKGROUND_VOCABULARY, vectors.size),
    seed: 12345,
  });
  const path = new URL(
    "../pipeline/classify/training/background_english.jsonl",
    import.meta.url,
  ).pathname;
  await Deno.writeTextFile(
    path,
    rows.map((r) => JSON.stringify(r)).join("\n") + "\n",
  );
  // deno-lint-ignore no-console
  console.log(`${rows.length} rows written to ${path}`);
}
