// deno-lint-ignore-file jsx-key -- hono/jsx needs no keys (it would render them as attributes)
/**
 * The conversation page: one thread, every message in order (customer,
 * agent, person), each customer message with the agent's decision in words
 * (category, confidence, reason, sources) and each reply with the exact
 * text sent. Links to the thread's open review items and its refund case;
 * a Gmail link only for a real mailbox (the sandbox has no Gmail web).
 * @module
 */
import type {
  Conversation,
  ConversationMessage,
} from "../../pipeline/dashboard/conversation.ts";
import type { Decision } from "../../pipeline/types.ts";
import { fmtTime, Layout } from "./layout.tsx";
import { reasonWords } from "./reason_words.ts";

/** The conversation page's address. */
export function conversationUrl(accountId: string, threadId: string): string {
  return `/conversations/${encodeURIComponent(accountId)}/${
    encodeURIComponent(threadId)
  }`;
}

/** A Gmail web link to a thread. */
export function gmailThreadUrl(threadId: string): string {
  return `https://mail.google.com/mail/u/0/#all/${
    encodeURIComponent(threadId)
  }`;
}

/** A reason in words with its code beside it. */
export function Reason(p: { code: string }) {
  const words = reasonWords(p.code);
  return words
    ? (
      <span class="reason">
        {words} <code>{p.code}</code>
      </span>
    )
    : <code>{p.code}</code>;
}

const AUTHOR: Record<ConversationMessage["author"], string> = {
  customer: "Customer",
  agent: "Agent",
  person: "Person",
};

function stateWords(m: ConversationMessage): string {
  const words = stateOnly(m);
  return m.fromLog ? `${words} · text from the activity log` : words;
}

function stateOnly(m: ConversationMessage): string {
  if (m.author === "customer") return "received";
  if (m.state === "draft") return "draft, not sent yet";
  if (m.author === "person") {
    return m.via === "dashboard"
      ? "sent from the dashboard"
      : "sent from Gmail";
  }
  return "sent";
}

function DecisionFacts(p: { d: Decision }) {
  const d = p.d;
  return (
    <dl class="facts decision">
      <dt>Category</dt>
      <dd>
        {d.category}{" "}
        <span class="muted">
          (confidence {d.confidence.toFixed(2)}
          {d.category === "Question" && d.reason === "answered"
            ? ": the lower of the classifier's and the answer's"
            : ": the classifier's"})
        </span>
      </dd>
      <dt>Action</dt>
      <dd>
        <span class={`badge ${d.action}`}>{d.action}</span>
      </dd>
      <dt>Why</dt>
      <dd>
        <Reason code={d.reason} />
      </dd>
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
      {d.sources.length > 0
        ? (
          <>
            <dt>Sources</dt>
            <dd>
              <ul class="sources">
                {d.sources.map((s) => (
                  <li>
                    <code>{s}</code>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )
        : null}
    </dl>
  );
}

function Message(p: { m: ConversationMessage }) {
  const m = p.m;
  return (
    <article class={`message ${m.author} ${m.state}`}>
      <header>
        <strong>{AUTHOR[m.author]}</strong> {m.acknowledgement
          ? (
            <>
              <span class="badge acknowledgement">Acknowledgement</span>
              {" "}
            </>
          )
          : null}
        <span class="muted">
          {m.from ?? ""} · {fmtTime(m.date)} · {stateWords(m)}
        </span>
      </header>
      {m.text !== "" ? <pre class="body">{m.text}</pre> : (
        <p class="muted">
          The text of this email is kept in Gmail only.
        </p>
      )}
      {m.fullText
        ? (
          <details>
            <summary>Whole email with quoted text</summary>
            <pre class="body">{m.fullText}</pre>
          </details>
        )
        : null}
      {m.acknowledgement
        ? (
          <p class="muted">
            Sent automatically when the thread went to a person (ACK_ENABLED);
            it answers nothing. At most one per thread.
          </p>
        )
        : null}
      {m.decision ? <DecisionFacts d={m.decision} /> : null}
    </article>
  );
}

/** Props of `ConversationPage`. */
export interface ConversationPageProps {
  csrf: string;
  conversation: Conversation;
}

/** The conversation page. */
export function ConversationPage(p: ConversationPageProps) {
  const c = p.conversation;
  return (
    <Layout title={c.subject} path="/activity" csrf={p.csrf}>
      <p class="muted">
        Mailbox {c.account.email}
        {c.account.sandbox ? " (sandbox)" : (
          <>
            {" · "}
            <a
              href={gmailThreadUrl(c.threadId)}
              rel="noreferrer"
              target="_blank"
            >
              Open in Gmail
            </a>
          </>
        )}
      </p>
      {c.gmailProblem
        ? (
          <p class="alert">
            {c.gmailProblem}{" "}
            Shown from the activity log: each decision and the text the agent
            sent.
          </p>
        )
        : null}
      {c.openReviewItems.map((i) => (
        <p class="notice">
          Waiting for a person:{" "}
          <a href={`/review/${encodeURIComponent(i.id)}`}>
            {i.subject || "(no subject)"}
          </a>
        </p>
      ))}
      {c.refundCase
        ? (
          <p class="notice">
            Refund case:{" "}
            <span class={`badge ${c.refundCase.state}`}>
              {c.refundCase.state.replace(/_/g, " ")}
            </span>{" "}
            {c.refundCase.orderIds.join(", ")} <a href="/refunds">Refunds</a>
          </p>
        )
        : null}
      <div class="conversation">
        {c.messages.map((m) => <Message m={m} />)}
      </div>
    </Layout>
  );
}
