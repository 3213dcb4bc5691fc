/**
 * The embedded default's encryption key: generated once into
 * `$DATA_DIR/encryption.key` (mode 0600) and reused afterwards.
 * @module
 */
import { generateKey } from "./token_cipher.ts";

/** True when `s` is base64 of exactly 32 bytes. */
export function isKey(s: string): boolean {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(s)) return false;
  try {
    const std = s.replace(/-/g, "+").replace(/_/g, "/");
    return atob(std).length === 32;
  } catch {
    return false;
  }
}

/** Returns the key stored in `dataDir`, creating it on first use. */
export async function loadOrCreateKeyFile(dataDir: string): Promise<string> {
  const path = `${dataDir.replace(/\/+$/, "")}/encryption.key`;
  await Deno.mkdir(dataDir, { recursive: true, mode: 0o700 });
  try {
    const text = (await Deno.readTextFile(path)).trim();
    if (!isKey(text)) {
      throw new RangeError(
        `Cannot use ${path} as it does not hold base64 of 32 bytes: restore the file or set ENCRYPTION_KEY`,
      );
    }
    return text;
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const key = generateKey();
  try {
    // createNew: never overwrite a key another process just wrote.
    await Deno.writeTextFile(path, key + "\n", {
      createNew: true,
      mode: 0o600,
    });
  } catch (e) {
    if (e instanceof Deno.errors.AlreadyExists) {
      return (await Deno.readTextFile(path)).trim();
    }
    throw e;
  }
  await Deno.chmod(path, 0o600);
  return key;
}
