/**
 * Trains the classifier at startup, or loads it from `DATA_DIR` when the
 * same examples were trained on before: the model file is named by the
 * SHA-256 of the examples and `MODEL_VERSION`, so any change to the
 * examples (the bundled files or the user's) trains again. A file that
 * cannot be read is trained over.
 * @module
 */
import { join } from "node:path";
import {
  createClassifier,
  restoreClassifier,
  type TrainedClassifier,
} from "../pipeline/classify/classifier.ts";
import type { LabelledExample } from "../pipeline/classify/examples.ts";
import { decodeModel, encodeModel } from "../pipeline/classify/model_file.ts";
import type { Logger } from "../pipeline/log.ts";

/** Bump when training or features change, so old model files are not used. */
export const MODEL_VERSION = "classifier-3";

/** The model file name for `examples`. */
export async function modelFileName(
  examples: LabelledExample[],
): Promise<string> {
  const text = MODEL_VERSION + "\n" +
    examples.map((e) =>
      JSON.stringify([e.subject, e.body, e.label, e.domain ?? ""])
    ).join("\n");
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)),
  );
  const hex = [...digest.subarray(0, 12)].map((b) =>
    b.toString(16).padStart(2, "0")
  ).join("");
  return `classifier-${hex}.bin`;
}

/** The classifier for `examples`: from `cacheDir` when cached, else trained and cached. */
export async function trainOrLoadClassifier(
  examples: LabelledExample[],
  deps: { cacheDir: string; logger: Logger },
): Promise<{ classifier: TrainedClassifier; cached: boolean }> {
  const path = join(deps.cacheDir, await modelFileName(examples));
  try {
    const { snapshot, info } = decodeModel(await Deno.readFile(path));
    return { classifier: restoreClassifier(snapshot, info), cached: true };
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) {
      deps.logger.warn("classifier model file not usable; training", {
        error: (e as Error).message,
      });
    }
  }
  const classifier = createClassifier(examples);
  try {
    await Deno.mkdir(deps.cacheDir, { recursive: true, mode: 0o700 });
    const tmp = `${path}.${crypto.randomUUID()}.tmp`;
    // Private like everything in the data folder (app/data_dir.ts).
    await Deno.writeFile(
      tmp,
      encodeModel(classifier.snapshot(), classifier.info),
      { mode: 0o600 },
    );
    await Deno.rename(tmp, path);
  } catch (e) {
    deps.logger.warn("classifier model file not written", {
      error: (e as Error).message,
    });
  }
  return { classifier, cached: false };
}
