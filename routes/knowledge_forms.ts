/**
 * The Knowledge page's forms, checked with zod before anything runs: a
 * question, an `eval answers` file (pasted or uploaded, bounded in size and
 * lines, each line as the CLI reads it) and a document upload. Each check
 * returns the value or the one message shown on its form.
 * @module
 */
import { z } from "zod";
import { AppError } from "../pipeline/errors.ts";
import { parseJsonLines } from "../pipeline/classify/read_jsonl.ts";
import {
  type AnswerLine,
  answerLineSchema,
} from "../pipeline/decide/answers_eval.ts";
import {
  checkKbUpload,
  type KbUploadCheck,
} from "../pipeline/knowledge/kb_upload.ts";

/** Most lines of an answers file run from the page. */
export const MAX_EVAL_LINES = 200;
/** Largest answers file run from the page, in bytes. */
export const MAX_EVAL_BYTES = 256 * 1024;

/** A checked form: its value, or the message for the form. */
export type Checked<T> = { ok: true; value: T } | {
  ok: false;
  message: string;
};

const askForm = z.object({
  question: z.string({ message: "Write a question first." }).trim()
    .min(1, "Write a question first.")
    .max(4000, "The question is too long: at most 4,000 characters."),
});

/** The question of the ask form. */
export function readAskForm(body: unknown): Checked<string> {
  const f = askForm.safeParse(body);
  return f.success
    ? { ok: true, value: f.data.question }
    : { ok: false, message: f.error.issues[0]!.message };
}

const tooLarge = `The answers file is too large: at most ${
  MAX_EVAL_BYTES / 1024
} KB.`;

const evalForm = z.object({
  file: z.union([z.instanceof(File), z.literal("")]).optional(),
  lines: z.string().max(MAX_EVAL_BYTES, tooLarge).optional(),
});

/** The answers text: an uploaded file wins over the box. */
async function evalText(
  body: unknown,
): Promise<Checked<{ text: string; name: string }>> {
  const f = evalForm.safeParse(body);
  if (!f.success) return { ok: false, message: f.error.issues[0]!.message };
  const file = f.data.file;
  if (file instanceof File && file.size > 0) {
    if (file.size > MAX_EVAL_BYTES) return { ok: false, message: tooLarge };
    try {
      const text = new TextDecoder("utf-8", { fatal: true }).decode(
        await file.arrayBuffer(),
      );
      return { ok: true, value: { text, name: file.name || "the file" } };
    } catch {
      return { ok: false, message: "The answers file is not UTF-8 text." };
    }
  }
  const text = f.data.lines ?? "";
  if (text.trim() === "") {
    return {
      ok: false,
      message: "Paste JSON lines or choose a .jsonl file first.",
    };
  }
  return { ok: true, value: { text, name: "the pasted lines" } };
}

/** The lines of the eval form, each checked as `eval answers` reads it. */
export async function readEvalForm(
  body: unknown,
): Promise<Checked<{ lines: AnswerLine[]; name: string }>> {
  const input = await evalText(body);
  if (!input.ok) return input;
  const { text, name } = input.value;
  const count = text.split("\n").filter((l) => l.trim() !== "").length;
  if (count > MAX_EVAL_LINES) {
    return {
      ok: false,
      message:
        `${name} has ${count} lines: at most ${MAX_EVAL_LINES} run from this page (use \`deno task agent eval answers\` for more).`,
    };
  }
  try {
    return {
      ok: true,
      value: { lines: parseJsonLines(text, answerLineSchema, name), name },
    };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, message: err.message };
    throw err;
  }
}

const uploadForm = z.object({
  file: z.instanceof(File, { message: "Choose a .md or .txt file to upload." }),
  replace: z.literal("on").optional(),
});

/** The document of the upload form, checked as the index will read it. */
export async function readUploadForm(
  body: unknown,
  kbName: string,
): Promise<
  Checked<Extract<KbUploadCheck, { ok: true }> & { replace: boolean }>
> {
  const f = uploadForm.safeParse(body);
  if (!f.success) return { ok: false, message: f.error.issues[0]!.message };
  const checked = checkKbUpload({
    name: f.data.file.name,
    bytes: new Uint8Array(await f.data.file.arrayBuffer()),
  }, kbName);
  if (!checked.ok) return checked;
  return { ok: true, value: { ...checked, replace: f.data.replace === "on" } };
}
