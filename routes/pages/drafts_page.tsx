/**
 * The drafts page: the agent's drafts waiting for a person (draft mode),
 * each with the customer's message, the draft in an editable box and Send,
 * Save and Discard; below, the drafts already handled and by whom.
 * @module
 */
import type { DraftItem } from "../../pipeline/dashboard/agent_drafts.ts";
import { Csrf, fmtTime, Layout } from "./layout.tsx";

/** An open draft with the customer's message excerpt (null: Gmail did not give it). */
export interface OpenDraft {
  item: DraftItem;
  excerpt: string | null;
}

/** A refused action, shown on its draft's form with what was typed. */
export interface DraftFormError {
  accountId: string;
  gmailId: string;
  message: string;
  text: string;
}

/** Props of `DraftsPage`. */
export interface DraftsPageProps {
  csrf: string;
  open: OpenDraft[];
  /** Open drafts beyond the ones shown. */
  more: number;
  handled: DraftItem[];
  accountEmails: Map<string, string>;
  notice?: string | null;
  error?: DraftFormError | null;
  /** The reply mode in force (REPLY_MODE). */
  replyMode: "auto" | "draft";
}

const OUTCOME_WORDS = {
  sent: "Sent",
  discarded: "Discarded",
  gone: "Sent or deleted in Gmail",
} as const;

/** The path a draft's form posts to. */
export function draftPath(accountId: string, gmailId: string): string {
  return `/drafts/${encodeURIComponent(accountId)}/${
    encodeURIComponent(gmailId)
  }`;
}

function DraftCard(
  p: { d: OpenDraft; csrf: string; mailbox: string; error: string | null },
) {
  const e = p.d.item.entry;
  const id = `draft-${e.accountId}-${e.gmailId}`;
  return (
    <section
      class={p.error ? "card draft error" : "card draft"}
      id={id}
      data-gmail-id={e.gmailId}
    >
      <h2>{e.subject || "(no subject)"}</h2>
      <dl class="facts">
        <dt>From</dt>
        <dd>{e.sender ?? "—"}</dd>
        <dt>Mailbox</dt>
        <dd>{p.mailbox}</dd>
        <dt>Drafted</dt>
        <dd>{fmtTime(e.updatedAt)}</dd>
      </dl>
      <h3>The customer wrote</h3>
      {p.d.excerpt === null
        ? <p class="muted">Gmail did not give the message right now.</p>
        : <pre class="excerpt">{p.d.excerpt}</pre>}
      {p.error ? <p class="alert" role="alert">{p.error}</p> : null}
      <form
        method="post"
        action={draftPath(e.accountId, e.gmailId)}
        class="stack"
      >
        <Csrf token={p.csrf} />
        <label for={`${id}-text`}>
          The agent's draft{p.d.item.edited ? " (edited)" : ""}
        </label>
        <textarea id={`${id}-text`} name="text" class="reply" required>
          {p.d.item.text}
        </textarea>
        <p class="muted">
          Send: the Gmail draft is updated to this text and sent in the
          customer's thread. Save: the Gmail draft is updated, nothing is sent.
          Discard: the Gmail draft is deleted.
        </p>
        <div class="buttons">
          <button type="submit" name="action" value="send">Send</button>
          <button type="submit" name="action" value="save" class="secondary">
            Save
          </button>
          <button
            type="submit"
            name="action"
            value="discard"
            class="danger"
            formnovalidate
          >
            Discard
          </button>
        </div>
      </form>
    </section>
  );
}

/** The drafts queue. */
export function DraftsPage(p: DraftsPageProps) {
  const mailbox = (id: string) => p.accountEmails.get(id) ?? "(disconnected)";
  return (
    <Layout
      title="Drafts to approve"
      path="/drafts"
      csrf={p.csrf}
      notice={p.notice}
    >
      <p class="muted">
        In draft mode (REPLY_MODE=draft, or a mailbox set to draft on Accounts)
        the agent writes its answer as a Gmail draft in the thread instead of
        sending it. Each waits here for a person. REPLY_MODE is now{" "}
        <code>{p.replyMode}</code>.
      </p>
      {p.error && !p.open.some((d) =>
          d.item.entry.accountId === p.error!.accountId &&
          d.item.entry.gmailId === p.error!.gmailId
        )
        ? <p class="alert" role="alert">{p.error.message}</p>
        : null}
      {p.open.length === 0
        ? <p class="empty">No draft waits for a person.</p>
        : p.open.map((d) => {
          const err = p.error &&
              p.error.accountId === d.item.entry.accountId &&
              p.error.gmailId === d.item.entry.gmailId
            ? p.error
            : null;
          return (
            <DraftCard
              d={err ? { ...d, item: { ...d.item, text: err.text } } : d}
              csrf={p.csrf}
              mailbox={mailbox(d.item.entry.accountId)}
              error={err?.message ?? null}
            />
          );
        })}
      {p.more > 0
        ? (
          <p class="muted">
            {String(p.more)} more draft{p.more === 1 ? "" : "s"}{" "}
            wait after these; handle these first.
          </p>
        )
        : null}
      {p.handled.length > 0
        ? (
          <section class="card">
            <h2>Handled</h2>
            <ul class="handled">
              {p.handled.map((d) => (
                <li>
                  <strong>{d.entry.subject || "(no subject)"}</strong>
                  {" — "}
                  {OUTCOME_WORDS[d.outcome!.status]}
                  {d.outcome!.actor ? ` by ${d.outcome!.actor}` : ""}
                  {", "}
                  {fmtTime(d.outcome!.at)} · {mailbox(d.entry.accountId)}
                </li>
              ))}
            </ul>
          </section>
        )
        : null}
    </Layout>
  );
}
