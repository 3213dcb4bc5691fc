/**
 * The home page: what needs attention at a glance.
 * @module
 */
import type { ReviewStatus } from "../../pipeline/types.ts";
import {
  OUTCOMES,
  type OverviewStats,
} from "../../pipeline/dashboard/overview_stats.ts";
import { Layout } from "./layout.tsx";
import {
  AutomationLine,
  OUTCOME_LABELS,
  OutcomeBars,
} from "./overview_charts.tsx";

function pct(x: number | null): string {
  return x === null ? "—" : `${Math.round(x * 100)}%`;
}

function minutes(m: number | null): string {
  if (m === null) return "—";
  if (m < 1) return "under a minute";
  if (m < 90) return `${Math.round(m)} min`;
  return `${(m / 60).toFixed(1)} h`;
}

/** The Overview's charts of the last days. */
function Charts(p: { o: OverviewStats & { capped: boolean } }) {
  const o = p.o;
  const total = OUTCOMES.reduce((n, k) => n + o.total[k], 0);
  return (
    <section class="card charts">
      <h2>Last {String(o.days.length)} days</h2>
      <div class="grid">
        <div class="stat">
          <span class="n">{`${total}${o.capped ? "+" : ""}`}</span>
          <span class="l">emails</span>
        </div>
        <div class="stat">
          <span class="n">{pct(o.automationRate)}</span>
          <span class="l">answered by the agent</span>
        </div>
        <div class="stat">
          <span class="n">{minutes(o.medianFirstResponseMinutes)}</span>
          <span class="l">median time to first response</span>
        </div>
      </div>
      <h3>Emails per day by outcome</h3>
      <OutcomeBars days={o.days} />
      <ul class="legend">
        {OUTCOMES.map((k) => (
          <li>
            <span class={`swatch o-${k}`}></span>
            {`${OUTCOME_LABELS[k]} (${o.total[k]})`}
          </li>
        ))}
      </ul>
      <h3>Automation rate per day</h3>
      <AutomationLine days={o.days} />
      <p class="muted">
        Automation rate: the share of emails (machine mail left out) the agent
        answered itself, as a reply or a draft. Time to first response: from
        when the agent picked an email up to its reply, or, for an email handed
        to a person, from the review item to its resolution; over{" "}
        {String(o.responses)} responses. Days are UTC.
      </p>
    </section>
  );
}

/** Props of `HomePage`. */
export interface HomePageProps {
  csrf: string;
  accounts: { active: number; needs_reconnect: number; paused: number };
  review: Record<ReviewStatus, number>;
  processedToday: number;
  processedCapped: boolean;
  byAction: Record<string, number>;
  sandbox: boolean;
  /** The last days as charts. */
  overview: OverviewStats & { capped: boolean };
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
      <Charts o={p.overview} />
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
