/**
 * Reads every knowledge-base file under a folder, reusing the cached parse
 * (and embeddings) of files whose content hash is unchanged.
 * @module
 */
import type { Embedder } from "../ports.ts";
import { type CacheEntry, floatsToBase64, sha256Hex } from "./kb_cache.ts";
import { KB_EXTENSIONS, parseDocument } from "./parse_document.ts";

/** Result of loading: entries by document id and the work counts. */
export interface LoadResult {
  docs: Map<string, CacheEntry>;
  /** Sections taken from the cache as they were. */
  reused: number;
  /** Sections parsed (and embedded) now. */
  built: number;
}

/** Lists KB files under `dir`, relative paths with `/`, sorted. */
export async function listKbFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string) => {
    for await (const e of Deno.readDir(rel ? `${dir}/${rel}` : dir)) {
      if (e.name.startsWith(".")) continue;
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory) await walk(path);
      else if (
        e.isFile && KB_EXTENSIONS.some((x) => e.name.toLowerCase().endsWith(x))
      ) out.push(path);
    }
  };
  await walk("");
  return out.sort();
}

/** Text that the embedder sees for a section. */
export function embeddingText(
  s: { title: string; heading: string; text: string },
): string {
  return `${s.title}. ${s.heading}. ${s.text}`;
}

/** Loads all documents; `embedder` with `embedderId` adds vectors. */
export async function loadDocuments(
  input: {
    dir: string;
    kbName: string;
    cache: Map<string, CacheEntry>;
    embedder: Embedder | null;
    embedderId: string;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<LoadResult> {
  const files = await listKbFiles(input.dir);
  const docs = new Map<string, CacheEntry>();
  let reused = 0;
  let built = 0;
  let done = 0;
  for (const docId of files) {
    const bytes = await Deno.readFile(`${input.dir}/${docId}`);
    const hash = await sha256Hex(bytes);
    const old = input.cache.get(docId);
    const vectorsOk = !input.embedder ||
      (old?.vectors?.model === input.embedderId &&
        old.vectors.dims === input.embedder.dimensions);
    if (
      old && old.hash === hash && vectorsOk &&
      old.sections[0]?.id.startsWith(`${input.kbName}/`)
    ) {
      docs.set(docId, old);
      reused += old.sections.length;
    } else {
      const doc = parseDocument(
        input.kbName,
        docId,
        new TextDecoder().decode(bytes),
      );
      let vectors: CacheEntry["vectors"] = null;
      if (input.embedder && doc.sections.length > 0) {
        const vs = await input.embedder.embed(doc.sections.map(embeddingText));
        const flat = new Float32Array(vs.length * input.embedder.dimensions);
        vs.forEach((v, i) => flat.set(v, i * input.embedder!.dimensions));
        vectors = {
          model: input.embedderId,
          dims: input.embedder.dimensions,
          b64: floatsToBase64(flat),
        };
      }
      docs.set(docId, {
        hash,
        title: doc.title,
        tags: doc.tags,
        sections: doc.sections,
        vectors,
      });
      built += doc.sections.length;
    }
    done++;
    input.onProgress?.(done, files.length);
  }
  return { docs, reused, built };
}
