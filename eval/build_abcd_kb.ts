/**
 * Builds a knowledge-base folder from the ABCD passages
 * (`../shared/data/faq/abcd_passages.jsonl`, MIT) at test or bench time:
 * one markdown file per passage, `<flow>/<subflow>.md`. The data is never
 * committed. Run: `deno run -A eval/build_abcd_kb.ts [PASSAGES] OUTDIR`.
 * @module
 */

import { sharedData } from "./shared_data.ts";

/** Default location of the passages, relative to the repository. */
export const ABCD_PASSAGES = sharedData("faq/abcd_passages.jsonl");

/** Writes the folder; returns the number of documents. */
export async function writeAbcdKb(
  outDir: string,
  passages: string | URL = ABCD_PASSAGES,
): Promise<number> {
  const lines = (await Deno.readTextFile(passages)).split("\n").filter((l) =>
    l.trim()
  );
  for (const line of lines) {
    const p = JSON.parse(line) as { id: string; title: string; text: string };
    const [flow, sub] = p.id.split("/");
    await Deno.mkdir(`${outDir}/${flow}`, { recursive: true });
    const body = p.text.split("\n").map((l) => l.trim()).filter(Boolean).join(
      "\n\n",
    );
    await Deno.writeTextFile(
      `${outDir}/${flow}/${sub}.md`,
      `---\ntitle: ${
        JSON.stringify(p.title)
      }\ntags: [${flow}]\n---\n\n# ${p.title}\n\n${body}\n`,
    );
  }
  return lines.length;
}

if (import.meta.main) {
  const [a, b] = Deno.args;
  const n = b ? await writeAbcdKb(b, a!) : await writeAbcdKb(a ?? "abcd_kb");
  Deno.stdout.writeSync(new TextEncoder().encode(`wrote ${n} documents\n`));
}
