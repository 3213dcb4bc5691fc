/**
 * Labelled training examples: the bundled file plus the user's own file
 * (`USER_EXAMPLES_FILE`), same format, one JSON object per line:
 * `{"subject": "...", "body": "...", "label": "Question" | "Refund" | "Other"}`.
 * @module
 */
import { z } from "zod";
import { AppError } from "../errors.ts";
import type { Category } from "../types.ts";
import { readJsonLines } from "./read_jsonl.ts";

/** One labelled email. */
export interface LabelledExample {
  subject: string;
  body: string;
  label: Category;
}

/** The line schema (extra fields are ignored). */
export const exampleSchema = z.object({
  subject: z.string().default(""),
  body: z.string(),
  label: z.enum(["Question", "Refund", "Other"], {
    error: () => 'label must be one of "Question", "Refund", "Other"',
  }),
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
