/**
 * Labelled training examples: the bundled files plus the user's own file
 * (`USER_EXAMPLES_FILE`), same format, one JSON object per line:
 * `{"subject": "...", "body": "...", "label": "Question" | "Refund" | "Other"}`,
 * optionally with `source` (where the row comes from) and `domain`
 * (`"shop"` or `"off_topic"`: the row only teaches the classifier what is
 * shop mail and what is not; see `classifier.ts`).
 * @module
 */
import { dirname, join } from "node:path";
import { z } from "zod";
import { AppError } from "../errors.ts";
import type { Category } from "../types.ts";
import { readJsonLines } from "./read_jsonl.ts";

/** One labelled email. */
export interface LabelledExample {
  subject: string;
  body: string;
  label: Category;
  /** Where the row comes from (`hwu64`, `bitext`; none for the templates and the user's rows). */
  source?: string;
  /** Set on rows that only teach shop mail from off-topic text. */
  domain?: "shop" | "off_topic";
}

/** The real-wording file that sits beside the bundled examples file. */
export const REAL_WORDING_FILE = "real_wording.jsonl";
/**
 * Random strings of English words (`eval/derive_background_english.ts`),
 * beside `EXAMPLES_FILE`: they teach the shop gate what ordinary English
 * looks like.
 */
export const BACKGROUND_FILE = "background_english.jsonl";

/**
 * The bundled example files: `examplesFile` (EXAMPLES_FILE) and, beside it,
 * the real-wording rows derived from public data
 * (`eval/derive_classify_training.ts`) and the background-English rows
 * (`eval/derive_background_english.ts`); a missing file beside it is skipped.
 */
export function bundledExampleFiles(examplesFile: string): string[] {
  return [
    examplesFile,
    join(dirname(examplesFile), REAL_WORDING_FILE),
    join(dirname(examplesFile), BACKGROUND_FILE),
  ];
}

/** The line schema (extra fields are ignored). */
export const exampleSchema = z.object({
  subject: z.string().default(""),
  body: z.string(),
  label: z.enum(["Question", "Refund", "Other"], {
    error: () => 'label must be one of "Question", "Refund", "Other"',
  }),
  source: z.string().optional(),
  domain: z.enum(["shop", "off_topic"], {
    error: () => 'domain must be "shop" or "off_topic"',
  }).optional(),
});

/**
 * Loads and merges example files in order. A missing file is skipped except
 * the first (the bundled set); a bad line throws with its line number.
 */
export async function loadExamples(
  paths: string[],
): Promise<LabelledExample[]> {
  const all: LabelledExample[] = [];
  for (const [i, path] of paths.entries()) {
    try {
      all.push(...await readJsonLines(path, exampleSchema));
    } catch (e) {
      if (i > 0 && e instanceof AppError && e.code === "not_found") continue;
      throw e;
    }
  }
  return all;
}
