/**
 * The embedded store's folder is private to the user running the agent:
 * the folder 0700 and every file in it 0600 (agent.kv and its -wal/-shm,
 * encryption.key, caches). Checked at every start; a folder or file that
 * others can read is repaired and reported in one line, and one the agent
 * cannot repair (another user's) is refused.
 * @module
 */
import { AppError } from "../pipeline/errors.ts";

/** Mode of the data folder and of folders inside it. */
export const DIR_MODE = 0o700;
/** Mode of every file in the data folder. */
export const FILE_MODE = 0o600;

/** What `secureDataDir` changed. */
export interface SecureResult {
  /** Paths whose mode was too open, with the mode found (octal string). */
  repaired: { path: string; mode: string }[];
}

/**
 * Creates `dir` (0700) if needed, then makes it and everything in it
 * private. Throws AppError "unavailable" when a mode cannot be changed.
 */
export async function secureDataDir(dir: string): Promise<SecureResult> {
  await Deno.mkdir(dir, { recursive: true, mode: DIR_MODE });
  const repaired: SecureResult["repaired"] = [];
  await walk(dir, repaired, true);
  return { repaired };
}

/** Makes the listed files private if they exist (e.g. agent.kv-wal). */
export async function secureFiles(paths: string[]): Promise<void> {
  for (const p of paths) {
    let info: Deno.FileInfo;
    try {
      info = await Deno.lstat(p);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) continue;
      throw e;
    }
    if (info.isFile) await fix(p, info, FILE_MODE, []);
  }
}

async function walk(
  path: string,
  repaired: SecureResult["repaired"],
  top = false,
): Promise<void> {
  // DATA_DIR itself may be a link (to a volume); links inside it are never
  // followed out of the folder.
  const info = top ? await Deno.stat(path) : await Deno.lstat(path);
  if (info.isSymlink) return;
  if (info.isDirectory) {
    await fix(path, info, DIR_MODE, repaired);
    for await (const e of Deno.readDir(path)) {
      await walk(`${path.replace(/\/+$/, "")}/${e.name}`, repaired);
    }
  } else if (info.isFile) {
    await fix(path, info, FILE_MODE, repaired);
  }
}

async function fix(
  path: string,
  info: Deno.FileInfo,
  mode: number,
  repaired: SecureResult["repaired"],
): Promise<void> {
  const have = (info.mode ?? 0) & 0o777;
  if ((have & 0o077) === 0) return;
  try {
    await Deno.chmod(path, mode);
  } catch (e) {
    throw new AppError(
      "unavailable",
      `Cannot make ${path} private (mode ${
        octal(have)
      } lets other users read it) as chmod failed: ${
        (e as Error).message
      }; fix its owner or mode, or choose another DATA_DIR`,
      { cause: e },
    );
  }
  repaired.push({ path, mode: octal(have) });
}

function octal(mode: number): string {
  return "0" + mode.toString(8).padStart(3, "0");
}
