/**
 * The knowledge base: loads the KB folder (cached by content hash), builds a
 * BM25 index (plus a dense index when an embedder is given, fused by
 * reciprocal rank fusion) and serves it as a `Retriever`. `reindex()`
 * rebuilds without a restart; `changes()` tells which files differ from the
 * index; `addDocument()` writes an uploaded document and reindexes.
 * @module
 */
import type { Logger } from "../log.ts";
import type { Clock, Embedder, Retriever } from "../ports.ts";
import { systemClock } from "../ports.ts";
import { createDenseIndex } from "./dense_index.ts";
import {
  base64ToFloats,
  cachePath,
  readCache,
  writeCache,
} from "./kb_cache.ts";
import { folderChanges, type KbChanges, writeKbDocument } from "./kb_folder.ts";
import { loadDocuments } from "./load_documents.ts";
import type { KbSection } from "./parse_document.ts";
import {
  buildSectionIndex,
  type SectionIndex,
  sectionText,
} from "./section_index.ts";
import { createTextSemantics, type TextSemantics } from "./text_semantics.ts";
import type { WordVectors } from "./word_vectors.ts";
import { createSpelling } from "./spelling.ts";
import { isStopWord, words } from "./tokenize.ts";

/** Outcome of one (re)index. */
export interface ReindexResult {
  documents: number;
  sections: number;
  /** Sections taken unchanged from the cache. */
  reused: number;
  /** Sections parsed (and embedded) in this run. */
  built: number;
  ms: number;
}

/** What the dashboard shows about the KB. */
export interface KnowledgeBaseStatus {
  ready: boolean;
  documents: Array<{ id: string; title: string; sections: number }>;
  building: boolean;
  progress: { done: number; total: number } | null;
}

/** A loaded knowledge base. */
export interface KnowledgeBase {
  retriever: Retriever;
  /** Re-reads the folder; unchanged documents come from the cache. Calls are serialised. */
  reindex(
    onProgress?: (done: number, total: number) => void,
  ): Promise<ReindexResult>;
  status(): KnowledgeBaseStatus;
  /** All sections of the current index, in index order. */
  sections(): readonly KbSection[];
  /**
   * The folder's files that differ from the current index (by content
   * hash); null before the first index and while one is being built.
   */
  changes(): Promise<KbChanges | null>;
  /**
   * Writes a checked document (`checkKbUpload`) at the top of the folder,
   * then rebuilds the index; resolves when the new index serves.
   */
  addDocument(
    name: string,
    text: string,
    opts: { replace: boolean },
  ): Promise<ReindexResult>;
}

/** Options of `createKnowledgeBase`. */
export interface KnowledgeBaseOptions {
  /** The KB folder; its name prefixes section ids. */
  dir: string;
  /** Where the cache file lives (`$DATA_DIR`). */
  cacheDir: string;
  /** Dense embeddings; null or absent = BM25 only. */
  embedder?: Embedder | null;
  /** Identity of the embedder (model id) for the cache; default "embedder". */
  embedderId?: string;
  /** Word vectors for the semantic ranking and answerability; null = lexical only. */
  wordVectors?: WordVectors | null;
  logger: Logger;
  clock?: Clock;
}

/** A speller over the sections' words (headings included); a word the vectors know is not misspelt. */
function kbSpelling(
  sections: KbSection[],
  vectors: WordVectors,
): (text: string) => string {
  const vocabulary = new Map<string, number>();
  for (const s of sections) {
    for (const w of words(sectionText(s))) {
      vocabulary.set(w, (vocabulary.get(w) ?? 0) + 1);
    }
  }
  return createSpelling(
    vocabulary,
    (w) => isStopWord(w) || vectors.row(w) >= 0,
  );
}

/** Creates the knowledge base; the first `search` builds it when `reindex` was not called. */
export function createKnowledgeBase(opts: KnowledgeBaseOptions): KnowledgeBase {
  const clock = opts.clock ?? systemClock;
  const embedder = opts.embedder ?? null;
  const embedderId = opts.embedderId ?? "embedder";
  const dir = opts.dir.replace(/\/+$/, "") || ".";
  let index: SectionIndex | null = null;
  let semantics: TextSemantics | null = null;
  let spelling: ((text: string) => string) | null = null;
  let docsList: KnowledgeBaseStatus["documents"] = [];
  /** The folder (real path) and content hash per document of the index. */
  let built: { dir: string; hashes: Map<string, string> } | null = null;
  let building = false;
  let progress: { done: number; total: number } | null = null;
  let chain: Promise<unknown> = Promise.resolve();

  const build = async (
    onProgress?: (d: number, t: number) => void,
  ): Promise<ReindexResult> => {
    const started = clock.now().getTime();
    const t0 = performance.now();
    building = true;
    progress = { done: 0, total: 0 };
    try {
      const abs = await Deno.realPath(dir).catch((e: Error) => {
        throw new Error(
          `Cannot read the knowledge base folder ${dir}: ${e.message}`,
          { cause: e },
        );
      });
      const kbName = abs.split("/").pop() || "knowledge_base";
      const file = await cachePath(opts.cacheDir, abs);
      const cache = await readCache(file);
      const loaded = await loadDocuments({
        dir: abs,
        kbName,
        cache,
        embedder,
        embedderId,
        onProgress: (d, t) => {
          progress = { done: d, total: t };
          onProgress?.(d, t);
        },
      });
      const sections: KbSection[] = [];
      const vectors: Float32Array[] = [];
      for (const e of loaded.docs.values()) {
        sections.push(...e.sections);
        if (embedder && e.vectors) vectors.push(base64ToFloats(e.vectors.b64));
      }
      let dense = null;
      if (embedder) {
        const flat = new Float32Array(sections.length * embedder.dimensions);
        let off = 0;
        for (const v of vectors) {
          flat.set(v, off);
          off += v.length;
        }
        dense = createDenseIndex(flat, embedder.dimensions);
      }
      // The principal component is taken over every sentence of the KB.
      const next = opts.wordVectors
        ? createTextSemantics(
          opts.wordVectors,
          sections.flatMap((s) => [
            s.heading,
            ...sectionText(s).split(/\n+|(?<=[.!?])\s+/),
          ]),
        )
        : null;
      index = buildSectionIndex(sections, dense, next);
      semantics = next;
      spelling = opts.wordVectors
        ? kbSpelling(sections, opts.wordVectors)
        : null;
      built = {
        dir: abs,
        hashes: new Map([...loaded.docs].map(([id, e]) => [id, e.hash])),
      };
      docsList = [...loaded.docs].map(([id, e]) => ({
        id,
        title: e.title,
        sections: e.sections.length,
      }));
      if (loaded.built > 0 || loaded.docs.size !== cache.size) {
        await writeCache(file, loaded.docs);
      }
      const result: ReindexResult = {
        documents: loaded.docs.size,
        sections: sections.length,
        reused: loaded.reused,
        built: loaded.built,
        ms: Math.round(performance.now() - t0),
      };
      opts.logger.info("knowledge base indexed", {
        ...result,
        dense: embedder !== null,
        at: started,
      });
      return result;
    } finally {
      building = false;
      progress = null;
    }
  };

  const reindex = (onProgress?: (d: number, t: number) => void) => {
    const run = chain.then(() => build(onProgress));
    chain = run.catch(() => undefined);
    return run;
  };

  const retriever: Retriever = {
    get semantics() {
      return semantics;
    },
    correct: (text) => spelling ? spelling(text) : text,
    async search(query, k) {
      if (!index) await (building ? chain : reindex());
      const idx = index;
      if (!idx) {
        throw new Error("Cannot search the knowledge base: it failed to build");
      }
      const queryVector = embedder && idx.dense
        ? (await embedder.embed([query]))[0] ?? null
        : null;
      return idx.search(query, k, queryVector);
    },
  };

  return {
    retriever,
    reindex,
    status: () => ({
      ready: index !== null,
      documents: docsList,
      building,
      progress,
    }),
    sections: () => index?.sections ?? [],
    changes: async () => {
      const b = built;
      if (!b || building) return null;
      return await folderChanges(b.dir, b.hashes);
    },
    addDocument: async (name, text, o) => {
      const abs = await Deno.realPath(dir).catch((e: Error) => {
        throw new Error(
          `Cannot read the knowledge base folder ${dir}: ${e.message}`,
          { cause: e },
        );
      });
      await writeKbDocument(abs, name, text, o);
      return await reindex();
    },
  };
}
