/**
 * Gmail quota: the per-method cost tables (Google's table before 1 May 2026
 * and the current one), and, when switched on, per-user enforcement of
 * units per minute (a sliding 60 s window on the emulator clock) and of a
 * daily budget (reset at midnight Pacific Time), answered with Google's
 * error bodies and retry time.
 * @module
 */
import { type GoogleApiError, googleError } from "./errors.ts";

/** Names of the cost tables. */
export type CostTableName = "legacy" | "current";

/**
 * Units per method. `legacy`: Google's published table (15,000 units per
 * user per minute). `current`: from 1 May 2026 new projects get 6,000
 * units per user per minute and reads cost more (messages.get and
 * attachments.get 20, threads.get 40); methods whose new price is not
 * published keep the old one.
 */
export const COST_TABLES: Record<CostTableName, Record<string, number>> = {
  legacy: {
    "users.getProfile": 1,
    "messages.list": 5,
    "messages.get": 5,
    "messages.send": 100,
    "messages.modify": 5,
    "messages.attachments.get": 5,
    "drafts.create": 10,
    "drafts.send": 100,
    "drafts.list": 1,
    "drafts.get": 1,
    "drafts.update": 15,
    "drafts.delete": 10,
    "labels.list": 1,
    "labels.get": 1,
    "labels.create": 5,
    "history.list": 2,
    "threads.get": 10,
  },
  current: {
    "users.getProfile": 1,
    "messages.list": 5,
    "messages.get": 20,
    "messages.send": 100,
    "messages.modify": 5,
    "messages.attachments.get": 20,
    "drafts.create": 10,
    "drafts.send": 100,
    "drafts.list": 1,
    "drafts.get": 1,
    "drafts.update": 15,
    "drafts.delete": 10,
    "labels.list": 1,
    "labels.get": 1,
    "labels.create": 5,
    "history.list": 2,
    "threads.get": 40,
  },
};

/** How a per-minute refusal looks (Gmail answers each of these). */
export type RateLimitStyle =
  /** 429 RESOURCE_EXHAUSTED with a `Retry-After` header (seconds). */
  | "429"
  /** 403 userRateLimitExceeded, "User-rate limit exceeded.  Retry after <RFC 3339>". */
  | "403_user"
  /** 403 rateLimitExceeded "Quota exceeded for quota metric 'Queries' …", no retry time. */
  | "403_rate";

/** Quota settings (all off by default: counted, never enforced). */
export interface QuotaSettings {
  costTable: CostTableName;
  /** Units per user per 60 s, or null (not enforced). */
  unitsPerMinute: number | null;
  /** Units per user per Pacific-Time day, or null (not enforced). */
  dailyUnits: number | null;
  rateLimitStyle: RateLimitStyle;
}

/** One user's recent spending. */
export interface QuotaUsage {
  /** Units spent at each time (epoch ms), oldest first, within the last minute. */
  window: { at: number; units: number }[];
  /** The Pacific-Time day `dayUnits` belongs to (YYYY-MM-DD). */
  day: string;
  dayUnits: number;
}

/** The default settings: legacy table, nothing enforced. */
export function defaultQuotaSettings(): QuotaSettings {
  return {
    costTable: "legacy",
    unitsPerMinute: null,
    dailyUnits: null,
    rateLimitStyle: "429",
  };
}

/** Units of `method` under `table` (1 for a method not in the table). */
export function unitsOf(table: CostTableName, method: string): number {
  return COST_TABLES[table][method] ?? 1;
}

const pacificDay = new Intl.DateTimeFormat("en-CA", {
  timeZone: "America/Los_Angeles",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The Pacific-Time calendar day of `ms` (YYYY-MM-DD). */
export function pacificDayOf(ms: number): string {
  return pacificDay.format(new Date(ms));
}

const WINDOW_MS = 60_000;

/** 429 or 403 for a per-minute refusal, with the time the call may be retried. */
export function rateLimitError(
  style: RateLimitStyle,
  retryAt: Date,
  now: Date,
): GoogleApiError {
  if (style === "403_user") {
    return googleError(
      403,
      "userRateLimitExceeded",
      `User-rate limit exceeded.  Retry after ${retryAt.toISOString()}`,
      { domain: "usageLimits" },
    );
  }
  if (style === "403_rate") {
    return googleError(
      403,
      "rateLimitExceeded",
      "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'gmail.googleapis.com' for consumer 'project_number:000000000000'.",
      { domain: "usageLimits" },
    );
  }
  const err = googleError(
    429,
    "rateLimitExceeded",
    "Resource has been exhausted (e.g. check quota).",
    { domain: "usageLimits" },
  );
  const seconds = Math.max(
    1,
    Math.ceil((retryAt.getTime() - now.getTime()) / 1000),
  );
  err.headers["Retry-After"] = String(seconds);
  return err;
}

/** 403 dailyLimitExceeded, as Gmail words it. */
export function dailyLimitError(): GoogleApiError {
  return googleError(
    403,
    "dailyLimitExceeded",
    "Daily Limit Exceeded. The quota will be reset at midnight Pacific Time (PT). You may monitor your quota usage and adjust limits in the API Console: https://console.developers.google.com/apis/api/gmail.googleapis.com/quotas?project=000000000000",
    { domain: "usageLimits" },
  );
}

/**
 * Charges `units` to a user at `nowMs`, or throws the error Gmail answers
 * when a limit would be passed (a refused call is not charged).
 */
export function chargeQuota(
  settings: QuotaSettings,
  usage: QuotaUsage,
  units: number,
  nowMs: number,
): void {
  const day = pacificDayOf(nowMs);
  if (usage.day !== day) {
    usage.day = day;
    usage.dayUnits = 0;
  }
  usage.window = usage.window.filter((u) => u.at > nowMs - WINDOW_MS);
  if (
    settings.dailyUnits !== null && usage.dayUnits + units > settings.dailyUnits
  ) {
    throw dailyLimitError();
  }
  if (settings.unitsPerMinute !== null) {
    let used = usage.window.reduce((n, u) => n + u.units, 0);
    if (used + units > settings.unitsPerMinute) {
      // The earliest time enough of the window has slid out.
      let retryAt = nowMs + WINDOW_MS;
      for (const u of usage.window) {
        used -= u.units;
        if (used + units <= settings.unitsPerMinute) {
          retryAt = u.at + WINDOW_MS;
          break;
        }
      }
      throw rateLimitError(
        settings.rateLimitStyle,
        new Date(retryAt),
        new Date(nowMs),
      );
    }
  }
  usage.window.push({ at: nowMs, units });
  usage.dayUnits += units;
}

/** A fresh usage record. */
export function newQuotaUsage(): QuotaUsage {
  return { window: [], day: "", dayUnits: 0 };
}
