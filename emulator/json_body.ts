/**
 * Reads a JSON request body and validates it with zod, answering Google's
 * 400 shape when it is not JSON or does not fit.
 * @module
 */
import type { Context } from "hono";
import type { z } from "zod";
import { googleError } from "./errors.ts";

/** The parsed body; throws a Google 400 on bad JSON or a bad shape. */
export async function readJson<T extends z.ZodType>(
  c: Context,
  schema: T,
): Promise<z.infer<T>> {
  const text = await c.req.text();
  let value: unknown = {};
  if (text.trim() !== "") {
    try {
      value = JSON.parse(text);
    } catch {
      throw googleError(
        400,
        "invalid",
        "Invalid JSON payload received. Unexpected token.",
      );
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || "body";
    throw googleError(
      400,
      "invalid",
      `Invalid JSON payload received. ${where}: ${issue?.message ?? "invalid"}`,
    );
  }
  return parsed.data;
}
