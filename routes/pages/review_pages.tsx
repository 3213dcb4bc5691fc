// deno-lint-ignore-file jsx-key -- hono/jsx needs no keys (it would render them as attributes)
/**
 * The review queue pages: the list (importance, then age; status tabs,
 * search, bulk assign and resolve, pages, keyboard shortcuts) and one item
 * with its excerpt as text, its category and why it needs a person, the
 * importance reasons, links to the conversation and to Gmail, and the forms
 * to reply (from a suggested reply, to the sender or a warned Reply-To),
 * assign, note and resolve or reopen.
 * @module
 */
import type { ReplyAddresses } from "../../pipeline/dashboard/person_reply.ts";
import type { SuggestedReply } from "../../pipeline/dashboard/suggest_reply.ts";
import type { Address, ReviewItem } from "../../pipeline/types.ts";
import {
  conversationUrl,
  gmailThreadUrl,
  Reason,
} from "./conversation_page.tsx";
import { Csrf, fmtTime, Layout } from "./layout.tsx";
import {
  InsertedNote,
  type InsertedReply,
  SavedReplyPicker,
} from "./saved_reply_picker.tsx";

/** Props of `ReviewListPage`. */
export interface ReviewListProps {
  csrf: string;
  items: ReviewItem[];
  /** open | all | pending | in_progress | resolved */
  status: string;
  /** The search text ("" for none). */
  q: string;
  /** The cursor of the next page, or null on the last page. */
  next: string | null;
  /** This is not the first page. */
  paged: boolean;
  accountEmails: Map<string, string>;
  notice?: string | null;
  /** Why the last bulk action was refused (shown on its form). */
  bulkError?: string | null;
}

const TABS: [string, string][] = [
  ["open", "Open"],
  ["pending", "Pending"],
  ["in_progress", "In progress"],
  ["resolved", "Resolved"],
  ["all", "All"],
];

function listQuery(
  p: { status: string; q: string },
  after?: string | null,
): string {
  const q = new URLSearchParams({ status: p.status });
  if (p.q) q.set("q", p.q);
  if (after) q.set("after", after);
  return `/review?${q}`;
}

/** The keyboard shortcuts of the queue, as the page documents them. */
export const REVIEW_SHORTCUTS: [string, string][] = [
  ["j / k", "next / previous item in the list"],
  ["o or Enter", "open the selected item"],
  ["r", "on an item: go to the reply box"],
  ["e", "on an item: mark it resolved"],
  ["/", "search"],
];

/** The status tabs and the search form. */
function ListFilters(p: { status: string; q: string }) {
  return (
    <>
      <p class="tabs">
        {TABS.map(([v, l]) => (
          <a
            href={listQuery({ status: v, q: p.q })}
            class={p.status === v ? "on" : undefined}
          >
            {l}
          </a>
        ))}
      </p>
      <form method="get" action="/review" class="filters">
        <input type="hidden" name="status" value={p.status} />
        <label class="search">
          Search
          <input
            id="search"
            type="search"
            name="q"
            value={p.q}
            placeholder="subject, sender or text"
          />
        </label>
        <button type="submit">Search</button>
        {p.q
          ? <a href={listQuery({ status: p.status, q: "" })}>Clear</a>
          : null}
      </form>
    </>
  );
}

/** One row of the queue table. */
function QueueRow(p: { item: ReviewItem; accountEmail: string | undefined }) {
  const i = p.item;
  return (
    <tr>
      <td class="pick">
        <input
          type="checkbox"
          name="id"
          value={i.id}
          aria-label={`Select ${i.subject || "(no subject)"}`}
        />
      </td>
      <td data-label="Importance">
        <span class={`badge ${i.importance >= 4 ? "high" : ""}`}>
          {String(i.importance)}
        </span>
      </td>
      <td class="subject">
        <a href={`/review/${encodeURIComponent(i.id)}`} class="item-link">
          {i.subject || "(no subject)"}
        </a>
        <a
          href={conversationUrl(i.accountId, i.threadId)}
          class="muted small-link"
        >
          conversation
        </a>
      </td>
      <td data-label="From">{i.sender}</td>
      <td class="wide-only">{p.accountEmail ?? "—"}</td>
      <td data-label="Reason">
        <Reason code={i.reason} />
      </td>
      <td data-label="Status">
        <span class={`badge ${i.status}`}>{i.status}</span>
        {i.assignee ? <span class="muted">{` ${i.assignee}`}</span> : null}
      </td>
      <td class="time" data-label="Waiting since">
        {fmtTime(i.createdAt)}
      </td>
    </tr>
  );
}

/** The queue table with its bulk assign and resolve buttons. */
function BulkForm(p: ReviewListProps) {
  return (
    <form
      method="post"
      action={`/review/bulk${listQuery(p).slice("/review".length)}`}
      class="bulk"
    >
      <Csrf token={p.csrf} />
      <table class="stack-sm queue">
        <thead>
          <tr>
            <th>
              <span class="sr-only">Select</span>
            </th>
            <th>Importance</th>
            <th>Subject</th>
            <th>From</th>
            <th class="wide-only">Mailbox</th>
            <th>Reason</th>
            <th>Status</th>
            <th>Waiting since</th>
          </tr>
        </thead>
        <tbody>
          {p.items.map((i) => (
            <QueueRow
              item={i}
              accountEmail={p.accountEmails.get(i.accountId)}
            />
          ))}
        </tbody>
      </table>
      {p.bulkError ? <p class="alert form-error">{p.bulkError}</p> : null}
      <div class="bulk-actions">
        <label>
          Assign the selected to
          <input name="assignee" placeholder="name" />
        </label>
        <button type="submit" name="action" value="assign" class="small">
          Assign selected
        </button>
        <button
          type="submit"
          name="action"
          value="resolve"
          class="small secondary"
        >
          Resolve selected
        </button>
      </div>
    </form>
  );
}

/** The keyboard shortcuts, folded. */
function Shortcuts() {
  return (
    <details class="shortcuts">
      <summary>Keyboard shortcuts</summary>
      <dl class="facts">
        {REVIEW_SHORTCUTS.map(([k, v]) => (
          <>
            <dt>
              <kbd>{k}</kbd>
            </dt>
            <dd>{v}</dd>
          </>
        ))}
      </dl>
      <p class="muted">
        They need JavaScript; every action also works with the forms and links
        above.
      </p>
    </details>
  );
}

/** The review queue. */
export function ReviewListPage(p: ReviewListProps) {
  return (
    <Layout
      title="Review queue"
      path="/review"
      csrf={p.csrf}
      notice={p.notice}
      script="/static/review_keys.js"
    >
      <ListFilters status={p.status} q={p.q} />
      {p.items.length === 0
        ? <p class="empty">Nothing waits for a person here.</p>
        : <BulkForm {...p} />}
      <p class="pager">
        {p.paged ? <a href={listQuery(p)}>« First page</a> : null}
        {p.next
          ? <a href={listQuery(p, p.next)} rel="next">Next page »</a>
          : null}
      </p>
      <Shortcuts />
    </Layout>
  );
}

/** Props of `ReviewItemPage`. */
export interface ReviewItemProps {
  csrf: string;
  item: ReviewItem;
  /** Where a reply can go, read from the original; null when unknown. */
  addresses?: ReplyAddresses | null;
  accountEmail: string | null;
  /** The item's mailbox is the sandbox (no Gmail web link). */
  sandbox: boolean;
  notice: string | null;
  /** The reply box's starting text, or null. */
  suggestion?: SuggestedReply | null;
  /** Why the last reply was refused (shown on the form). */
  replyError?: string | null;
  /** What was typed before the refusal (kept in the box). */
  replyText?: string;
  /** The mailbox's saved replies, for the picker. */
  savedReplies?: Array<{ id: string; title: string }>;
  /** The saved reply asked for (`?saved=`), or "missing" when it is gone. */
  inserted?: InsertedReply | "missing" | null;
}

function shown(a: Address): string {
  return a.name ? `${a.name} <${a.address}>` : a.address;
}

/** The reply's recipient: the From, or a warned choice of a differing Reply-To. */
function RecipientChoice(p: { addresses: ReplyAddresses | null | undefined }) {
  const a = p.addresses;
  if (!a?.from) return null;
  if (!a.replyTo) {
    return <p class="muted">To: {shown(a.from)} (the sender)</p>;
  }
  return (
    <fieldset class="stack">
      <legend>Send to</legend>
      <p class="alert" role="alert">
        This email asks for answers to go to{" "}
        {a.replyTo.address}, not to the address it came from ({a.from.address}).
        Anyone can set a Reply-To: an answer about an order could reach a
        stranger. Reply to the sender unless you know both addresses belong to
        the same person.
      </p>
      <label>
        <input type="radio" name="to" value="from" checked /> From:{" "}
        {shown(a.from)} (the sender, recommended)
      </label>
      <label>
        <input type="radio" name="to" value="reply_to" /> Reply-To:{" "}
        {shown(a.replyTo)}
      </label>
    </fieldset>
  );
}

/** The item's facts, its excerpt and the links to its conversation. */
function ItemFacts(
  p: { item: ReviewItem; accountEmail: string | null; sandbox: boolean },
) {
  const i = p.item;
  return (
    <section class="card">
      <dl class="facts">
        <dt>From</dt>
        <dd>{i.sender}</dd>
        <dt>Mailbox</dt>
        <dd>{p.accountEmail ?? "(disconnected)"}</dd>
        <dt>Received</dt>
        <dd>{fmtTime(i.createdAt)}</dd>
        <dt>Category</dt>
        <dd>{i.category}</dd>
        <dt>Why review</dt>
        <dd>
          <Reason code={i.reason} />
        </dd>
        <dt>Importance</dt>
        <dd>
          <span class={`badge ${i.importance >= 4 ? "high" : ""}`}>
            {String(i.importance)} / 5
          </span>
          {i.importanceReasons.length > 0
            ? (
              <ul class="reasons">
                {i.importanceReasons.map((r) => <li>{r}</li>)}
              </ul>
            )
            : null}
        </dd>
        <dt>Status</dt>
        <dd>
          <span class={`badge ${i.status}`}>{i.status}</span>
          {i.assignee ? ` · ${i.assignee}` : ""}
        </dd>
      </dl>
      <h2>Excerpt</h2>
      <pre class="excerpt">{i.excerpt}</pre>
      <p>
        <a href={conversationUrl(i.accountId, i.threadId)}>
          Read the whole conversation
        </a>
        {p.sandbox ? null : (
          <>
            {" · "}
            <a
              href={gmailThreadUrl(i.threadId)}
              rel="noreferrer"
              target="_blank"
            >
              Open the thread in Gmail
            </a>
          </>
        )}
      </p>
    </section>
  );
}

/** What the suggested reply is built from, above the reply box. */
function SuggestionNote(p: { suggestion: SuggestedReply }) {
  return (
    <p class="suggestion-note">
      <span class="badge suggestion">Suggestion</span>{" "}
      {p.suggestion.basis === "agent"
        ? "The agent's draft for the questions the knowledge base answers."
        : "Built from the knowledge-base sections the agent found."}{" "}
      Check and complete it before sending.
      {p.suggestion.sources.length > 0
        ? (
          <span class="muted">
            {` Sources: ${p.suggestion.sources.join(", ")}`}
          </span>
        )
        : null}
    </p>
  );
}

/** The reply form, or why there is none (a resolved item). */
function ReplyForm(p: ReviewItemProps & { base: string }) {
  if (p.item.status === "resolved") {
    return <p class="muted">Resolved. Reopen it to reply from here.</p>;
  }
  // The box holds what was typed (a refused send), else the saved reply
  // asked for, else the suggestion.
  const inserted = p.replyText === undefined && p.inserted ? p.inserted : null;
  const saved = inserted && inserted !== "missing" ? inserted : null;
  return (
    <>
      <SavedReplyPicker
        action={p.base}
        accountId={p.item.accountId}
        replies={p.savedReplies ?? []}
        selected={saved?.id ?? null}
      />
      <form method="post" action={`${p.base}/reply`} class="stack">
        <Csrf token={p.csrf} />
        <RecipientChoice addresses={p.addresses} />
        <label for="reply">Your reply (plain text)</label>
        {p.replyError ? <p class="alert form-error">{p.replyError}</p> : null}
        {inserted ? <InsertedNote inserted={inserted} /> : null}
        {p.suggestion && p.replyText === undefined && saved === null
          ? <SuggestionNote suggestion={p.suggestion} />
          : null}
        <textarea id="reply" name="reply" class="reply" required>
          {p.replyText ?? saved?.text ?? p.suggestion?.text ?? ""}
        </textarea>
        <p class="muted">
          Sent from the mailbox in the same Gmail thread. The item is resolved
          and the agent stops answering this thread.
        </p>
        <button type="submit">Send reply</button>
      </form>
    </>
  );
}

/** The assign, note and resolve/reopen forms. */
function ItemActions(p: { csrf: string; item: ReviewItem; base: string }) {
  const i = p.item;
  const resolved = i.status === "resolved";
  return (
    <>
      <h2>Assign</h2>
      <form method="post" action={`${p.base}/assign`} class="inline">
        <Csrf token={p.csrf} />
        <input
          name="assignee"
          value={i.assignee ?? ""}
          placeholder="name"
          aria-label="Assignee"
        />
        <button type="submit" class="small secondary">Assign</button>
      </form>
      <h2>Note</h2>
      <form method="post" action={`${p.base}/note`} class="stack">
        <Csrf token={p.csrf} />
        <textarea name="note" class="note" aria-label="Note">
          {i.note ?? ""}
        </textarea>
        <button type="submit" class="small secondary">Save note</button>
      </form>
      <h2>Status</h2>
      <form
        method="post"
        action={`${p.base}/${resolved ? "reopen" : "resolve"}`}
        class={resolved ? "inline" : "inline resolve-form"}
      >
        <Csrf token={p.csrf} />
        <button type="submit" class="small">
          {resolved ? "Reopen" : "Mark resolved"}
        </button>
      </form>
    </>
  );
}

/** One review item. */
export function ReviewItemPage(p: ReviewItemProps) {
  const i = p.item;
  const base = `/review/${encodeURIComponent(i.id)}`;
  return (
    <Layout
      title={i.subject || "(no subject)"}
      path="/review"
      csrf={p.csrf}
      notice={p.notice}
      script="/static/review_keys.js"
    >
      <div class="two">
        <ItemFacts
          item={i}
          accountEmail={p.accountEmail}
          sandbox={p.sandbox}
        />
        <section class="card">
          <h2>Reply in the thread</h2>
          <ReplyForm {...p} base={base} />
          <ItemActions csrf={p.csrf} item={i} base={base} />
        </section>
      </div>
      <p>
        <a href="/review">← Back to the queue</a>
      </p>
    </Layout>
  );
}
