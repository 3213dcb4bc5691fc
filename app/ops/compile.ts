/**
 * `deno task compile`: runs `deno compile` with the flags the task names
 * (every permission and `--include` is spelled out in deno.json), passing
 * its output through. `deno compile` downloads its runtime (`denort`) from
 * dl.deno.land the first time; when that fails (offline) this prints one
 * clear line instead of a stack of causes, and exits non-zero. Nothing is
 * faked: no binary is written on failure.
 * @module
 */
// deno-lint-ignore-file no-console

/** Deno version the project pins (Dockerfile, .ci/run, README). */
export const DENO_VERSION = "2.9.6";

/** The one line explaining a failed compile, given what `deno compile` printed. */
export function explainCompileFailure(stderr: string, code: number): string {
  if (
    /denort|dl\.deno\.land|Setting up base binary|error sending request/i.test(
      stderr,
    )
  ) {
    return `error: deno compile could not download its runtime (denort ${DENO_VERSION}) from https://dl.deno.land: it needs internet access the first time (it is then cached in DENO_DIR), or DENORT_BIN set to a denort binary of the same version (the full deno binary does not work). No executable was written.`;
  }
  return `error: deno compile failed (exit code ${code}); see its messages above. No executable was written.`;
}

/** Runs `deno compile ARGS...`, teeing stderr; returns the exit code. */
export async function runCompile(args: string[]): Promise<number> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["compile", ...args],
    stdin: "null",
    stdout: "inherit",
    stderr: "piped",
  }).spawn();
  const decoder = new TextDecoder();
  let captured = "";
  for await (const chunk of child.stderr) {
    await Deno.stderr.write(chunk);
    if (captured.length < 64_000) {
      captured += decoder.decode(chunk, { stream: true });
    }
  }
  const { code } = await child.status;
  if (code !== 0) console.error(explainCompileFailure(captured, code));
  return code;
}

if (import.meta.main) {
  Deno.exit(await runCompile(Deno.args));
}
