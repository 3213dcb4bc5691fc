/**
 * The activity page: the ledger, newest first, with filters.
 * @module
 */
import type { Account, LedgerEntry } from "../../pipeline/types.ts";
import { conversationUrl, Reason } from "./conversation_page.tsx";
import { fmtTime, Layout } from "./layout.tsx";

/** Props of `ActivityPage`. */
export interface ActivityPageProps {
  csrf: string;
  entries: LedgerEntry[];
  accounts: Account[];
  filter: {
    account?: string;
    category?: string;
    action?: string;
    reason?: string;
    q?: string;
  };
  /** The cursor of the next page, or null on the last page. */
  next?: string | null;
  /** This is not the first page. */
  paged?: boolean;
}

/** The query string of the filter, with `after` when given. */
function queryOf(f: ActivityPageProps["filter"], after?: string): string {
  const q = new URLSearchParams();
  for (const k of ["q", "account", "category", "action", "reason"] as const) {
    const v = f[k];
    if (v) q.set(k, v);
  }
  if (after) q.set("after", after);
  const s = q.toString();
  return s ? `?${s}` : "";
}

function Select(
  p: {
    name: string;
    label: string;
    value?: string;
    options: [string, string][];
  },
) {
  return (
    <label>
      {p.label}
      <select name={p.name}>
        <option value="">any</option>
        {p.options.map(([v, l]) => (
          <option value={v} selected={p.value === v}>{l}</option>
        ))}
      </select>
    </label>
  );
}

/** The activity page. */
export function ActivityPage(p: ActivityPageProps) {
  const emailOf = new Map(p.accounts.map((a) => [a.id, a.email]));
  return (
    <Layout title="Activity" path="/activity" csrf={p.csrf}>
      <form method="get" action="/activity" class="filters">
        <label class="search">
          Search
          <input
            type="search"
            name="q"
            value={p.filter.q ?? ""}
            placeholder="subject or sender"
          />
        </label>
        <Select
          name="account"
          label="Mailbox"
          value={p.filter.account}
          options={p.accounts.map((a) => [a.id, a.email])}
        />
        <Select
          name="category"
          label="Category"
          value={p.filter.category}
          options={["Question", "Refund", "Other"].map((x) => [x, x])}
        />
        <Select
          name="action"
          label="Action"
          value={p.filter.action}
          options={["reply", "draft", "review", "ignore"].map((x) => [x, x])}
        />
        <label>
          Reason
          <input
            name="reason"
            value={p.filter.reason ?? ""}
            placeholder="e.g. answered"
          />
        </label>
        <button type="submit">Filter</button>
        <a href="/activity">Clear</a>
      </form>
      {p.entries.length === 0
        ? <p class="empty">No processed email matches.</p>
        : (
          <table class="stack-sm">
            <thead>
              <tr>
                <th>Time</th>
                <th class="wide-only">Mailbox</th>
                <th>From</th>
                <th>Subject</th>
                <th>Category</th>
                <th class="wide-only">Confidence</th>
                <th>Action</th>
                <th>Reason</th>
              </tr>
            </thead>
            <tbody>
              {p.entries.map((e) => (
                <tr>
                  <td class="time" data-label="Time">
                    {fmtTime(e.updatedAt)}
                  </td>
                  <td class="wide-only">
                    {emailOf.get(e.accountId) ?? e.accountId}
                  </td>
                  <td data-label="From">{e.sender ?? "—"}</td>
                  <td class="subject">
                    <a href={conversationUrl(e.accountId, e.threadId)}>
                      {e.subject || "(no subject)"}
                    </a>
                  </td>
                  <td data-label="Category">{e.decision?.category ?? "—"}</td>
                  <td class="num wide-only">
                    {e.decision ? e.decision.confidence.toFixed(2) : "—"}
                  </td>
                  <td data-label="Action">
                    {e.decision
                      ? (
                        <span class={`badge ${e.decision.action}`}>
                          {e.decision.action}
                        </span>
                      )
                      : <span class="muted">{e.state}</span>}
                  </td>
                  <td data-label="Reason">
                    {e.decision ? <Reason code={e.decision.reason} /> : "—"}
                    {e.error ? <div class="muted">{e.error}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      <p class="muted">
        Confidence: the classifier's calibrated probability of the category; the
        threshold (CLASSIFY_THRESHOLD) is applied to it. For an answered
        question it shows the lower of it and the answer's own confidence (how
        well the knowledge base covers the email), so it can sit below the
        threshold although the email was answered. Open a subject for the whole
        conversation.
      </p>
      <p class="pager">
        {p.paged
          ? <a href={`/activity${queryOf(p.filter)}`}>« Newest</a>
          : null}
        {p.next
          ? (
            <a href={`/activity${queryOf(p.filter, p.next)}`} rel="next">
              Older »
            </a>
          )
          : null}
      </p>
    </Layout>
  );
}
