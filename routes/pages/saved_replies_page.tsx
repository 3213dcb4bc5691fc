/**
 * The Saved replies page: one mailbox's saved replies (canned responses),
 * each editable in place, a form for a new one, and the delete question on
 * a page of its own (pages have no script). A refused form comes back with
 * what was typed and the problem under its field.
 * @module
 */
import type { SavedReplyErrors } from "../../pipeline/dashboard/saved_replies.ts";
import { SAVED_REPLY_LIMITS } from "../../pipeline/dashboard/saved_replies.ts";
import type { SavedReply } from "../../pipeline/ports.ts";
import type { Account } from "../../pipeline/types.ts";
import { Csrf, fmtTime, Layout } from "./layout.tsx";

/** A refused form: which one, what was typed, and the problems. */
export interface SavedReplyFormState {
  /** The reply being edited, or null for the new-reply form. */
  id: string | null;
  title: string;
  body: string;
  errors: SavedReplyErrors;
}

/** Props of `SavedRepliesPage`. */
export interface SavedRepliesPageProps {
  csrf: string;
  accounts: Account[];
  /** The mailbox shown, or null when none is connected. */
  account: Account | null;
  replies: SavedReply[];
  notice: string | null;
  /** The form refused last, shown again with its problems. */
  refused?: SavedReplyFormState | null;
}

/** The address of a mailbox's saved replies. */
export function savedRepliesUrl(accountId: string): string {
  return `/saved-replies?account=${encodeURIComponent(accountId)}`;
}

function FieldError(p: { id: string; message: string | undefined }) {
  return p.message
    ? <p class="alert form-error" id={p.id} role="alert">{p.message}</p>
    : null;
}

/** Title and text fields, with their problems under them. */
function Fields(
  p: { prefix: string; title: string; body: string; errors: SavedReplyErrors },
) {
  const tid = `${p.prefix}-title`;
  const bid = `${p.prefix}-body`;
  return (
    <>
      <label for={tid}>Title</label>
      <input
        id={tid}
        name="title"
        value={p.title}
        maxlength={SAVED_REPLY_LIMITS.title}
        required
        aria-invalid={p.errors.title ? "true" : undefined}
        aria-describedby={p.errors.title ? `${tid}-error` : undefined}
      />
      <FieldError id={`${tid}-error`} message={p.errors.title} />
      <label for={bid}>Text</label>
      <textarea
        id={bid}
        name="body"
        class="reply"
        required
        aria-invalid={p.errors.body ? "true" : undefined}
        aria-describedby={p.errors.body ? `${bid}-error` : undefined}
      >
        {p.body}
      </textarea>
      <FieldError id={`${bid}-error`} message={p.errors.body} />
    </>
  );
}

/** The mailbox chooser (a GET form), when there is more than one. */
function MailboxChooser(p: { accounts: Account[]; current: Account }) {
  if (p.accounts.length < 2) {
    return <p class="muted">Mailbox {p.current.email}</p>;
  }
  return (
    <form method="get" action="/saved-replies" class="inline">
      <label for="account">Mailbox</label>
      <select id="account" name="account">
        {p.accounts.map((a) => (
          <option value={a.id} selected={a.id === p.current.id}>
            {a.email}
          </option>
        ))}
      </select>
      <button type="submit" class="small secondary">Show</button>
    </form>
  );
}

/** One saved reply, editable in place. */
function ReplyCard(
  p: { csrf: string; reply: SavedReply; refused: SavedReplyFormState | null },
) {
  const r = p.reply;
  const f = p.refused;
  const base = `/saved-replies/${encodeURIComponent(r.id)}`;
  return (
    <section class="card saved-reply" id={`reply-${r.id}`}>
      <h2>{r.title}</h2>
      <p class="muted">Last changed {fmtTime(r.updatedAt)}</p>
      <form method="post" action={base} class="stack">
        <Csrf token={p.csrf} />
        <Fields
          prefix={`r-${r.id}`}
          title={f?.title ?? r.title}
          body={f?.body ?? r.body}
          errors={f?.errors ?? {}}
        />
        <div class="buttons">
          <button type="submit" class="small">Save</button>
          <a href={`${base}/delete`} class="button small danger">Delete…</a>
        </div>
      </form>
    </section>
  );
}

/** The Saved replies page. */
export function SavedRepliesPage(p: SavedRepliesPageProps) {
  const acc = p.account;
  const refused = p.refused ?? null;
  const fresh = refused?.id === null ? refused : null;
  return (
    <Layout
      title="Saved replies"
      path="/saved-replies"
      csrf={p.csrf}
      notice={p.notice}
    >
      <p class="muted">
        Texts you send often, kept per mailbox. On a review item, pick one to
        put it in the reply box, then check and send it. <code>{"{name}"}</code>
        {" "}
        becomes the customer's first name, <code>{"{signature}"}</code>{" "}
        the signature and <code>{"{shop}"}</code> the shop's name.
      </p>
      {acc === null
        ? (
          <p class="empty">
            No mailbox is connected. <a href="/accounts">Connect one</a> first.
          </p>
        )
        : (
          <>
            <MailboxChooser accounts={p.accounts} current={acc} />
            <section class="card saved-reply-new" id="new">
              <h2>New saved reply</h2>
              {fresh?.errors.account
                ? <p class="alert form-error">{fresh.errors.account}</p>
                : null}
              <form method="post" action="/saved-replies" class="stack">
                <Csrf token={p.csrf} />
                <input type="hidden" name="account" value={acc.id} />
                <Fields
                  prefix="new"
                  title={fresh?.title ?? ""}
                  body={fresh?.body ?? ""}
                  errors={fresh?.errors ?? {}}
                />
                <button type="submit">Add saved reply</button>
              </form>
            </section>
            {p.replies.length === 0
              ? <p class="empty">This mailbox has no saved replies yet.</p>
              : p.replies.map((r) => (
                <ReplyCard
                  csrf={p.csrf}
                  reply={r}
                  refused={refused?.id === r.id ? refused : null}
                />
              ))}
          </>
        )}
    </Layout>
  );
}

/** Props of `DeleteSavedReplyPage`. */
export interface DeleteSavedReplyPageProps {
  csrf: string;
  reply: SavedReply;
  accountEmail: string | null;
}

/** The question before a saved reply is deleted. */
export function DeleteSavedReplyPage(p: DeleteSavedReplyPageProps) {
  const r = p.reply;
  return (
    <Layout title="Delete a saved reply?" path="/saved-replies" csrf={p.csrf}>
      <section class="card narrow">
        <p>
          <strong>{r.title}</strong>
          {p.accountEmail ? ` (${p.accountEmail})` : ""}{" "}
          will no longer be offered on review items. Replies already sent with
          it stay as they are.
        </p>
        <pre class="excerpt">{r.body}</pre>
        <form
          method="post"
          action={`/saved-replies/${encodeURIComponent(r.id)}/delete`}
          class="inline"
        >
          <Csrf token={p.csrf} />
          <input type="hidden" name="confirm" value="yes" />
          <button type="submit" class="danger">Delete</button>
        </form>
        <a href={savedRepliesUrl(r.accountId)} class="button secondary">
          Keep it
        </a>
      </section>
    </Layout>
  );
}
