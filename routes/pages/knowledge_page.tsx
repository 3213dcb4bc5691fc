/**
 * The knowledge base page.
 * @module
 */
import type { KnowledgeStatusInfo } from "../web_deps.ts";
import { Csrf, fmtTime, Layout } from "./layout.tsx";

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
}

/** The knowledge base page. */
export function KnowledgePage(p: KnowledgePageProps) {
  const docs = p.status.documents;
  const sections = docs.reduce((n, d) => n + d.sections, 0);
  const prog = p.status.progress;
  return (
    <Layout
      title="Knowledge base"
      path="/knowledge"
      csrf={p.csrf}
      refreshSeconds={p.building ? 2 : undefined}
    >
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
        {p.building
          ? (
            <div class="progress">
              <p>
                Reindexing{prog
                  ? ` ${prog.done} of ${prog.total} documents`
                  : ""}
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
          )
          : (
            <form method="post" action="/knowledge/reindex" class="inline">
              <Csrf token={p.csrf} />
              <button type="submit">Reindex now</button>
            </form>
          )}
      </section>
      {docs.length === 0
        ? <p class="empty">No document is indexed yet.</p>
        : (
          <table>
            <thead>
              <tr>
                <th>Document</th>
                <th>Title</th>
                <th class="num">Sections</th>
              </tr>
            </thead>
            <tbody>
              {docs.map((d) => (
                <tr>
                  <td>
                    <code>{d.id}</code>
                  </td>
                  <td>{d.title}</td>
                  <td class="num">{String(d.sections)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
    </Layout>
  );
}
