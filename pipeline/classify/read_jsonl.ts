/**
 * Reads a JSON-lines file, validating each line with a zod schema. A bad
 * line is an `invalid_input` AppError naming the file and the line number.
 * @module
 */
import type { z } from "zod";
import { AppError } from "../errors.ts";

/** Parses JSON lines (blank lines skipped); `name` is used in messages. */
export function parseJsonLines<T>(
  text: string,
  schema: z.ZodType<T>,
  name: string,
): T[] {
  const out: T[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch {
      throw new AppError(
        "invalid_input",
        `Cannot read ${name}: line ${i + 1} is not valid JSON`,
      );
    }
    const r = schema.safeParse(data);
    if (!r.success) {
      const issue = r.error.issues[0];
      const where = issue?.path.length
        ? `field "${issue.path.join(".")}": `
        : "";
      throw new AppError(
        "invalid_input",
        `Cannot read ${name}: line ${i + 1}: ${where}${
          issue?.message ?? "invalid"
        }`,
      );
    }
    out.push(r.data);
  });
  return out;
}

/** Reads and parses a JSON-lines file; a missing file is a `not_found` AppError. */
export async function readJsonLines<T>(
  path: string,
  schema: z.ZodType<T>,
): Promise<T[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new AppError("not_found", `Cannot read ${path}: no such file`, {
        cause: e,
      });
    }
    throw new AppError(
      "invalid_input",
      `Cannot read ${path}: ${(e as Error).message}`,
      { cause: e },
    );
  }
  return parseJsonLines(text, schema, path);
}
