/**
 * The knowledge-base folder on disk, compared with and written for the
 * index: which files changed since the index was built (by content hash),
 * and writing an uploaded document into the folder (atomically, never
 * outside it).
 * @module
 */
import { AppError } from "../errors.ts";
import { sha256Hex } from "./kb_cache.ts";
import { kbUploadName } from "./kb_upload.ts";
import { listKbFiles } from "./load_documents.ts";

/** Files that differ from the index: document ids (paths in the folder). */
export interface KbChanges {
  added: string[];
  changed: string[];
  removed: string[];
}

/** True when the folder differs from the index. */
export function hasChanges(c: KbChanges): boolean {
  return c.added.length + c.changed.length + c.removed.length > 0;
}

/** Compares the folder's files with the content hashes the index was built from. */
export async function folderChanges(
  dir: string,
  indexed: ReadonlyMap<string, string>,
): Promise<KbChanges> {
  const files = await listKbFiles(dir);
  const out: KbChanges = { added: [], changed: [], removed: [] };
  const seen = new Set<string>();
  for (const docId of files) {
    seen.add(docId);
    const hash = indexed.get(docId);
    if (hash === undefined) {
      out.added.push(docId);
      continue;
    }
    const bytes = await Deno.readFile(`${dir}/${docId}`).catch(() => null);
    if (bytes === null) out.removed.push(docId);
    else if (await sha256Hex(bytes) !== hash) out.changed.push(docId);
  }
  for (const docId of indexed.keys()) {
    if (!seen.has(docId)) out.removed.push(docId);
  }
  out.removed.sort();
  return out;
}

/**
 * Writes `text` as `name` at the top of the folder: through a hidden
 * temporary file renamed into place, so the index never reads half a file.
 * Without `replace`, an existing document is a `conflict`.
 */
export async function writeKbDocument(
  dir: string,
  name: string,
  text: string,
  opts: { replace: boolean },
): Promise<void> {
  const checked = kbUploadName.safeParse(name);
  if (!checked.success) {
    throw new AppError("invalid_input", checked.error.issues[0]!.message);
  }
  const target = `${dir}/${checked.data}`;
  const exists = await Deno.lstat(target).then(() => true, () => false);
  if (exists && !opts.replace) {
    throw new AppError(
      "conflict",
      `${checked.data} is already in the knowledge base: tick "Replace" to overwrite it.`,
    );
  }
  const tmp = `${dir}/.upload-${crypto.randomUUID()}.tmp`;
  try {
    await Deno.writeTextFile(tmp, text, { createNew: true });
    await Deno.rename(tmp, target);
  } catch (e) {
    await Deno.remove(tmp).catch(() => undefined);
    throw new AppError(
      "unavailable",
      `Cannot write into the knowledge base folder ${dir}: ${
        (e as Error).message
      }`,
      { cause: e },
    );
  }
}
