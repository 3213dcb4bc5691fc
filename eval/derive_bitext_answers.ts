// deno-lint-ignore-file no-console
/**
 * Derives two `eval answers` sets of real third-party wording over the
 * bundled knowledge base (`knowledge_base/`, "Northwind Goods"): customer
 * utterances of the Bitext sample (shared data, CDLA-Sharing-1.0) whose
 * intent the knowledge base answers, each with the facts of the section
 * that answers it, and utterances of intents it does not cover (reviews,
 * switching to a "Gold" or "Freemium" account) as `person` lines.
 *
 * Per intent, a fixed pseudo-random order is cut in two halves:
 * `eval/answers/bitext_dev/` (may be tuned on) and
 * `eval/answers/bitext_heldout/` (report only, never read to tune). The cut
 * was made before any tuning on Bitext wording.
 *
 * Run: `deno run --allow-read --allow-write --allow-env eval/derive_bitext_answers.ts`.
 * @module
 */
import { parseCsv } from "./derive_classify_training.ts";
import { sharedData } from "./shared_data.ts";

/** Utterances taken per intent (half dev, half held out). */
export const PER_INTENT = 30;

/** Intents the bundled knowledge base answers, with the facts of a right reply. */
export const COVERED: Record<string, string[]> = {
  check_payment_methods: ["Visa", "PayPal"],
  delivery_period: ["3 to 5 business days", "within 1 business day"],
  delivery_options: ["three shipping options", "We ship to the United States"],
  // "You can cancel an order free of charge until it ships" answers it too.
  check_cancellation_fee: [
    "no cancellation fee",
    "15%",
    "free of charge until it ships",
  ],
  check_refund_policy: ["within 30 days", "5 to 10 business days"],
  contact_customer_service: ["9 am to 6 pm", "1-800-555-0199", "live chat"],
  recover_password: ["Forgot password"],
  delete_account: ["Delete account"],
  newsletter_subscription: ["Email preferences", "unsubscribe link"],
  create_account: ["Sign up"],
  set_up_shipping_address: ["Addresses", "Edit address"],
};

/** Intents the bundled knowledge base does not answer. */
export const UNCOVERED = ["review", "switch_account"];

/**
 * The knowledge-base folder an answer set of `eval/answers/` is read over:
 * its own `kb/`, or the bundled `knowledge_base/` for the bitext_* sets.
 */
export function answerSetKb(set: string): string {
  return new URL(
    set.startsWith("bitext") ? "../knowledge_base" : `answers/${set}/kb`,
    import.meta.url,
  ).pathname;
}

/** A line of `eval answers`. */
export interface AnswerLine {
  id: string;
  body: string;
  expect: "answer" | "person";
  facts?: string[];
}

/** A deterministic shuffle (LCG seeded by the intent's name). */
function shuffled<T>(xs: T[], seedText: string): T[] {
  let s = [...seedText].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  const rand = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The dev and held-out lines from the Bitext CSV's text. */
export function deriveLines(
  csvText: string,
): { dev: AnswerLine[]; heldout: AnswerLine[] } {
  const [header, ...rows] = parseCsv(csvText);
  const ci = header!.indexOf("instruction");
  const cn = header!.indexOf("intent");
  const dev: AnswerLine[] = [];
  const heldout: AnswerLine[] = [];
  const intents = [...Object.keys(COVERED), ...UNCOVERED];
  for (const intent of intents) {
    const seen = new Set<string>();
    const texts = rows.filter((r) => r[cn] === intent).map((r) => r[ci]!.trim())
      .filter((t) => {
        const k = t.toLowerCase().replace(/\s+/g, " ");
        if (!t || t.includes("{{") || seen.has(k)) return false;
        seen.add(k);
        return true;
      });
    const picked = shuffled(texts, intent).slice(0, PER_INTENT);
    picked.forEach((body, i) => {
      const facts = COVERED[intent];
      const line: AnswerLine = facts
        ? { id: `bx-${intent}-a-${i}`, body, expect: "answer", facts }
        : { id: `bx-${intent}-p-${i}`, body, expect: "person" };
      (i % 2 === 0 ? dev : heldout).push(line);
    });
  }
  return { dev, heldout };
}

if (import.meta.main) {
  const csv = await Deno.readTextFile(
    sharedData("bitext/Bitext_Sample_Customer_Support_Training_Dataset.csv"),
  );
  const { dev, heldout } = deriveLines(csv);
  const root = new URL("answers/", import.meta.url);
  for (
    const [name, lines] of [["bitext_dev", dev], [
      "bitext_heldout",
      heldout,
    ]] as const
  ) {
    const dir = new URL(`${name}/`, root);
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(
      new URL("questions.jsonl", dir),
      lines.map((l) => JSON.stringify(l)).join("\n") + "\n",
    );
    console.log(`${name}: ${lines.length} lines`);
  }
}
