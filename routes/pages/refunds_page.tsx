/**
 * The refunds page: each case with its state and history, then the invalid
 * attempts (unknown order, not the owner, no order id).
 * @module
 */
import type { InvalidRefundAttempt, RefundCase } from "../../pipeline/types.ts";
import { conversationUrl } from "./conversation_page.tsx";
import { fmtTime, Layout } from "./layout.tsx";

/** Props of `RefundsPage`. */
export interface RefundsPageProps {
  csrf: string;
  cases: RefundCase[];
  attempts: InvalidRefundAttempt[];
  accountEmails: Map<string, string>;
}

/** The refunds page. */
export function RefundsPage(p: RefundsPageProps) {
  return (
    <Layout title="Refund cases" path="/refunds" csrf={p.csrf}>
      {p.cases.length === 0 ? <p class="empty">No refund case yet.</p> : (
        <table>
          <thead>
            <tr>
              <th>Customer</th>
              <th>Orders</th>
              <th>State</th>
              <th>History</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {p.cases.map((rc) => (
              <tr>
                <td>
                  {rc.customerEmail}
                  <div class="muted">
                    {p.accountEmails.get(rc.accountId) ?? ""}{" "}
                    <a href={conversationUrl(rc.accountId, rc.threadId)}>
                      conversation
                    </a>
                  </div>
                </td>
                <td>{rc.orderIds.join(", ") || "—"}</td>
                <td>
                  <span class={`badge ${rc.state}`}>
                    {rc.state.replace(/_/g, " ")}
                  </span>
                </td>
                <td>
                  <ol class="history">
                    {rc.history.map((h) => (
                      <li>
                        <span class="muted">{fmtTime(h.at)}</span>{" "}
                        {h.from ? `${h.from} → ` : ""}
                        {h.to}
                        {h.orderId ? ` (${h.orderId})` : ""}
                        {h.note && h.note !== h.to
                          ? <span class="muted">: {h.note}</span>
                          : null}
                      </li>
                    ))}
                  </ol>
                </td>
                <td class="time">{fmtTime(rc.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Invalid refund attempts</h2>
      {p.attempts.length === 0 ? <p class="empty">None.</p> : (
        <table>
          <thead>
            <tr>
              <th>Time</th>
              <th>Sender</th>
              <th>Order</th>
              <th>Reason</th>
              <th>Excerpt</th>
            </tr>
          </thead>
          <tbody>
            {p.attempts.map((a) => (
              <tr>
                <td class="time">{fmtTime(a.at)}</td>
                <td>{a.sender}</td>
                <td>{a.orderId ?? "—"}</td>
                <td>{a.reason.replace(/_/g, " ")}</td>
                <td>
                  <pre class="small">{a.excerpt}</pre>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
