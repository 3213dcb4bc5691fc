/**
 * The bundled knowledge base and training examples live next to `main.ts`
 * (and inside the executable built by `deno compile --include`). When a
 * configured path (KNOWLEDGE_BASE_DIR, EXAMPLES_FILE) is missing from the
 * working folder, the bundled copy at the same relative path is used.
 * @module
 */
import { fileURLToPath } from "node:url";
import type { Config } from "./config.ts";

const ROOT = new URL("../", import.meta.url);

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Where a relative default resolves to inside the project (or the executable). */
export function bundledPath(relative: string): string {
  return fileURLToPath(new URL(relative.replace(/^\.\//, ""), ROOT));
}

/**
 * Returns `config` with KNOWLEDGE_BASE_DIR and EXAMPLES_FILE pointing at the
 * bundled copies when the configured paths do not exist.
 */
export async function withBundledPaths(config: Config): Promise<Config> {
  const out = { ...config };
  if (!(await exists(config.KNOWLEDGE_BASE_DIR))) {
    const b = bundledPath(config.KNOWLEDGE_BASE_DIR);
    if (await exists(b)) out.KNOWLEDGE_BASE_DIR = b;
  }
  if (!(await exists(config.EXAMPLES_FILE))) {
    const b = bundledPath(config.EXAMPLES_FILE);
    if (await exists(b)) out.EXAMPLES_FILE = b;
  }
  return out;
}
