/**
 * Reads a CLI input file, or standard input for "-", with one clear error
 * line when it cannot.
 * @module
 */
import { AppError } from "../../pipeline/errors.ts";

/** The bytes of `path`, or of standard input when `path` is "-". */
export async function readInput(path: string): Promise<Uint8Array> {
  if (path === "-") {
    return new Uint8Array(
      await new Response(Deno.stdin.readable).arrayBuffer(),
    );
  }
  try {
    return await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new AppError("invalid_input", `Cannot read ${path}: no such file`, {
        cause: e,
      });
    }
    if (e instanceof Deno.errors.IsADirectory) {
      throw new AppError(
        "invalid_input",
        `Cannot read ${path}: it is a folder`,
        { cause: e },
      );
    }
    throw new AppError(
      "invalid_input",
      `Cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
}
