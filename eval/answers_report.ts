// deno-lint-ignore-file no-console
/**
 * Dev report for `eval answers`: every line's outcome with its reason, and
 * the counts by reason. For dev sets only (never run it to study held-out
 * failures). `deno run -A eval/answers_report.ts SET [--miss] [--shells]`;
 * `--shells` wraps each line's body in an email shell (`email_shells.ts`).
 * @module
 */
import { loadConfig } from "../app/config.ts";
import { type AnswerCase, evalAnswers } from "../app/cli/eval_answers.ts";
import { rewriteLine } from "./rewrite_set.ts";
import { answerSetKb } from "./derive_bitext_answers.ts";

const set = Deno.args[0] ?? "dev_bike";
if (set.includes("heldout")) {
  throw new Error("held-out sets are for reporting only: use `eval answers`");
}
const showMiss = Deno.args.includes("--miss");
const cfg = loadConfig(Deno.env.toObject());
if (!cfg.ok) throw new Error(cfg.errors.join("; "));
const lines = new Map<string, { body: string; facts?: string[] }>();
let path = `eval/answers/${set}/questions.jsonl`;
const raw = (await Deno.readTextFile(path)).split("\n").filter((l) => l.trim())
  .map((l) => JSON.parse(l));
if (Deno.args.includes("--shells")) {
  raw.forEach((j, i) => raw[i] = rewriteLine(j, i, "--shells"));
  path = await Deno.makeTempFile({ suffix: ".jsonl" });
  await Deno.writeTextFile(path, raw.map((j) => JSON.stringify(j)).join("\n"));
}
for (const j of raw) lines.set(j.id, j);
const counts = new Map<string, number>();
const cases: AnswerCase[] = [];
const kbDir = answerSetKb(set);
const summary = await evalAnswers(path, { kbDir }, {
  config: cfg.config,
  onCase: (c) => cases.push(c),
});
for (const c of cases) {
  const k = `${c.expect}:${
    c.sent ? (c.right === false ? "WRONG" : "sent") : c.reason
  }`;
  counts.set(k, (counts.get(k) ?? 0) + 1);
  const bad = (c.expect === "answer" && (!c.sent || c.right === false)) ||
    (c.expect === "person" && c.sent);
  if (showMiss && bad) {
    const l = lines.get(c.id)!;
    console.log(`--- ${c.id} ${k} facts=${JSON.stringify(l.facts ?? [])}`);
    console.log(`Q: ${l.body.replace(/\s+/g, " ").slice(0, 300)}`);
    if (c.reply) {
      console.log(`R: ${c.reply.replace(/\s+/g, " ").slice(0, 400)}`);
    }
  }
}
console.log(JSON.stringify(Object.fromEntries([...counts].sort())));
console.log(JSON.stringify(summary));
