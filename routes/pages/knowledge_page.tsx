/**
 * The knowledge base pages: the index and its documents, a question asked
 * of the current index (shown as the agent would answer), and one document
 * as the agent sees it (sections and their ids).
 * @module
 */
import type { KnowledgeStatusInfo } from "../web_deps.ts";
import { Reason } from "./conversation_page.tsx";
import { Csrf, fmtTime, Layout } from "./layout.tsx";

/** Outcome of the last reindex started from the dashboard. */
export interface LastReindex {
  at: Date;
  ok: boolean;
  /** A short summary, or the error message. */
  message: string;
}

/** What the agent would do with an asked question. */
export interface AskedAnswer {
  action: string;
  reason: string;
  reply: string | null;
  sources: string[];
}

function AnswerView(p: { a: AskedAnswer }) {
  const a = p.a;
  return (
    <div class="asked">
      {a.reply
        ? (
          <>
            <p>
              The agent would{" "}
              {a.action === "draft" ? "draft this reply" : "reply"}:
            </p>
            <pre class="body">{a.reply}</pre>
          </>
        )
        : (
          <p>
            The agent would hand it to a person: <Reason code={a.reason} />
          </p>
        )}
      {a.sources.length > 0
        ? <p class="muted">Sources: {a.sources.join(", ")}</p>
        : null}
    </div>
  );
}

/** Props of `KnowledgePage`. */
export interface KnowledgePageProps {
  csrf: string;
  status: KnowledgeStatusInfo;
  building: boolean;
  last: LastReindex | null;
  dir: string;
  /** The last question asked, and what the agent would do with it. */
  question?: string;
  answer?: AskedAnswer | null;
}

/** Props of `KnowledgeDocPage`. */
export interface KnowledgeDocPageProps {
  csrf: string;
  docId: string;
  sections: readonly {
    id: string;
    title: string;
    heading: string;
    text: string;
  }[];
}

/** One document as the agent sees it: its sections, ids and text. */
export function KnowledgeDocPage(p: KnowledgeDocPageProps) {
  return (
    <Layout
      title={p.sections[0]?.title ?? p.docId}
      path="/knowledge"
      csrf={p.csrf}
    >
      <p class="muted">
        <code>{p.docId}</code>, {String(p.sections.length)}{" "}
        sections as the agent indexed them. A reply quotes whole sentences of
        one section and names it by its id.
      </p>
      {p.sections.map((s) => (
        <section class="card">
          <h2>{s.heading || s.title}</h2>
          <p class="muted">
            <code>{s.id}</code>
          </p>
          <pre class="body">{s.text}</pre>
        </section>
      ))}
      <p>
        <a href="/knowledge">← Knowledge base</a>
      </p>
    </Layout>
  );
}

/** The reindex in progress, or the button that starts one. */
function ReindexControl(p: KnowledgePageProps) {
  const prog = p.status.progress;
  if (!p.building) {
    return (
      <form method="post" action="/knowledge/reindex" class="inline">
        <Csrf token={p.csrf} />
        <button type="submit">Reindex now</button>
      </form>
    );
  }
  return (
    <div class="progress">
      <p>
        Reindexing{prog ? ` ${prog.done} of ${prog.total} documents` : ""}
        … this page refreshes by itself.
      </p>
      {prog
        ? (
          <progress
            value={String(prog.done)}
            max={String(Math.max(1, prog.total))}
          />
        )
        : <progress />}
    </div>
  );
}

/** The folder, the index's state and size, the last reindex. */
function IndexStatus(p: KnowledgePageProps) {
  const docs = p.status.documents;
  const sections = docs.reduce((n, d) => n + d.sections, 0);
  return (
    <section class="card">
      <dl class="facts">
        <dt>Folder</dt>
        <dd>
          <code>{p.dir}</code>
        </dd>
        <dt>Index</dt>
        <dd>
          {p.building
            ? <span class="badge pending">building</span>
            : p.status.ready
            ? <span class="badge active">ready</span>
            : <span class="badge">not built yet</span>}
        </dd>
        <dt>Documents</dt>
        <dd>{String(docs.length)} ({String(sections)} sections)</dd>
        {p.last
          ? (
            <>
              <dt>Last reindex</dt>
              <dd class={p.last.ok ? undefined : "alert"}>
                {fmtTime(p.last.at)}: {p.last.ok ? "" : "failed: "}
                {p.last.message}
              </dd>
            </>
          )
          : null}
      </dl>
      <ReindexControl {...p} />
    </section>
  );
}

/** The form that asks the current index a question, and its answer. */
function AskForm(
  p: { csrf: string; question?: string; answer?: AskedAnswer | null },
) {
  return (
    <section class="card">
      <h2>Ask the current index</h2>
      <form method="post" action="/knowledge/ask" class="stack">
        <Csrf token={p.csrf} />
        <label for="question">A customer's question</label>
        <textarea id="question" name="question" class="note" required>
          {p.question ?? ""}
        </textarea>
        <button type="submit" class="small">Show the agent's answer</button>
      </form>
      {p.answer ? <AnswerView a={p.answer} /> : null}
    </section>
  );
}

/** The indexed documents, each linked to its sections. */
function DocumentTable(p: { docs: KnowledgeStatusInfo["documents"] }) {
  if (p.docs.length === 0) {
    return <p class="empty">No document is indexed yet.</p>;
  }
  return (
    <table>
      <thead>
        <tr>
          <th>Document</th>
          <th>Title</th>
          <th class="num">Sections</th>
        </tr>
      </thead>
      <tbody>
        {p.docs.map((d) => (
          <tr>
            <td>
              <a href={`/knowledge/doc?id=${encodeURIComponent(d.id)}`}>
                <code>{d.id}</code>
              </a>
            </td>
            <td>{d.title}</td>
            <td class="num">{String(d.sections)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The knowledge base page. */
export function KnowledgePage(p: KnowledgePageProps) {
  return (
    <Layout
      title="Knowledge base"
      path="/knowledge"
      csrf={p.csrf}
      refreshSeconds={p.building ? 2 : undefined}
    >
      <IndexStatus {...p} />
      <AskForm csrf={p.csrf} question={p.question} answer={p.answer} />
      <DocumentTable docs={p.status.documents} />
    </Layout>
  );
}
