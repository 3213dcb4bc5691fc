import assert from "node:assert/strict";
import { z } from "zod";

const ANSWERS = new URL("../../eval/answers/", import.meta.url).pathname;
const SETS = [
  "heldout_saas",
  "heldout_food",
  "dev_bike",
  "dev_mobile",
  "dev_gym",
];

/** One line of an `eval answers` file (docs/cli.md), no other fields. */
const Line = z.strictObject({
  id: z.string().min(1),
  subject: z.string().min(1).optional(),
  body: z.string().min(1),
  expect: z.enum(["answer", "person"]),
  facts: z.array(z.string().min(1)).min(1).max(3).optional(),
}).refine((l) => (l.expect === "answer") === (l.facts !== undefined), {
  message: "facts are given exactly on expect:answer lines",
});
type Line = z.infer<typeof Line>;

function squash(text: string): string {
  return text.replace(/\s+/g, " ").toLowerCase();
}

async function readKbText(dir: string): Promise<string> {
  const parts: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && e.name.endsWith(".md")) {
      parts.push(await Deno.readTextFile(`${dir}/${e.name}`));
    }
  }
  assert.ok(parts.length >= 3, `${dir}: at least 3 markdown files`);
  return squash(parts.join("\n"));
}

async function readLines(file: string): Promise<Line[]> {
  const text = await Deno.readTextFile(file);
  return text.split("\n").filter((l) => l.trim() !== "").map((raw, i) => {
    const parsed = Line.safeParse(JSON.parse(raw));
    assert.ok(
      parsed.success,
      `${file}:${i + 1}: ${parsed.error?.issues[0]?.message}`,
    );
    return parsed.data;
  });
}

Deno.test("eval answers data: every line parses, ids are unique, at least 60 answer and 60 person lines per set", async () => {
  const seen = new Set<string>();
  for (const set of SETS) {
    const lines = await readLines(`${ANSWERS}${set}/questions.jsonl`);
    for (const l of lines) {
      assert.ok(!seen.has(l.id), `${set}: duplicate id ${l.id}`);
      seen.add(l.id);
    }
    const answer = lines.filter((l) => l.expect === "answer").length;
    assert.ok(answer >= 60, `${set}: ${answer} answer lines`);
    assert.ok(lines.length - answer >= 60, `${set}: too few person lines`);
  }
});

Deno.test("eval answers data: every fact occurs in its knowledge base", async () => {
  for (const set of SETS) {
    const kb = await readKbText(`${ANSWERS}${set}/kb`);
    const lines = await readLines(`${ANSWERS}${set}/questions.jsonl`);
    for (const l of lines) {
      for (const fact of l.facts ?? []) {
        assert.ok(
          kb.includes(squash(fact)),
          `${set} ${l.id}: fact "${fact}" not in its kb`,
        );
      }
    }
  }
});
