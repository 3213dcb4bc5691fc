/**
 * The cannot-answer measure: the share of covered questions answered and of
 * uncovered questions sent to review (`no_kb_match`), on the bundled
 * knowledge base with the lexical default.
 * Run: `deno run -A eval/cannot_answer.ts [ANSWERABLE] [UNANSWERABLE] [THRESHOLD]`
 * (defaults: eval/answerable.jsonl eval/unanswerable.jsonl 0.5). Prints JSON.
 * @module
 */
import { answerQuestion } from "../pipeline/answer/answer_question.ts";
import { createKnowledgeBase } from "../pipeline/knowledge/knowledge_base.ts";
import { factEmail } from "./answer_facts_run.ts";
import { silentLogger } from "../app/ops/logger.ts";

const here = (f: string) => new URL(f, import.meta.url).pathname;
const [
  answerable = here("answerable.jsonl"),
  unanswerable = here("unanswerable.jsonl"),
  thr = "0.5",
] = Deno.args;

const read = async (p: string) =>
  (await Deno.readTextFile(p)).split("\n").filter((l) => l.trim()).map((l) =>
    (JSON.parse(l) as { question: string }).question
  );

const cacheDir = await Deno.makeTempDir({ prefix: "cannot_answer_" });
try {
  const kb = createKnowledgeBase({
    dir: here("../knowledge_base"),
    cacheDir,
    logger: silentLogger,
  });
  const config = {
    answerThreshold: Number(thr),
    signature: "The Support Team",
    shopName: "Northwind Goods",
  };
  const share = async (qs: string[]) => {
    let ok = 0;
    for (const q of qs) {
      if (
        (await answerQuestion(factEmail(q), {
          retriever: kb.retriever,
          config,
        })).ok
      ) ok++;
    }
    return ok / qs.length;
  };
  const cov = await read(answerable);
  const unc = await read(unanswerable);
  const covered = await share(cov);
  const uncovered = await share(unc);
  const out = {
    threshold: config.answerThreshold,
    covered_n: cov.length,
    covered_answered: Math.round(covered * 1e4) / 1e4,
    uncovered_n: unc.length,
    uncovered_to_review: Math.round((1 - uncovered) * 1e4) / 1e4,
  };
  Deno.stdout.writeSync(new TextEncoder().encode(JSON.stringify(out) + "\n"));
} finally {
  await Deno.remove(cacheDir, { recursive: true });
}
