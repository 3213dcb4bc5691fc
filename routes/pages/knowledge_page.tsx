/**
 * The knowledge base pages: the index and its documents (a warning when
 * files changed on disk since it was built), a question asked of the
 * current index, an `eval answers` file run against it, a document
 * uploaded into the folder, and one document as the agent sees it (sections
 * and their ids). Every form posts without script; its error shows on it.
 * @module
 */
import {
  hasChanges,
  type KbChanges,
} from "../../pipeline/knowledge/kb_folder.ts";
import type { KnowledgeStatusInfo } from "../web_deps.ts";
import { Csrf, fmtTime, Layout } from "./layout.tsx";
import {
  AnswerView,
  type AskedAnswer,
  ChangesAlert,
  type EvalRun,
  EvalView,
} from "./knowledge_results.tsx";

export type { AskedAnswer, EvalRun };

/** Outcome of the last reindex started from the dashboard. */
export interface LastReindex {
  at: Date;
  ok: boolean;
  /** A short summary, or the error message. */
  message: string;
}

/** Props of `KnowledgePage`. */
export interface KnowledgePageProps {
  csrf: string;
  status: KnowledgeStatusInfo;
  building: boolean;
  last: LastReindex | null;
  dir: string;
  /** Files on disk that differ from the index; null or absent when unknown. */
  changes?: KbChanges | null;
  /** Most lines of an answers file the page runs (said on the form). */
  maxEvalLines?: number;
  notice?: string | null;
  /** The document just added (linked in the notice). */
  added?: string | null;
  /** The last question asked, and what the agent would do with it. */
  question?: string;
  answer?: AskedAnswer | null;
  askError?: string | null;
  /** The answers text pasted last, the run, or why it was refused. */
  evalText?: string;
  evalRun?: EvalRun | null;
  evalError?: string | null;
  uploadError?: string | null;
}

/** True when the folder on disk differs from the index. */
function isStale(p: KnowledgePageProps): boolean {
  return !!p.changes && hasChanges(p.changes);
}

/** A form's error, shown on the form. */
function FormError(p: { message?: string | null }) {
  return p.message
    ? <p class="alert form-error" role="alert">{p.message}</p>
    : null;
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
        <button type="submit" class={isStale(p) ? undefined : "secondary"}>
          Reindex now
        </button>
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
            : !p.status.ready
            ? <span class="badge">not built yet</span>
            : isStale(p)
            ? <span class="badge high">out of date</span>
            : <span class="badge active">up to date</span>}
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
      <p class="muted">
        <code>deno task start</code>{" "}
        checks the folder against the index each time this page is shown and
        says when a reindex is needed; <code>deno task dev</code>{" "}
        (<code>serve --watch-kb</code>) reindexes by itself when a file changes.
      </p>
    </section>
  );
}

/** The form that asks the current index a question, and its answer. */
function AskForm(p: KnowledgePageProps) {
  return (
    <section class="card" id="ask">
      <h2>Ask the current index</h2>
      <form method="post" action="/knowledge/ask" class="stack">
        <Csrf token={p.csrf} />
        <label for="question">A customer's question</label>
        <textarea id="question" name="question" class="note" required>
          {p.question ?? ""}
        </textarea>
        <FormError message={p.askError} />
        <button type="submit" class="small">Show the agent's answer</button>
      </form>
      {p.answer ? <AnswerView a={p.answer} /> : null}
    </section>
  );
}

/** The form that runs an `eval answers` file, and its run. */
function EvalForm(p: KnowledgePageProps) {
  return (
    <section class="card" id="eval">
      <h2>Run an answers file</h2>
      <p class="muted">
        JSON lines, one email each, as for{" "}
        <code>deno task agent eval answers</code>:{" "}
        <code>
          {`{"id":"q1","body":"How much is shipping?","expect":"answer","facts":["$4.95"]}`}
        </code>{" "}
        (<code>"expect":"person"</code>{" "}
        for an email the agent must leave to a person). A sent answer is right
        when it holds one of its <code>facts</code>.{p.maxEvalLines
          ? ` At most ${p.maxEvalLines} lines;`
          : ""} nothing is sent.
      </p>
      <form
        method="post"
        action="/knowledge/eval"
        enctype="multipart/form-data"
        class="stack"
      >
        <Csrf token={p.csrf} />
        <label for="eval-lines">JSON lines</label>
        <textarea id="eval-lines" name="lines" rows={6}>
          {p.evalText ?? ""}
        </textarea>
        <label for="eval-file">…or a .jsonl file</label>
        <input
          id="eval-file"
          name="file"
          type="file"
          accept=".jsonl,.json,.txt,application/jsonl,text/plain"
        />
        <FormError message={p.evalError} />
        <button type="submit" class="small">Run against the index</button>
      </form>
      {p.evalRun ? <EvalView run={p.evalRun} /> : null}
    </section>
  );
}

/** The form that uploads a document into the folder. */
function UploadForm(p: KnowledgePageProps) {
  return (
    <section class="card" id="upload">
      <h2>Add a document</h2>
      <p class="muted">
        A markdown (<code>.md</code>) or text (<code>.txt</code>) file of at
        most 256 KB, with at least one section (a heading and sentences under
        it). It is saved into the folder above and the index is rebuilt.
      </p>
      <form
        method="post"
        action="/knowledge/upload"
        enctype="multipart/form-data"
        class="stack"
      >
        <Csrf token={p.csrf} />
        <label for="kb-file">Document</label>
        <input
          id="kb-file"
          name="file"
          type="file"
          accept=".md,.txt,text/markdown,text/plain"
        />
        <label class="check">
          <input type="checkbox" name="replace" value="on" />{" "}
          Replace a document of the same name
        </label>
        <FormError message={p.uploadError} />
        <button type="submit" class="small">Upload and reindex</button>
      </form>
    </section>
  );
}

/** The notice after an upload, linking the new document. */
function Notice(p: { notice?: string | null; added?: string | null }) {
  if (!p.notice) return null;
  return (
    <p class="notice">
      {p.notice}
      {p.added
        ? (
          <>
            {" "}
            <a href={`/knowledge/doc?id=${encodeURIComponent(p.added)}`}>
              Read it as the agent does
            </a>
          </>
        )
        : null}
    </p>
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
      <Notice notice={p.notice} added={p.added} />
      {p.changes && isStale(p)
        ? <ChangesAlert changes={p.changes} csrf={p.csrf} />
        : null}
      <IndexStatus {...p} />
      <AskForm {...p} />
      <EvalForm {...p} />
      <UploadForm {...p} />
      <h2>Documents</h2>
      <DocumentTable docs={p.status.documents} />
    </Layout>
  );
}
