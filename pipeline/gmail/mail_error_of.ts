/**
 * Google's errors as the typed errors of the ports (`mail_errors.ts`): the
 * one place that reads an HTTP status or a Google error reason and says
 * what it means for the caller. An error with no meaning to act on (a bug,
 * a request Gmail calls malformed) is returned as it is.
 * @module
 */
import {
  DailyQuotaExhaustedError,
  HistoryExpiredError,
  InsufficientScopeError,
  LabelMissingError,
  MailError,
  MailUnavailableError,
  MessageGoneError,
  RateLimitedError,
} from "../mail_errors.ts";
import {
  errorReason,
  errorStatus,
  isRetryableGoogleError,
  RATE_LIMIT_REASONS,
} from "./retry.ts";

/** Reasons Google gives with 403 when the token lacks a scope. */
const SCOPE_REASONS = new Set([
  "insufficientPermissions",
  "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
]);

/**
 * The typed error for a failed Gmail call `method` (e.g. `messages.get`),
 * or `err` itself when it has no typed meaning. `now` dates a
 * `Retry-After` given in seconds.
 */
export function mailErrorOf(err: unknown, method: string, now: Date): unknown {
  if (err instanceof MailError) return err;
  const status = errorStatus(err);
  const message = err instanceof Error ? err.message : String(err);
  const o = { cause: err };
  if (status === null) {
    // No HTTP answer: a network failure, else our own bug (kept as it is).
    return isRetryableGoogleError(err)
      ? new MailUnavailableError(message, o)
      : err;
  }
  const reason = errorReason(err) ?? "";
  if (status === 404) {
    if (method === "history.list") return new HistoryExpiredError(message, o);
    if (/^(messages|threads|drafts)\./.test(method)) {
      return new MessageGoneError(message, o);
    }
    return err;
  }
  if (
    status === 400 && method === "history.list" &&
    /startHistoryId/i.test(message)
  ) {
    // Also seen for a start id Gmail no longer knows: a full sync fixes it.
    return new HistoryExpiredError(message, o);
  }
  if (status === 400 && method === "messages.modify") {
    // Gmail refuses a modify naming a label id that no longer exists.
    return new LabelMissingError(message, o);
  }
  if (status === 429 || (status === 403 && RATE_LIMIT_REASONS.has(reason))) {
    return new RateLimitedError(message, retryAtOf(err, message, now), o);
  }
  if (status === 403 && reason === "dailyLimitExceeded") {
    return new DailyQuotaExhaustedError(message, o);
  }
  if (status === 403 && SCOPE_REASONS.has(reason)) {
    return new InsufficientScopeError(message, o);
  }
  if (status >= 500) return new MailUnavailableError(message, o);
  return err;
}

/**
 * When Google said to retry: "Retry after <RFC 3339 time>" in the message
 * (`userRateLimitExceeded`), else a `Retry-After` header (seconds or an
 * HTTP date), else null.
 */
export function retryAtOf(
  err: unknown,
  message: string,
  now: Date,
): Date | null {
  const m = /Retry after (\d{4}-\d\d-\d\dT[0-9:.]+(?:Z|[+-]\d\d:\d\d))/i.exec(
    message,
  );
  if (m) {
    const t = Date.parse(m[1]!);
    if (!Number.isNaN(t)) return new Date(t);
  }
  const header = retryAfterHeader(err);
  if (header === null) return null;
  if (/^\d+$/.test(header)) {
    return new Date(now.getTime() + Number(header) * 1000);
  }
  const t = Date.parse(header);
  return Number.isNaN(t) ? null : new Date(t);
}

/** The `Retry-After` header of a Gaxios error's response, or null. */
function retryAfterHeader(err: unknown): string | null {
  const headers = (err as { response?: { headers?: unknown } } | null)
    ?.response?.headers;
  // gaxios may bring its own Headers class: `instanceof Headers` is false.
  const get = (headers as { get?: unknown } | null)?.get;
  if (typeof get === "function") {
    const v = get.call(headers, "retry-after");
    return typeof v === "string" ? v.trim() : null;
  }
  if (typeof headers === "object" && headers !== null) {
    const v = (headers as Record<string, unknown>)["retry-after"];
    return typeof v === "string" ? v.trim() : null;
  }
  return null;
}
