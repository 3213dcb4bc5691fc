/**
 * The attack on the LLM grounding check: hand-written
 * rewrites that change or invent a fact (expect "reject") and harmless
 * paraphrases (expect "accept"), each over the knowledge-base sentences an
 * extractive answer would quote. `scoreAdversarial` counts, per split, the
 * dangerous rewrites `checkGrounding` accepts, those `rewriteAnswer` would
 * send (accepted and no quantity or link of the facts dropped), and the
 * harmless paraphrases it rejects. The `holdout` split was written with the
 * rest, before the checker was changed, and is never tuned on.
 *
 * Run: `deno run --allow-read eval/grounding_adversarial.ts [FILE] [--show]`
 * @module
 */
import { z } from "zod";
import { droppedDetail } from "../pipeline/llm/grounded_rewrite.ts";
import { checkGrounding } from "../pipeline/llm/is_grounded.ts";

const Case = z.object({
  id: z.string().min(1),
  split: z.enum(["tune", "holdout"]),
  kind: z.string().min(1),
  expect: z.enum(["reject", "accept"]),
  facts: z.string().min(1),
  text: z.string().min(1),
});
const File = z.object({
  fact_sets: z.record(z.string(), z.array(z.string().min(1)).min(1)),
  cases: z.array(Case).min(1),
});
/** One adversarial case. */
export type AdversarialCase = z.infer<typeof Case>;
/** The adversarial file: named fact sets and the cases over them. */
export type AdversarialSet = z.infer<typeof File>;

/** The bundled adversarial set. */
export const ADVERSARIAL_FILE = new URL(
  "./llm_grounding_adversarial.json",
  import.meta.url,
);

/** Reads and validates an adversarial file; every case names a known fact set. */
export async function readAdversarialSet(
  path: string | URL = ADVERSARIAL_FILE,
): Promise<AdversarialSet> {
  const data = File.parse(JSON.parse(await Deno.readTextFile(path)));
  for (const c of data.cases) {
    if (!data.fact_sets[c.facts]) {
      throw new Error(`${c.id}: unknown fact set "${c.facts}"`);
    }
  }
  return data;
}

/** The figures of one split. */
export interface SplitScore {
  split: string;
  dangerous: number;
  /** Dangerous rewrites `checkGrounding` accepts. */
  accepted: number;
  /** Accepted and keeping every quantity and link: `rewriteAnswer` would send them. */
  would_send: number;
  harmless: number;
  false_rejections: number;
  false_rejection_rate: number;
  /** Accepted dangerous rewrites per kind, `accepted/total`. */
  accepted_by_kind: Record<string, string>;
  /** Ids of the accepted dangerous and the rejected harmless cases. */
  misses: string[];
}

/** Scores `checkGrounding` on the cases of one split. */
export function scoreSplit(set: AdversarialSet, split: string): SplitScore {
  const cases = set.cases.filter((c) => c.split === split);
  const kinds: Record<string, [number, number]> = {};
  const misses: string[] = [];
  let dangerous = 0, accepted = 0, wouldSend = 0, harmless = 0, rejected = 0;
  for (const c of cases) {
    const facts = set.fact_sets[c.facts]!;
    const ok = checkGrounding(c.text, facts).ok;
    if (c.expect === "reject") {
      dangerous++;
      const k = kinds[c.kind] ??= [0, 0];
      k[1]++;
      if (ok) {
        accepted++;
        k[0]++;
        misses.push(c.id);
        if (droppedDetail(c.text, facts) === null) wouldSend++;
      }
    } else {
      harmless++;
      if (!ok) {
        rejected++;
        misses.push(c.id);
      }
    }
  }
  return {
    split,
    dangerous,
    accepted,
    would_send: wouldSend,
    harmless,
    false_rejections: rejected,
    false_rejection_rate: harmless
      ? Math.round((rejected / harmless) * 1000) / 1000
      : 0,
    accepted_by_kind: Object.fromEntries(
      Object.entries(kinds).map(([k, [a, n]]) => [k, `${a}/${n}`]),
    ),
    misses,
  };
}

if (import.meta.main) {
  const args = Deno.args.filter((a) => !a.startsWith("--"));
  const set = await readAdversarialSet(args[0] ?? ADVERSARIAL_FILE);
  const show = Deno.args.includes("--show");
  for (const split of ["tune", "holdout"]) {
    const s = scoreSplit(set, split);
    if (show) {
      for (const id of s.misses) {
        const c = set.cases.find((x) => x.id === id)!;
        const r = checkGrounding(c.text, set.fact_sets[c.facts]!);
        // deno-lint-ignore no-console
        console.error(
          `${id} [${c.kind}] ${c.expect} ${r.ok ? "ok" : r.reason}: ${c.text}`,
        );
      }
    }
    // deno-lint-ignore no-console
    console.log(JSON.stringify({ ...s, misses: s.misses.length }));
  }
}
