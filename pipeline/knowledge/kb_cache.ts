/**
 * The on-disk cache of parsed (and embedded) knowledge-base documents, keyed
 * by a hash of each file's content, so a warm start re-does no work for
 * unchanged documents.
 * @module
 */
import { z } from "zod";
import type { KbSection } from "./parse_document.ts";

/** Bump when parsing changes, so old caches are ignored. */
export const CACHE_VERSION = 2;

const sectionSchema = z.object({
  id: z.string(),
  docId: z.string(),
  title: z.string(),
  heading: z.string(),
  slug: z.string(),
  text: z.string(),
});

const entrySchema = z.object({
  hash: z.string(),
  title: z.string(),
  tags: z.array(z.string()),
  sections: z.array(sectionSchema),
  vectors: z.object({
    model: z.string(),
    dims: z.number().int().positive(),
    b64: z.string(),
  }).nullable(),
});

const fileSchema = z.object({
  version: z.literal(CACHE_VERSION),
  docs: z.record(z.string(), entrySchema),
});

/** One cached document. */
export type CacheEntry = z.infer<typeof entrySchema> & {
  sections: KbSection[];
};

/** Hex SHA-256 of bytes. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = await crypto.subtle.digest(
    "SHA-256",
    bytes as Uint8Array<ArrayBuffer>,
  );
  return [...new Uint8Array(d)].map((x) => x.toString(16).padStart(2, "0"))
    .join("");
}

/** The cache file for one KB folder (absolute path) inside `cacheDir`. */
export async function cachePath(
  cacheDir: string,
  kbAbsDir: string,
): Promise<string> {
  const h = (await sha256Hex(new TextEncoder().encode(kbAbsDir))).slice(0, 12);
  return `${cacheDir}/kb_cache_${h}.json`;
}

/** Reads the cache; a missing, old or corrupt file is an empty cache. */
export async function readCache(
  path: string,
): Promise<Map<string, CacheEntry>> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch {
    return new Map();
  }
  try {
    const parsed = fileSchema.safeParse(JSON.parse(text));
    return parsed.success
      ? new Map(Object.entries(parsed.data.docs))
      : new Map();
  } catch {
    return new Map();
  }
}

/** Writes the cache atomically (temp file + rename). */
export async function writeCache(
  path: string,
  docs: Map<string, CacheEntry>,
): Promise<void> {
  const dir = path.slice(0, path.lastIndexOf("/"));
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = `${path}.${crypto.randomUUID()}.tmp`;
  // Private like everything in the data folder (it quotes the KB).
  await Deno.writeTextFile(
    tmp,
    JSON.stringify({ version: CACHE_VERSION, docs: Object.fromEntries(docs) }),
    { mode: 0o600 },
  );
  await Deno.rename(tmp, path);
}

/** Float32Array → base64 (little-endian bytes). */
export function floatsToBase64(v: Float32Array): string {
  const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

/** base64 → Float32Array. */
export function base64ToFloats(b64: string): Float32Array {
  const s = atob(b64);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}
