/**
 * Answer correctness on the bundled knowledge base (lexical default).
 * Run: `deno run -A eval/answer_facts.ts [FILE] [--verbose]`
 * (default eval/answer_facts.jsonl). With --verbose, each wrong or
 * reviewed case goes to stderr. Prints the JSON summary last:
 * `{n, answered, fact_correct, wrong_answers, review}`.
 * @module
 */
import { createKnowledgeBase } from "../pipeline/knowledge/knowledge_base.ts";
import { silentLogger } from "../app/ops/logger.ts";
import { readFactRows, runAnswerFacts } from "./answer_facts_run.ts";

const here = (f: string) => new URL(f, import.meta.url).pathname;
const verbose = Deno.args.includes("--verbose");
const file = Deno.args.find((a) => !a.startsWith("--")) ??
  here("answer_facts.jsonl");
const enc = new TextEncoder();

const cacheDir = await Deno.makeTempDir({ prefix: "answer_facts_" });
try {
  const kb = createKnowledgeBase({
    dir: here("../knowledge_base"),
    cacheDir,
    logger: silentLogger,
  });
  const config = {
    answerThreshold: 0.5,
    signature: "The Support Team",
    shopName: "Northwind Goods",
  };
  const { summary, cases } = await runAnswerFacts(await readFactRows(file), {
    retriever: kb.retriever,
    config,
  });
  if (verbose) {
    for (const c of cases.filter((c) => c.outcome !== "correct")) {
      const body = c.reply.split("\n\n").slice(1, -3).join(" | ");
      Deno.stderr.writeSync(
        enc.encode(
          `[${c.outcome}] ${JSON.stringify(c.question)}\n  missing: ${
            c.missing.join("; ")
          }\n  reply: ${body}\n`,
        ),
      );
    }
  }
  Deno.stdout.writeSync(enc.encode(JSON.stringify(summary) + "\n"));
} finally {
  await Deno.remove(cacheDir, { recursive: true });
}
