/**
 * Checks a document uploaded from the Knowledge page before it is written
 * into the knowledge-base folder: a safe file name (no folder, no `..`,
 * `.md` or `.txt`), a size limit, UTF-8 text, and a document the agent can
 * read (front matter that parses, at least one section). Pure.
 * @module
 */
import { z } from "zod";
import { type KbSection, parseDocument } from "./parse_document.ts";

/** Largest document accepted from the page, in bytes. */
export const MAX_KB_UPLOAD_BYTES = 256 * 1024;

/** A file name the knowledge-base folder may receive from the page. */
export const kbUploadName = z.string()
  .min(1, "Choose a .md or .txt file to upload.")
  .max(100, "The file name is too long: at most 100 characters.")
  .refine(
    (n) => !/[/\\]/.test(n) && !n.includes(".."),
    "The file name must not name a folder: no /, \\ or ..",
  )
  .refine(
    (n) => /\.(md|txt)$/i.test(n),
    "Only .md (markdown) and .txt files can be uploaded.",
  )
  .refine(
    (n) => /^[A-Za-z0-9][A-Za-z0-9 _.-]*$/.test(n),
    "The file name may hold only letters, digits, spaces, dots, dashes and underscores, and must start with a letter or a digit.",
  );

/** What an upload is checked from. */
export interface KbUpload {
  name: string;
  bytes: Uint8Array;
}

/** A checked upload, or the one reason it is refused (in words). */
export type KbUploadCheck =
  | { ok: true; name: string; text: string; sections: KbSection[] }
  | { ok: false; message: string };

/** Checks an upload; `kbName` is the folder's name (section ids start with it). */
export function checkKbUpload(upload: KbUpload, kbName: string): KbUploadCheck {
  const name = kbUploadName.safeParse(upload.name);
  if (!name.success) {
    return { ok: false, message: name.error.issues[0]!.message };
  }
  if (upload.bytes.length === 0) {
    return { ok: false, message: `${name.data} is empty.` };
  }
  if (upload.bytes.length > MAX_KB_UPLOAD_BYTES) {
    return {
      ok: false,
      message: `${name.data} is too large: at most ${
        MAX_KB_UPLOAD_BYTES / 1024
      } KB.`,
    };
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(upload.bytes);
  } catch {
    return { ok: false, message: `${name.data} is not UTF-8 text.` };
  }
  if (text.includes("\u0000")) {
    return { ok: false, message: `${name.data} is not a text file.` };
  }
  let sections: KbSection[];
  try {
    sections = parseDocument(kbName, name.data, text).sections;
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
  if (sections.length === 0) {
    return {
      ok: false,
      message:
        `${name.data} has no text the agent could quote: write at least one section (a heading and sentences under it).`,
    };
  }
  return { ok: true, name: name.data, text, sections };
}
