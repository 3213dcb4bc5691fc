/**
 * The accounts page: each mailbox with its status, last sync, last error,
 * reply mode, pause/resume, disconnect and reconnect.
 * @module
 */
import type { SyncNote } from "../../pipeline/worker/sync.ts";
import type { Account } from "../../pipeline/types.ts";
import { Csrf, fmtTime, Layout } from "./layout.tsx";

/** Props of `AccountsPage`. */
export interface AccountsPageProps {
  csrf: string;
  accounts: Account[];
  /** What a full sync deliberately left, per account id. */
  syncNotes?: Record<string, SyncNote>;
  defaultMode: string;
  notice: string | null;
}

const STATUS_LABEL: Record<Account["status"], string> = {
  active: "active",
  needs_reconnect: "needs reconnect",
  paused: "paused",
};

/** The accounts page. */
export function AccountsPage(p: AccountsPageProps) {
  return (
    <Layout title="Accounts" path="/accounts" csrf={p.csrf} notice={p.notice}>
      <p>
        <a class="button" href="/connect">Connect a Gmail account</a>
      </p>
      {p.accounts.length === 0
        ? <p class="empty">No mailbox is connected yet.</p>
        : (
          <table>
            <thead>
              <tr>
                <th>Mailbox</th>
                <th>Status</th>
                <th>Last sync</th>
                <th>Last error</th>
                <th>Reply mode</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {p.accounts.map((a) => (
                <AccountRow
                  a={a}
                  csrf={p.csrf}
                  defaultMode={p.defaultMode}
                  note={p.syncNotes?.[a.id] ?? null}
                />
              ))}
            </tbody>
          </table>
        )}
    </Layout>
  );
}

function AccountRow(
  p: {
    a: Account;
    csrf: string;
    defaultMode: string;
    note: SyncNote | null;
  },
) {
  const a = p.a;
  const base = `/accounts/${encodeURIComponent(a.id)}`;
  return (
    <tr>
      <td>
        {a.email} {a.sandbox ? <span class="tag">sandbox</span> : null}
      </td>
      <td>
        <span class={`badge ${a.status}`}>{STATUS_LABEL[a.status]}</span>
        {a.statusReason ? <div class="muted">{a.statusReason}</div> : null}
      </td>
      <td>
        {fmtTime(a.lastSyncAt)}
        {p.note
          ? (
            <div class="muted sync-note">
              {p.note.capped
                ? `More than ${p.note.leftOlder}`
                : p.note.leftOlder} unanswered inbox email(s) older than{" "}
              {p.note.windowDays}{" "}
              day(s) were left out of the first sync (INITIAL_SYNC_DAYS).
            </div>
          )
          : null}
      </td>
      <td class="muted">{a.lastError ?? "—"}</td>
      <td>
        <form method="post" action={`${base}/mode`} class="inline">
          <Csrf token={p.csrf} />
          <select name="mode" aria-label="Reply mode">
            <option value="default" selected={a.replyMode === null}>
              default ({p.defaultMode})
            </option>
            <option value="auto" selected={a.replyMode === "auto"}>
              auto: send replies
            </option>
            <option value="draft" selected={a.replyMode === "draft"}>
              draft: a person sends
            </option>
          </select>
          <button type="submit" class="small">Save</button>
        </form>
      </td>
      <td class="actions">
        {a.status === "needs_reconnect"
          ? <a class="button small" href="/connect">Reconnect</a>
          : null}
        <form
          method="post"
          action={`${base}/${a.status === "paused" ? "resume" : "pause"}`}
          class="inline"
        >
          <Csrf token={p.csrf} />
          <button type="submit" class="small secondary">
            {a.status === "paused" ? "Resume" : "Pause"}
          </button>
        </form>
        <a href={`${base}/disconnect`} class="button small danger">
          Disconnect…
        </a>
      </td>
    </tr>
  );
}

/** Props of `DisconnectPage`. */
export interface DisconnectPageProps {
  csrf: string;
  account: Account;
}

/** Asks before disconnecting a mailbox. */
export function DisconnectPage(p: DisconnectPageProps) {
  const base = `/accounts/${encodeURIComponent(p.account.id)}`;
  return (
    <Layout title="Disconnect a mailbox?" path="/accounts" csrf={p.csrf}>
      <section class="card narrow">
        <p>
          <strong>{p.account.email}</strong>{" "}
          will stop being answered. Its access is revoked at Google and its
          tokens are deleted; the activity log, the review queue and the refund
          cases stay. You can connect it again later.
        </p>
        <form method="post" action={`${base}/disconnect`} class="inline">
          <Csrf token={p.csrf} />
          <input type="hidden" name="confirm" value="yes" />
          <button type="submit" class="danger">Disconnect</button>
        </form>
        <a href="/accounts" class="button secondary">Keep it connected</a>
      </section>
    </Layout>
  );
}
