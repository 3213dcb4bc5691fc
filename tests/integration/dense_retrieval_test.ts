/**
 * The opt-in dense path (EMBEDDING_MODEL, transformers.js) works: the tests
 * of `dense_retrieval_run.ts` run in their own `deno test --no-lock`
 * process, which fetches `@huggingface/transformers` from the npm registry
 * on first use without adding it to deno.lock (so the default
 * `deno install --frozen` stays small).
 */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url).pathname;

Deno.test("dense retrieval with a real (tiny) transformers.js model runs without touching deno.lock", async () => {
  const lock = await Deno.readTextFile(`${ROOT}deno.lock`);
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "test",
      "--no-lock",
      "--allow-all",
      "tests/integration/dense_retrieval_run.ts",
    ],
    cwd: ROOT,
    env: { TZ: "UTC", LOG_LEVEL: "silent", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) +
    new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, text);
  assert.match(text, /ok \| 1 passed \(4 steps\) \| 0 failed/);
  assert.equal(
    await Deno.readTextFile(`${ROOT}deno.lock`),
    lock,
    "deno.lock is unchanged",
  );
  assert.doesNotMatch(lock, /onnxruntime|@huggingface\/transformers/);
});
