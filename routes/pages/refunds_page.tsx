/**
 * The refunds page: each case as a card with its state, the order details
 * (amount, date, status, customer), the history (who, when, the amount
 * refunded) and, while it is open, the forms to approve or reject it; then
 * the invalid attempts (unknown order, not the owner, no order id).
 * @module
 */
import type {
  InvalidRefundAttempt,
  Order,
  RefundCase,
} from "../../pipeline/types.ts";
import { conversationUrl, Reason } from "./conversation_page.tsx";
import { Csrf, fmtTime, Layout } from "./layout.tsx";
import { reasonWords } from "./reason_words.ts";

/** A refused form: which case and action, and why. */
export interface FormError {
  accountId: string;
  threadId: string;
  kind: "approve" | "reject";
  message: string;
}

/** Props of `RefundsPage`. */
export interface RefundsPageProps {
  csrf: string;
  cases: RefundCase[];
  attempts: InvalidRefundAttempt[];
  /** The cases' orders by order id (as written in the case). */
  orders: Map<string, Order>;
  accountEmails: Map<string, string>;
  notice?: string | null;
  formError?: FormError | null;
}

const DECIDED = new Set(["refunded", "rejected_by_person"]);

function OrderFacts(p: { id: string; order: Order | undefined }) {
  const o = p.order;
  return (
    <dl class="facts order">
      <dt>Order</dt>
      <dd>
        <strong>{p.id}</strong>
      </dd>
      {o
        ? (
          <>
            <dt>Amount</dt>
            <dd>{o.amount.toFixed(2)}</dd>
            <dt>Ordered</dt>
            <dd>{o.orderDate.toISOString().slice(0, 10)}</dd>
            <dt>Status</dt>
            <dd>
              {o.status}
              {o.refundRequestedAt
                ? ` · refund requested ${fmtTime(o.refundRequestedAt)}`
                : ""}
            </dd>
            <dt>Customer</dt>
            <dd>{o.customerEmail}</dd>
          </>
        )
        : (
          <>
            <dt>Details</dt>
            <dd class="muted">not in the orders database</dd>
          </>
        )}
    </dl>
  );
}

function Actions(
  p: {
    rc: RefundCase;
    order: Order | undefined;
    csrf: string;
    error: FormError | null;
  },
) {
  const base = `/refunds/${encodeURIComponent(p.rc.accountId)}/${
    encodeURIComponent(p.rc.threadId)
  }`;
  const err = (kind: "approve" | "reject") =>
    p.error?.kind === kind
      ? <p class="alert form-error">{p.error.message}</p>
      : null;
  return (
    <div class="refund-actions">
      <form method="post" action={`${base}/approve`} class="stack">
        <Csrf token={p.csrf} />
        <label for={`amount-${p.rc.threadId}`}>
          Approve: mark refunded, amount
        </label>
        {err("approve")}
        <input
          id={`amount-${p.rc.threadId}`}
          name="amount"
          inputmode="decimal"
          value={p.order ? p.order.amount.toFixed(2) : ""}
          required
        />
        <button type="submit" class="small">Mark refunded</button>
      </form>
      <form method="post" action={`${base}/reject`} class="stack">
        <Csrf token={p.csrf} />
        <label for={`reason-${p.rc.threadId}`}>
          Reject: reason sent to the customer
        </label>
        {err("reject")}
        <textarea
          id={`reason-${p.rc.threadId}`}
          name="reason"
          class="note"
          placeholder="e.g. the item was used, which our policy does not cover."
        >
        </textarea>
        <button type="submit" class="small danger">Reject</button>
      </form>
    </div>
  );
}

function CaseCard(
  p: {
    rc: RefundCase;
    orders: Map<string, Order>;
    mailbox: string;
    csrf: string;
    error: FormError | null;
  },
) {
  const rc = p.rc;
  const main = rc.orderIds.at(-1);
  return (
    <section class="card refund-case">
      <header class="case-head">
        <span class={`badge ${rc.state}`}>{rc.state.replace(/_/g, " ")}</span>
        {" "}
        <strong>{rc.customerEmail}</strong>{" "}
        <span class="muted">
          {p.mailbox} · updated {fmtTime(rc.updatedAt)} ·{" "}
          <a href={conversationUrl(rc.accountId, rc.threadId)}>conversation</a>
        </span>
      </header>
      {rc.orderIds.length === 0
        ? <p class="muted">No order number yet.</p>
        : rc.orderIds.map((id) => (
          <OrderFacts id={id} order={p.orders.get(id)} />
        ))}
      <h3>History</h3>
      <ol class="history">
        {rc.history.map((h) => (
          <li>
            <span class="muted">{fmtTime(h.at)}</span>{" "}
            {h.from ? `${h.from.replace(/_/g, " ")} → ` : ""}
            {h.to.replace(/_/g, " ")}
            {h.orderId ? ` (${h.orderId})` : ""}
            {h.actor ? ` by ${h.actor}` : ""}
            {h.amount !== undefined ? `, ${h.amount.toFixed(2)}` : ""}
            {h.note && h.note !== h.to
              ? (
                <span class="muted">
                  : {reasonWords(h.note) ?? h.note}
                </span>
              )
              : null}
          </li>
        ))}
      </ol>
      {DECIDED.has(rc.state)
        ? (p.error ? <p class="alert form-error">{p.error.message}</p> : null)
        : (
          <Actions
            rc={rc}
            order={main ? p.orders.get(main) : undefined}
            csrf={p.csrf}
            error={p.error}
          />
        )}
    </section>
  );
}

/** The refunds page. */
export function RefundsPage(p: RefundsPageProps) {
  const errorFor = (rc: RefundCase) =>
    p.formError && p.formError.accountId === rc.accountId &&
      p.formError.threadId === rc.threadId
      ? p.formError
      : null;
  return (
    <Layout
      title="Refund cases"
      path="/refunds"
      csrf={p.csrf}
      notice={p.notice}
    >
      {p.cases.length === 0
        ? <p class="empty">No refund case yet.</p>
        : p.cases.map((rc) => (
          <CaseCard
            rc={rc}
            orders={p.orders}
            mailbox={p.accountEmails.get(rc.accountId) ?? ""}
            csrf={p.csrf}
            error={errorFor(rc)}
          />
        ))}
      <h2>Invalid refund attempts</h2>
      {p.attempts.length === 0
        ? <p class="empty">None.</p>
        : (
          <div class="table-wrap">
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
                    <td>
                      <Reason code={a.reason} />
                    </td>
                    <td>
                      <pre class="small">{a.excerpt}</pre>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
    </Layout>
  );
}
