/**
 * Where the shared datasets (`../shared/data`: Bitext, ABCD, the MIME
 * corpus) are: `$SHARED_DATA_DIR`, else `../shared/data` beside the
 * repository, else `/work/shared/data`. Used by tests and eval scripts only.
 * @module
 */
import { fileURLToPath } from "node:url";

function isDir(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

/** The shared data folder, without a trailing slash. */
export function sharedDataDir(): string {
  const fromEnv = Deno.env.get("SHARED_DATA_DIR");
  if (fromEnv) return fromEnv.replace(/\/+$/, "");
  const beside = fileURLToPath(new URL("../../shared/data", import.meta.url));
  return isDir(beside) ? beside : "/work/shared/data";
}

/** A path inside the shared data folder. */
export function sharedData(relative: string): string {
  return `${sharedDataDir()}/${relative.replace(/^\/+/, "")}`;
}
