/**
 * The home page: what needs attention at a glance.
 * @module
 */
import type { ReviewStatus } from "../../pipeline/types.ts";
import { Layout } from "./layout.tsx";

/** Props of `HomePage`. */
export interface HomePageProps {
  csrf: string;
  accounts: { active: number; needs_reconnect: number; paused: number };
  review: Record<ReviewStatus, number>;
  processedToday: number;
  processedCapped: boolean;
  byAction: Record<string, number>;
  sandbox: boolean;
}

function Stat(p: { n: number | string; label: string; href: string }) {
  return (
    <a class="stat" href={p.href}>
      <span class="n">{String(p.n)}</span>
      <span class="l">{p.label}</span>
    </a>
  );
}

/** The home page. */
export function HomePage(p: HomePageProps) {
  const total = p.accounts.active + p.accounts.needs_reconnect +
    p.accounts.paused;
  return (
    <Layout title="Overview" path="/" csrf={p.csrf}>
      {p.accounts.needs_reconnect > 0
        ? (
          <p class="alert">
            {p.accounts.needs_reconnect}{" "}
            mailbox(es) need to be reconnected: Google refused their access.
            {" "}
            <a href="/accounts">Open Accounts</a>
          </p>
        )
        : null}
      {total === 0
        ? (
          <p class="notice">
            No mailbox is connected yet. <a href="/connect">Connect Gmail</a>
            {p.sandbox ? " or try the agent in the Playground." : "."}
          </p>
        )
        : null}
      <div class="grid">
        <Stat n={p.review.pending} label="waiting for review" href="/review" />
        <Stat
          n={p.review.in_progress}
          label="review in progress"
          href="/review?status=in_progress"
        />
        <Stat
          n={`${p.processedToday}${p.processedCapped ? "+" : ""}`}
          label="emails processed today (UTC)"
          href="/activity"
        />
        <Stat n={p.accounts.active} label="active mailboxes" href="/accounts" />
        <Stat
          n={p.accounts.needs_reconnect}
          label="need reconnect"
          href="/accounts"
        />
        <Stat n={p.accounts.paused} label="paused" href="/accounts" />
      </div>
      <section class="card">
        <h2>Today by action</h2>
        {Object.keys(p.byAction).length === 0
          ? <p class="empty">Nothing processed yet today.</p>
          : (
            <dl class="facts">
              {Object.entries(p.byAction).sort().map(([k, v]) => (
                <>
                  <dt>{k}</dt>
                  <dd>{String(v)}</dd>
                </>
              ))}
            </dl>
          )}
      </section>
    </Layout>
  );
}
