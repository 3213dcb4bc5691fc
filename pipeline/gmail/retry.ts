/**
 * One retry policy for every Gmail call, POST included: exponential backoff
 * with full jitter on 429, on 403 rate-limit reasons and on 5xx (and on
 * network failures). Other 4xx errors are never retried. Sleep and random
 * are injected so tests never wait.
 * @module
 */
import { GaxiosError } from "gaxios";

/** Options of `withRetry`. */
export interface RetryOptions {
  /** Total attempts, first one included. Default 5. */
  maxAttempts?: number;
  /** Backoff cap of the first retry, in ms. Default 500. */
  baseMs?: number;
  /** Largest backoff cap, in ms. Default 30,000. */
  maxMs?: number;
  /** Waits `ms`. Default: a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1). Default `Math.random`. */
  random?: () => number;
  /** Whether `err` may succeed on a retry. Default `isRetryableGoogleError`. */
  isRetryable?: (err: unknown) => boolean;
  /**
   * The wait the server asked for after `err`, in ms (Retry-After, "Retry
   * after <time>"), or null. The next wait is at least that long.
   */
  retryAfterMs?: (err: unknown) => number | null;
  /**
   * The longest wait honoured. When the server asks for more, the call
   * fails at once (the caller pauses the account). Default 60,000.
   */
  maxWaitMs?: number;
  /** Called before each wait (for logs and metrics). */
  onRetry?: (info: { attempt: number; delayMs: number; err: unknown }) => void;
}

/** A real timer. */
export const realSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Rate-limit reasons Google sends with 403 (and 429). */
export const RATE_LIMIT_REASONS: ReadonlySet<string> = new Set([
  "rateLimitExceeded",
  "userRateLimitExceeded",
]);

/** The HTTP status of a Gaxios/Google error, or null (network failure). */
export function errorStatus(err: unknown): number | null {
  if (typeof err !== "object" || err === null) return null;
  const e = err as { status?: unknown; response?: { status?: unknown } };
  const s = e.response?.status ?? e.status;
  return typeof s === "number" ? s : null;
}

/** The first `error.errors[].reason` of a Google error body, or null. */
export function errorReason(err: unknown): string | null {
  if (typeof err !== "object" || err === null) return null;
  const data = (err as { response?: { data?: unknown } }).response?.data;
  if (typeof data !== "object" || data === null) return null;
  const e = (data as { error?: unknown }).error;
  if (typeof e === "string") return e; // OAuth style: {"error":"invalid_grant"}
  if (typeof e !== "object" || e === null) return null;
  const errors = (e as { errors?: { reason?: unknown }[] }).errors;
  const r = Array.isArray(errors) ? errors[0]?.reason : undefined;
  return typeof r === "string" ? r : null;
}

/** True for 429, 403 with a rate-limit reason, 5xx and network failures. */
export function isRetryableGoogleError(err: unknown): boolean {
  const status = errorStatus(err);
  if (status === null) {
    // No HTTP answer: a request the client made that got none (refused,
    // reset, timed out; with Deno's fetch these carry no error code) is
    // worth another try; a programmer error (TypeError from our own code)
    // is not.
    const code = (err as { code?: unknown } | null)?.code;
    return err instanceof GaxiosError || typeof code === "string" &&
        /^(ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EAI_AGAIN)$/.test(code);
  }
  if (status === 429 || status >= 500) return true;
  if (status === 403) return RATE_LIMIT_REASONS.has(errorReason(err) ?? "");
  return false;
}

/**
 * Runs `fn`, retrying retryable failures with full-jitter exponential
 * backoff: the n-th wait is uniform in [0, min(maxMs, baseMs * 2^(n-1))).
 * Throws the last error when attempts run out.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  opts: RetryOptions = {},
): Promise<T> {
  const maxAttempts = opts.maxAttempts ?? 5;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(
      `Cannot retry as 'maxAttempts' must be a positive integer: current value is ${maxAttempts}`,
    );
  }
  const baseMs = opts.baseMs ?? 500;
  const maxMs = opts.maxMs ?? 30_000;
  const sleep = opts.sleep ?? realSleep;
  const random = opts.random ?? Math.random;
  const retryable = opts.isRetryable ?? isRetryableGoogleError;
  for (let attempt = 1;; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= maxAttempts || !retryable(err)) throw err;
      const asked = opts.retryAfterMs?.(err) ?? null;
      if (asked !== null && asked > (opts.maxWaitMs ?? 60_000)) throw err;
      const cap = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
      const delayMs = Math.max(asked ?? 0, Math.floor(random() * cap));
      opts.onRetry?.({ attempt, delayMs, err });
      await sleep(delayMs);
    }
  }
}
