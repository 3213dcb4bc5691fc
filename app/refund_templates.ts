/**
 * Reads the optional REFUND_TEMPLATES_FILE: a JSON object from template name
 * to text. Missing names keep the built-in defaults.
 * @module
 */
import { z } from "zod";
import { AppError } from "../pipeline/errors.ts";

const schema = z.record(z.string(), z.string().min(1));

/** The configured refund reply templates ({} when no file is set). */
export async function loadRefundTemplates(
  path: string | null,
): Promise<Record<string, string>> {
  if (!path) return {};
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    throw new AppError(
      "invalid_input",
      `Cannot read REFUND_TEMPLATES_FILE ${path}: no such file`,
      {
        cause: e,
      },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new AppError(
      "invalid_input",
      `REFUND_TEMPLATES_FILE ${path} is not valid JSON`,
      {
        cause: e,
      },
    );
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new AppError(
      "invalid_input",
      `REFUND_TEMPLATES_FILE ${path} must be a JSON object of template name to text`,
    );
  }
  return parsed.data;
}
