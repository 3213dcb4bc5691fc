/**
 * The bundled classifier for tests, trained once per machine and source:
 * training takes about 2 s, and many test processes (and the agents they
 * start) would each train the same model. The model file is cached by
 * `trainOrLoadClassifier` in a folder named by a hash of the classifier's
 * source files (a change to the training code trains again), and copied
 * into an agent's DATA_DIR before it starts, where the agent finds it by
 * the same name and loads it.
 * @module
 */
import { join } from "node:path";
import { tmpdir } from "node:os";
import { silentLogger } from "../../app/ops/logger.ts";
import {
  modelFileName,
  trainOrLoadClassifier,
} from "../../app/classifier_cache.ts";
import type { TrainedClassifier } from "../../pipeline/classify/classifier.ts";
import {
  bundledExampleFiles,
  type LabelledExample,
  loadExamples,
} from "../../pipeline/classify/examples.ts";

const ROOT = new URL("../../", import.meta.url);

/** Hex SHA-256 (first 12 bytes) of the classifier's source files. */
async function sourceHash(): Promise<string> {
  const dir = new URL("pipeline/classify/", ROOT).pathname;
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && e.name.endsWith(".ts")) names.push(e.name);
  }
  names.sort();
  const parts = await Promise.all(
    [
      ...names.map((n) => join(dir, n)),
      new URL("app/classifier_cache.ts", ROOT).pathname,
    ]
      .map((p) => Deno.readTextFile(p)),
  );
  const digest = new Uint8Array(
    await crypto.subtle.digest(
      "SHA-256",
      new TextEncoder().encode(parts.join("\0")),
    ),
  );
  return [...digest.subarray(0, 12)].map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}

let cached:
  | Promise<
    { classifier: TrainedClassifier; file: string }
  >
  | null = null;

async function load(): Promise<
  { classifier: TrainedClassifier; file: string }
> {
  const examples: LabelledExample[] = await loadExamples(bundledExampleFiles(
    new URL("pipeline/classify/training/classify_examples.jsonl", ROOT)
      .pathname,
  ));
  const cacheDir = join(
    tmpdir(),
    `email-agent-test-classifier-${await sourceHash()}`,
  );
  const { classifier } = await trainOrLoadClassifier(examples, {
    cacheDir,
    logger: silentLogger,
  });
  return { classifier, file: join(cacheDir, await modelFileName(examples)) };
}

/** The classifier trained on the bundled examples (from the test cache). */
export async function testClassifier(): Promise<TrainedClassifier> {
  return (await (cached ??= load())).classifier;
}

/**
 * Copies the bundled classifier's model file into `dataDir` (created when
 * missing), so an agent started on it loads instead of training.
 */
export async function seedClassifier(dataDir: string): Promise<void> {
  const { file } = await (cached ??= load());
  await Deno.mkdir(dataDir, { recursive: true, mode: 0o700 });
  const to = join(dataDir, file.split("/").at(-1)!);
  await Deno.copyFile(file, to);
  await Deno.chmod(to, 0o600);
}
