/**
 * What the Knowledge page's tools show: a question's outcome (the reply the
 * agent would send, or that it goes to a person, why in words, and the
 * draft the person would start from), an `eval answers` run (the summary
 * figures and each line's outcome), and the files changed on disk since the
 * index was built, with the button that reindexes.
 * @module
 */
import type {
  AnswerCase,
  AnswersEvalSummary,
} from "../../pipeline/decide/answers_eval.ts";
import type { KbChanges } from "../../pipeline/knowledge/kb_folder.ts";
import { Reason } from "./conversation_page.tsx";
import { Csrf } from "./layout.tsx";

/** What the agent would do with an asked question. */
export interface AskedAnswer {
  category: string;
  confidence: number;
  action: string;
  reason: string;
  reply: string | null;
  sources: string[];
  /** When it goes to a person: the draft the Review page would start from. */
  suggestion: string | null;
  suggestionSources: string[];
}

/** An `eval answers` file run against the current index. */
export interface EvalRun {
  /** The file's name, or "the pasted lines". */
  name: string;
  summary: AnswersEvalSummary;
  cases: AnswerCase[];
}

/** A question's outcome as the agent would act on it. */
export function AnswerView(p: { a: AskedAnswer }) {
  const a = p.a;
  const sent = a.reply !== null &&
    (a.action === "reply" || a.action === "draft");
  return (
    <div class="asked">
      <p class="muted">
        Classified as {a.category} (confidence{" "}
        {a.confidence.toFixed(2)}). Nothing was sent.
      </p>
      {sent
        ? (
          <>
            <p>
              The agent would{" "}
              {a.action === "draft" ? "draft this reply" : "reply"}:
            </p>
            <pre class="body">{a.reply}</pre>
            {a.sources.length > 0
              ? <p class="muted">Sources: {a.sources.join(", ")}</p>
              : null}
          </>
        )
        : (
          <>
            <p>
              <strong>Goes to a person:</strong> <Reason code={a.reason} />
            </p>
            {a.suggestion
              ? (
                <>
                  <p class="suggestion-note">
                    <span class="badge suggestion">suggestion</span>{" "}
                    The draft the person would start from on the Review page
                    (never sent as is):
                  </p>
                  <pre class="body">{a.suggestion}</pre>
                  {a.suggestionSources.length > 0
                    ? (
                      <p class="muted">
                        Built from: {a.suggestionSources.join(", ")}
                      </p>
                    )
                    : null}
                </>
              )
              : (
                <p class="muted">
                  No section of the knowledge base comes close: the person
                  starts from an empty reply.
                </p>
              )}
          </>
        )}
    </div>
  );
}

/** A share as a percentage with one decimal. */
const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/** A line's outcome in words, and whether it is what the file expects. */
function verdict(c: AnswerCase): { words: string; good: boolean | null } {
  if (c.expect === "answer") {
    if (!c.sent) return { words: "left to a person", good: null };
    return c.right
      ? { words: "right answer", good: true }
      : { words: "wrong answer (holds none of the facts)", good: false };
  }
  return c.sent
    ? { words: "answered, but should go to a person", good: false }
    : { words: "to a person, as expected", good: true };
}

/** An answers run: its figures and one row per line. */
export function EvalView(p: { run: EvalRun }) {
  const s = p.run.summary;
  return (
    <div class="eval-run">
      <p>
        {p.run.name}: {String(s.n)}{" "}
        lines run against the current index. Nothing was sent.
      </p>
      <dl class="facts eval-summary">
        <dt>Covered (expect an answer)</dt>
        <dd>{String(s.covered)}</dd>
        <dt>Answered right</dt>
        <dd>
          {pct(s.answered_right)} <span class="muted">of covered lines</span>
        </dd>
        <dt>Answered wrong</dt>
        <dd>
          {pct(s.answered_wrong)}{" "}
          <span class="muted">of answers sent on covered lines</span>
        </dd>
        <dt>Uncovered (expect a person)</dt>
        <dd>{String(s.uncovered)}</dd>
        <dt>Uncovered but answered</dt>
        <dd>
          {pct(s.uncovered_answered)}{" "}
          <span class="muted">of uncovered lines</span>
        </dd>
      </dl>
      <div class="table-wrap">
        <table class="eval-cases">
          <thead>
            <tr>
              <th>Line</th>
              <th>Expected</th>
              <th>Outcome</th>
            </tr>
          </thead>
          <tbody>
            {p.run.cases.map((c) => {
              const v = verdict(c);
              return (
                <tr
                  class={v.good === false
                    ? "bad"
                    : v.good === true
                    ? "good"
                    : undefined}
                >
                  <td>
                    <code>{c.id}</code>
                  </td>
                  <td>{c.expect === "answer" ? "an answer" : "a person"}</td>
                  <td>
                    <strong>{v.words}</strong>
                    {c.sent ? null : (
                      <>
                        {" "}
                        <Reason code={c.reason} />
                      </>
                    )}
                    {c.reply
                      ? (
                        <details>
                          <summary>the reply</summary>
                          <pre class="body">{c.reply}</pre>
                        </details>
                      )
                      : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** The files that differ from the index, and the button that reindexes. */
export function ChangesAlert(p: { changes: KbChanges; csrf: string }) {
  const c = p.changes;
  const list = (label: string, ids: string[]) =>
    ids.length > 0
      ? (
        <li>
          {label}: {ids.map((id, i) => (
            <>
              {i > 0 ? ", " : ""}
              <code>{id}</code>
            </>
          ))}
        </li>
      )
      : null;
  return (
    <div class="alert stale" role="alert">
      <p>
        <strong>Reindex needed.</strong>{" "}
        The knowledge base folder changed since the index was built; the agent
        still answers from the old index.
      </p>
      <ul>
        {list("New", c.added)}
        {list("Changed", c.changed)}
        {list("Removed", c.removed)}
      </ul>
      <form method="post" action="/knowledge/reindex" class="inline">
        <Csrf token={p.csrf} />
        <button type="submit">Reindex now</button>
      </form>
    </div>
  );
}
