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
  };
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
          <table>
            <thead>
              <tr>
                <th>Time</th>
                <th>Mailbox</th>
                <th>From</th>
                <th>Subject</th>
                <th>Category</th>
                <th>Confidence</th>
                <th>Action</th>
                <th>Reason</th>
              </tr>
            </thead>
            <tbody>
              {p.entries.map((e) => (
                <tr>
                  <td class="time">{fmtTime(e.updatedAt)}</td>
                  <td>{emailOf.get(e.accountId) ?? e.accountId}</td>
                  <td>{e.sender ?? "—"}</td>
                  <td>
                    <a href={conversationUrl(e.accountId, e.threadId)}>
                      {e.subject || "(no subject)"}
                    </a>
                  </td>
                  <td>{e.decision?.category ?? "—"}</td>
                  <td class="num">
                    {e.decision ? e.decision.confidence.toFixed(2) : "—"}
                  </td>
                  <td>
                    {e.decision
                      ? (
                        <span class={`badge ${e.decision.action}`}>
                          {e.decision.action}
                        </span>
                      )
                      : <span class="muted">{e.state}</span>}
                  </td>
                  <td>
                    {e.decision ? <Reason code={e.decision.reason} /> : "—"}
                    {e.error ? <div class="muted">{e.error}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
    </Layout>
  );
}
