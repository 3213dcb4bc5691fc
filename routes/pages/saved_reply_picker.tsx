/**
 * On a review item: the mailbox's saved replies in a GET form that reloads
 * the page with the chosen one in the reply box (no script needed), and the
 * note above the box once one is in it.
 * @module
 */
import { savedRepliesUrl } from "./saved_replies_page.tsx";

/** A saved reply put in the reply box, its placeholders filled. */
export interface InsertedReply {
  id: string;
  title: string;
  text: string;
}

/** The picker of the mailbox's saved replies (id and title each). */
export function SavedReplyPicker(
  p: {
    /** The review item's page, reloaded with `?saved=`. */
    action: string;
    accountId: string;
    replies: Array<{ id: string; title: string }>;
    selected: string | null;
  },
) {
  if (p.replies.length === 0) {
    return (
      <p class="muted saved-picker">
        No saved replies for this mailbox yet.{" "}
        <a href={savedRepliesUrl(p.accountId)}>Add one</a>
      </p>
    );
  }
  return (
    <form method="get" action={p.action} class="inline saved-picker">
      <label for="saved">Saved reply</label>
      <select id="saved" name="saved">
        {p.replies.map((r) => (
          <option value={r.id} selected={r.id === p.selected}>
            {r.title}
          </option>
        ))}
      </select>
      <button type="submit" class="small secondary">Insert</button>
      <a href={savedRepliesUrl(p.accountId)} class="muted">Manage</a>
    </form>
  );
}

/** Above the reply box: which saved reply is in it, or that it is gone. */
export function InsertedNote(p: { inserted: InsertedReply | "missing" }) {
  if (p.inserted === "missing") {
    return (
      <p class="alert form-error" role="alert">
        That saved reply no longer exists for this mailbox.
      </p>
    );
  }
  return (
    <p class="suggestion-note">
      <span class="badge suggestion">Saved reply</span>{" "}
      “{p.inserted.title}” is in the box, its placeholders filled. Check and
      complete it before sending.
    </p>
  );
}
