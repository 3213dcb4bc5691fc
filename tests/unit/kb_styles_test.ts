/**
 * A knowledge base written as an FAQ another way (bold questions, Q:/A:
 * text, plain text, HTML <h4> or <dl>) is read into the same sections as
 * with ## headings: the same headings, the same sentences.
 */
import assert from "node:assert/strict";
import { parseDocument } from "../../pipeline/knowledge/parse_document.ts";
import { rewriteKbFile } from "../../eval/rewrite_set.ts";

const DIR = new URL("../../eval/answers/dev_bike/kb/", import.meta.url);

const words = (s: string) => s.replace(/[?]$/, "").replace(/\s+/g, " ").trim();

Deno.test("the dev_bike knowledge base rewritten in five FAQ styles is read into the same sections as with ## headings", async () => {
  for await (const e of Deno.readDir(DIR)) {
    if (!e.name.endsWith(".md")) continue;
    const md = await Deno.readTextFile(new URL(e.name, DIR));
    const want = parseDocument("kb", e.name, md).sections.map((s) => [
      words(s.heading),
      words(s.text),
    ]);
    for (
      const style of [
        "--bold",
        "--qa",
        "--plain",
        "--html-h4",
        "--html-dl",
      ] as const
    ) {
      const [name, text] = rewriteKbFile(e.name, md, style);
      const got = parseDocument("kb", name, text).sections.map((s) => [
        words(s.heading),
        words(s.text),
      ]);
      assert.deepEqual(got, want, `${e.name} ${style}`);
    }
  }
});
