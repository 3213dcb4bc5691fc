/**
 * Derives the classifier's real-wording examples from the shared data
 * (`../shared/data`): hwu64 (CC BY 4.0, Liu et al. 2019; 11k home-assistant
 * utterances, all labelled Other) and the Bitext customer-support sample
 * (CDLA-Sharing-1.0; intents mapped to Question / Refund / Other as in
 * `bitext/README.md`). Rows whose text is in `bitext/classify_dev.jsonl` are
 * dropped (that file is the dev set). Each source is split by a hash of the
 * text: 30% held out — written to `eval/classify_heldout_*.jsonl` and never
 * trained on — and of the rest a fixed share is kept for training, written
 * to `pipeline/classify/training/real_wording.jsonl` with its `source`.
 * Deterministic. Run:
 * `deno run --allow-read --allow-write --allow-env eval/derive_classify_training.ts`
 * @module
 */
import { sharedData } from "./shared_data.ts";

/** Share of each source held out for evaluation (never trained on). */
export const HELDOUT_SHARE = 0.3;
/** Most hwu64 rows kept for training (time to train at startup). */
export const HWU64_TRAIN_MAX = 2400;

/** Bitext intent → label (`bitext/README.md`). */
export const BITEXT_LABELS: Record<string, "Question" | "Refund" | "Other"> = {
  get_refund: "Refund",
  track_refund: "Refund",
  cancel_order: "Refund",
  check_refund_policy: "Question",
  check_cancellation_fee: "Question",
  delivery_options: "Question",
  delivery_period: "Question",
  check_payment_methods: "Question",
  track_order: "Question",
  check_invoice: "Question",
  get_invoice: "Question",
  payment_issue: "Question",
  registration_problems: "Question",
  recover_password: "Question",
  change_shipping_address: "Question",
  set_up_shipping_address: "Question",
  edit_account: "Question",
  switch_account: "Question",
  create_account: "Question",
  delete_account: "Question",
  newsletter_subscription: "Question",
  complaint: "Other",
  review: "Other",
  contact_human_agent: "Other",
  contact_customer_service: "Other",
  place_order: "Other",
  change_order: "Other",
};

/** One derived row. */
export interface DerivedRow {
  subject: string;
  body: string;
  label: "Question" | "Refund" | "Other";
  source: "hwu64" | "bitext";
  /** hwu64 intent or Bitext intent. */
  intent: string;
  /** hwu64 rows teach off-topic text, Bitext rows shop mail (`classifier.ts`). */
  domain: "shop" | "off_topic";
}

/** The text as compared for duplicates and for the dev-set overlap. */
export function normalText(s: string): string {
  return s.toLowerCase().replace(/\s+/g, " ").trim();
}

/** A stable number in [0, 1) from a text (FNV-1a). */
export function unitHash(s: string, seed = 0): number {
  let h = 2166136261 ^ seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) / 2 ** 32;
}

/** Parses RFC 4180 CSV (quoted fields may hold commas, quotes and newlines). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Splits rows into held-out and training rows by a hash of their text. */
export function splitRows(
  rows: DerivedRow[],
): { heldout: DerivedRow[]; train: DerivedRow[] } {
  const heldout: DerivedRow[] = [];
  const train: DerivedRow[] = [];
  for (const r of rows) {
    (unitHash(normalText(r.body)) < HELDOUT_SHARE ? heldout : train).push(r);
  }
  return { heldout, train };
}

/** Drops repeated texts and texts of the dev set. */
function dedupe(rows: DerivedRow[], dev: Set<string>): DerivedRow[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    const k = normalText(r.body);
    if (seen.has(k) || dev.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Reads and derives both sources; see the module doc. */
export async function deriveRows(): Promise<{
  hwu64: { heldout: DerivedRow[]; train: DerivedRow[] };
  bitext: { heldout: DerivedRow[]; train: DerivedRow[] };
  devOverlapDropped: number;
}> {
  const dev = new Set(
    (await Deno.readTextFile(sharedData("bitext/classify_dev.jsonl")))
      .split("\n").filter((l) => l.trim()).map((l) =>
        normalText((JSON.parse(l) as { body: string }).body)
      ),
  );
  const hwu = (await Deno.readTextFile(sharedData(
    "hwu64/hwu64_utterances.jsonl",
  ))).split("\n").filter((l) => l.trim()).map((l) => {
    const o = JSON.parse(l) as { text: string; intent: string };
    return {
      subject: "",
      body: o.text,
      label: "Other" as const,
      source: "hwu64" as const,
      intent: o.intent,
      domain: "off_topic" as const,
    };
  });
  const [header, ...csv] = parseCsv(
    await Deno.readTextFile(sharedData(
      "bitext/Bitext_Sample_Customer_Support_Training_Dataset.csv",
    )),
  );
  const col = (name: string) => header!.indexOf(name);
  const [ci, cn] = [col("instruction"), col("intent")];
  const bitextAll = csv.filter((r) => r.length > cn).map((r) => ({
    subject: "",
    body: r[ci]!,
    label: BITEXT_LABELS[r[cn]!] ?? "Other",
    source: "bitext" as const,
    intent: r[cn]!,
    domain: "shop" as const,
  }));
  const bitext = dedupe(bitextAll, dev);
  const devOverlapDropped =
    bitextAll.filter((r) => dev.has(normalText(r.body))).length;
  const hwuSplit = splitRows(dedupe(hwu, dev));
  // A fixed, hash-chosen share of hwu64's training rows keeps startup fast.
  hwuSplit.train = hwuSplit.train
    .map((r) => ({ r, k: unitHash(normalText(r.body), 7) }))
    .sort((a, b) => a.k - b.k).slice(0, HWU64_TRAIN_MAX).map((x) => x.r);
  return { hwu64: hwuSplit, bitext: splitRows(bitext), devOverlapDropped };
}

const line = (r: DerivedRow) => JSON.stringify(r);

if (import.meta.main) {
  const d = await deriveRows();
  const root = new URL("../", import.meta.url);
  const train = [...d.bitext.train, ...d.hwu64.train];
  await Deno.writeTextFile(
    new URL("pipeline/classify/training/real_wording.jsonl", root),
    train.map(line).join("\n") + "\n",
  );
  for (const s of ["hwu64", "bitext"] as const) {
    await Deno.writeTextFile(
      new URL(`eval/classify_heldout_${s}.jsonl`, root),
      d[s].heldout.map(line).join("\n") + "\n",
    );
  }
  // deno-lint-ignore no-console
  console.log(JSON.stringify({
    train_bitext: d.bitext.train.length,
    train_hwu64: d.hwu64.train.length,
    heldout_bitext: d.bitext.heldout.length,
    heldout_hwu64: d.hwu64.heldout.length,
    dev_rows_dropped: d.devOverlapDropped,
  }));
}
