/**
 * Dense embeddings with @huggingface/transformers (feature extraction, mean
 * pooling, normalised), the opt-in upgrade over the word vectors. The
 * library (about 490 MB with onnxruntime) is not a dependency of the default
 * install: it is imported by a computed `npm:` specifier only when this is
 * called (EMBEDDING_MODEL set), so Deno fetches it from the npm registry on
 * first use, and neither `deno install` nor `deno compile` includes it.
 * A model given as an existing folder is loaded from disk with remote models
 * off; anything else is a hub id (downloaded into `cacheDir`).
 * @module
 */
import type { Embedder } from "../ports.ts";

/** The opt-in package, fetched from npm on first use. */
export const TRANSFORMERS_PACKAGE = "npm:@huggingface/transformers@4.3.1";

/** The part of the transformers.js API used here. */
interface FeatureExtractor {
  (
    texts: string[],
    opts: { pooling: "mean"; normalize: boolean },
  ): Promise<{ dims: number[]; data: unknown }>;
  dispose(): Promise<void>;
}
interface TransformersModule {
  pipeline(
    task: "feature-extraction",
    model: string,
    opts: { dtype: "fp32" },
  ): Promise<FeatureExtractor>;
  env: {
    allowRemoteModels: boolean;
    allowLocalModels: boolean;
    localModelPath: string;
    cacheDir: string;
  };
}

/** Imports transformers.js; a computed specifier keeps it out of the module graph. */
async function importTransformers(): Promise<TransformersModule> {
  const specifier: string = TRANSFORMERS_PACKAGE;
  try {
    return await import(specifier) as TransformersModule;
  } catch (e) {
    throw new Error(
      `Cannot load ${TRANSFORMERS_PACKAGE} for EMBEDDING_MODEL (it is fetched from the npm registry on first use): ${
        (e as Error).message
      }`,
      { cause: e },
    );
  }
}

/** Options of `createTransformersEmbedder`. */
export interface TransformersEmbedderOptions {
  /** Where hub models are cached (e.g. `$DATA_DIR/models`). */
  cacheDir?: string;
  /** Texts embedded per call to the model [16]. */
  batchSize?: number;
}

/** An Embedder that holds a model session until disposed. */
export interface TransformersEmbedder extends Embedder {
  /** Releases the ONNX session. */
  dispose(): Promise<void>;
}

/** Loads the model (hub id or local folder) and returns an Embedder. */
export async function createTransformersEmbedder(
  model: string,
  opts: TransformersEmbedderOptions = {},
): Promise<TransformersEmbedder> {
  const { pipeline, env } = await importTransformers();
  const local = await Deno.stat(model).then((s) => s.isDirectory, () => false);
  let id = model;
  if (local) {
    const abs = await Deno.realPath(model);
    const cut = abs.lastIndexOf("/");
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = abs.slice(0, cut + 1);
    id = abs.slice(cut + 1);
  } else {
    env.allowRemoteModels = true;
    if (opts.cacheDir) env.cacheDir = opts.cacheDir;
  }
  let extractor: FeatureExtractor;
  try {
    extractor = await pipeline("feature-extraction", id, { dtype: "fp32" });
  } catch (e) {
    throw new Error(
      `Cannot load the embedding model "${model}": ${(e as Error).message}`,
      { cause: e },
    );
  }
  const batch = opts.batchSize ?? 16;
  const embed = async (texts: string[]): Promise<Float32Array[]> => {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += batch) {
      const part = texts.slice(i, i + batch);
      const t = await extractor(part, { pooling: "mean", normalize: true });
      const dims = t.dims[t.dims.length - 1] ?? 0;
      const data = t.data as Float32Array;
      for (let j = 0; j < part.length; j++) {
        out.push(data.slice(j * dims, (j + 1) * dims));
      }
    }
    return out;
  };
  const [probe] = await embed(["dimension probe"]);
  const dimensions = probe?.length ?? 0;
  return { dimensions, embed, dispose: () => extractor.dispose() };
}
