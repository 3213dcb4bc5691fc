// deno-lint-ignore-file jsx-key -- hono/jsx needs no keys (it would render them as attributes)
/**
 * The playground page: a message editor (paste or upload), the Decision of a
 * dry run with its sources, and the sandbox buttons.
 * @module
 */
import type { Plan } from "../../pipeline/types.ts";
import { Csrf, Layout } from "./layout.tsx";

/** Props of `PlaygroundPage`. */
export interface PlaygroundPageProps {
  csrf: string;
  eml: string;
  sandboxEmail: string | null;
  plan?: Plan;
  notice?: string;
  poll?: Record<string, number>;
}

/** The playground page. */
export function PlaygroundPage(p: PlaygroundPageProps) {
  return (
    <Layout
      title="Playground"
      path="/playground"
      csrf={p.csrf}
      notice={p.notice}
    >
      <p class="muted">
        Paste a raw email (RFC 822, as saved in a .eml file) or upload one.
        "Run" shows what the agent would decide. Nothing is sent and nothing is
        stored.
      </p>
      <div class="two">
        <section class="card">
          <form
            method="post"
            action="/playground/simulate"
            enctype="multipart/form-data"
            class="stack"
          >
            <Csrf token={p.csrf} />
            <label for="eml">Raw message</label>
            <textarea id="eml" name="eml" rows={16}>{p.eml}</textarea>
            <label for="file">…or a .eml file</label>
            <input
              id="file"
              name="file"
              type="file"
              accept=".eml,message/rfc822,text/plain"
            />
            <div class="buttons">
              <button type="submit">Run (nothing is sent)</button>
              {p.sandboxEmail
                ? (
                  <button
                    type="submit"
                    class="secondary"
                    formaction="/playground/send"
                  >
                    Send to the sandbox inbox
                  </button>
                )
                : null}
            </div>
          </form>
          {p.sandboxEmail
            ? (
              <form method="post" action="/playground/poll" class="stack poll">
                <Csrf token={p.csrf} />
                <p class="muted">
                  Sandbox inbox:{" "}
                  <code>{p.sandboxEmail}</code>. After sending, the agent
                  answers at the next poll.
                </p>
                <button type="submit" class="secondary">Poll now</button>
              </form>
            )
            : null}
        </section>
        <section class="card">
          {p.plan
            ? <DecisionView plan={p.plan} />
            : <p class="empty">Run a message to see the Decision here.</p>}
          {p.poll
            ? (
              <>
                <h2>Poll summary</h2>
                <pre>{JSON.stringify(p.poll, null, 2)}</pre>
              </>
            )
            : null}
        </section>
      </div>
    </Layout>
  );
}

function DecisionView(p: { plan: Plan }) {
  const d = p.plan.decision;
  return (
    <div class="decision">
      <h2>Decision</h2>
      <dl class="facts">
        <dt>Category</dt>
        <dd>{d.category}</dd>
        <dt>Confidence</dt>
        <dd>{d.confidence.toFixed(2)}</dd>
        <dt>Action</dt>
        <dd>
          <span class={`badge ${d.action}`}>{d.action}</span>
        </dd>
        <dt>Reason</dt>
        <dd>{d.reason}</dd>
        {d.order_id
          ? (
            <>
              <dt>Order</dt>
              <dd>{d.order_id}</dd>
            </>
          )
          : null}
        {d.importance !== null
          ? (
            <>
              <dt>Importance</dt>
              <dd>{String(d.importance)} / 5</dd>
            </>
          )
          : null}
      </dl>
      <h2>Sources</h2>
      {d.sources.length === 0
        ? <p class="empty">No knowledge-base source.</p>
        : (
          <ul class="sources">
            {d.sources.map((s) => (
              <li>
                <code>{s}</code>
              </li>
            ))}
          </ul>
        )}
      {d.reply !== null
        ? (
          <>
            <h2>Reply</h2>
            <pre class="reply">{d.reply}</pre>
          </>
        )
        : null}
      {p.plan.effects.length > 0
        ? (
          <>
            <h2>Planned effects</h2>
            <ul>
              {p.plan.effects.map((e) => <li>{e.type.replace(/_/g, " ")}</li>)}
            </ul>
          </>
        )
        : null}
      <h2>Decision JSON</h2>
      <pre class="json">{JSON.stringify(d, null, 2)}</pre>
    </div>
  );
}
