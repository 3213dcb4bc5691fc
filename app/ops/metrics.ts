/**
 * Prometheus metrics for the agent, on prom-client (works under Deno). Each
 * `createMetrics()` owns its own registry: no global state, safe in parallel
 * tests. Counters and the latency histogram are recorded by the worker and
 * the Gmail client; the review-queue, account and sync-age gauges are read
 * from the store at scrape time (`render({ store, now })`).
 * @module
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Store } from "../../pipeline/ports.ts";
import type { AccountStatus, ReviewStatus } from "../../pipeline/types.ts";

/** Gmail API quota units per method (Google's published costs). */
export const GMAIL_QUOTA_UNITS: Readonly<Record<string, number>> = {
  "users.getProfile": 1,
  "messages.list": 5,
  "messages.get": 5,
  "messages.send": 100,
  "messages.modify": 5,
  "history.list": 2,
  "messages.attachments.get": 5,
  "threads.get": 10,
  "labels.list": 1,
  "labels.get": 1,
  "labels.create": 5,
  "drafts.create": 10,
  "drafts.send": 100,
  "drafts.list": 1,
  "drafts.get": 1,
  "drafts.update": 15,
  "drafts.delete": 10,
};

/** Latency buckets in seconds (one email, or one whole poll cycle). */
export const LATENCY_BUCKETS = [
  0.01,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
  10,
  30,
  60,
];

const REVIEW_STATUSES: ReviewStatus[] = ["pending", "in_progress", "resolved"];
const ACCOUNT_STATUSES: AccountStatus[] = [
  "active",
  "needs_reconnect",
  "paused",
];

/** What `render` reads the gauges from. */
export interface ScrapeSource {
  /** Only `review.countByStatus()` and `accounts.list()` are used. */
  store: Pick<Store, "review" | "accounts">;
  now: Date;
}

/** The agent's metrics: typed recorders plus the Prometheus text output. */
export interface Metrics {
  /** One email finished, with its decision's category, action and reason. */
  emailProcessed(l: { category: string; action: string; reason: string }): void;
  /** One handled error; `kind` is a short machine-readable name (e.g. `gmail_429`, `invalid_grant`). */
  error(kind: string): void;
  /** One Gmail API call; `units` defaults to `GMAIL_QUOTA_UNITS[method]` (0 when unknown). */
  gmailCall(method: string, units?: number): void;
  /** A processing duration in seconds; `stage` is `email` (default) or `poll_cycle`. */
  observeLatency(seconds: number, stage?: "email" | "poll_cycle"): void;
  /** A successful sync of `accountId` at `at` (the gauge also falls back to the store's `lastSyncAt`). */
  syncSucceeded(accountId: string, at: Date): void;
  /** Prometheus text exposition; with `source`, the gauges are refreshed from the store first. */
  render(source?: ScrapeSource): Promise<string>;
  /** The Content-Type for `render`'s output. */
  readonly contentType: string;
}

/** Creates a fresh set of metrics with its own registry. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const emails = new Counter({
    name: "agent_emails_processed_total",
    help: "Emails processed, by decision category, action and reason.",
    labelNames: ["category", "action", "reason"] as const,
    registers,
  });
  const errors = new Counter({
    name: "agent_errors_total",
    help: "Handled errors, by kind.",
    labelNames: ["kind"] as const,
    registers,
  });
  const gmailCalls = new Counter({
    name: "agent_gmail_calls_total",
    help: "Gmail API calls, by method.",
    labelNames: ["method"] as const,
    registers,
  });
  const gmailUnits = new Counter({
    name: "agent_gmail_quota_units_total",
    help: "Gmail API quota units spent, by method.",
    labelNames: ["method"] as const,
    registers,
  });
  const latency = new Histogram({
    name: "agent_processing_seconds",
    help: "Processing latency in seconds, by stage (email, poll_cycle).",
    labelNames: ["stage"] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const review = new Gauge({
    name: "agent_review_queue_items",
    help: "Review queue items, by status (read from the store at scrape time).",
    labelNames: ["status"] as const,
    registers,
  });
  const accounts = new Gauge({
    name: "agent_accounts",
    help: "Connected accounts, by status (read from the store at scrape time).",
    labelNames: ["status"] as const,
    registers,
  });
  const syncAge = new Gauge({
    name: "agent_last_successful_sync_age_seconds",
    help:
      "Seconds since the last successful sync, per account id (absent until one succeeds).",
    labelNames: ["account_id"] as const,
    registers,
  });
  const lastSuccess = new Map<string, number>();

  async function refresh({ store, now }: ScrapeSource): Promise<void> {
    const counts = await store.review.countByStatus();
    for (const s of REVIEW_STATUSES) review.set({ status: s }, counts[s] ?? 0);
    const list = await store.accounts.list();
    accounts.reset();
    for (const s of ACCOUNT_STATUSES) {
      accounts.set({ status: s }, list.filter((a) => a.status === s).length);
    }
    syncAge.reset();
    for (const a of list) {
      const fromStore = a.lastSyncAt && a.lastError === null
        ? a.lastSyncAt.getTime()
        : 0;
      const at = Math.max(fromStore, lastSuccess.get(a.id) ?? 0);
      if (at === 0) continue;
      syncAge.set(
        { account_id: a.id },
        Math.max(0, (now.getTime() - at) / 1000),
      );
    }
  }

  return {
    emailProcessed: (l) =>
      emails.inc({ category: l.category, action: l.action, reason: l.reason }),
    error: (kind) => errors.inc({ kind }),
    gmailCall(method, units) {
      gmailCalls.inc({ method });
      const u = units ?? GMAIL_QUOTA_UNITS[method] ?? 0;
      if (u > 0) gmailUnits.inc({ method }, u);
    },
    observeLatency: (seconds, stage = "email") =>
      latency.observe({ stage }, seconds),
    syncSucceeded(accountId, at) {
      const t = at.getTime();
      if (t > (lastSuccess.get(accountId) ?? 0)) lastSuccess.set(accountId, t);
    },
    async render(source) {
      if (source) await refresh(source);
      return await registry.metrics();
    },
    contentType: registry.contentType,
  };
}
