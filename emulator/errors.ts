/**
 * Google API error bodies, exactly as Gmail answers them:
 * `{"error":{"code","message","errors":[{"message","domain","reason"}],"status"}}`.
 * @module
 */

/** One entry of `error.errors[]`. */
export interface GoogleErrorItem {
  message: string;
  domain: string;
  reason: string;
  location?: string;
  locationType?: string;
}

/** The JSON body Google sends with a failed API call. */
export interface GoogleErrorBody {
  error: {
    code: number;
    message: string;
    errors: GoogleErrorItem[];
    status: string;
  };
}

/** An API failure carrying Google's status, reason and message. */
export class GoogleApiError extends Error {
  /** HTTP status, e.g. 404. */
  readonly status: number;
  /** The body sent to the client. */
  readonly body: GoogleErrorBody;
  /** Extra response headers (e.g. `Retry-After`). */
  readonly headers: Record<string, string> = {};

  constructor(status: number, body: GoogleErrorBody) {
    super(body.error.message);
    this.name = "GoogleApiError";
    this.status = status;
    this.body = body;
  }
}

const STATUS_NAMES: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ALREADY_EXISTS",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  502: "UNAVAILABLE",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

/** Builds a Google error body; `status` defaults from the HTTP code. */
export function googleError(
  code: number,
  reason: string,
  message: string,
  opts: { domain?: string; status?: string; itemMessage?: string } = {},
): GoogleApiError {
  const item: GoogleErrorItem = {
    message: opts.itemMessage ?? message,
    domain: opts.domain ?? "global",
    reason,
  };
  if (reason === "authError") {
    item.location = "Authorization";
    item.locationType = "header";
  }
  return new GoogleApiError(code, {
    error: {
      code,
      message,
      errors: [item],
      status: opts.status ?? STATUS_NAMES[code] ?? "UNKNOWN",
    },
  });
}

/** 401: missing, unknown, revoked or expired access token. */
export function authError(): GoogleApiError {
  return googleError(
    401,
    "authError",
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
    { itemMessage: "Invalid Credentials" },
  );
}

/** 404: "Requested entity was not found." */
export function notFound(): GoogleApiError {
  return googleError(404, "notFound", "Requested entity was not found.");
}

/** 400 invalidArgument with Google's message, e.g. "Invalid label: X". */
export function invalidArgument(message: string): GoogleApiError {
  return googleError(400, "invalidArgument", message);
}

/** 400 failedPrecondition ("Precondition check failed."). */
export function failedPrecondition(
  message = "Precondition check failed.",
): GoogleApiError {
  return googleError(400, "failedPrecondition", message, {
    status: "FAILED_PRECONDITION",
  });
}

/** 403 insufficientPermissions (token lacks the scope). */
export function insufficientScope(): GoogleApiError {
  return googleError(
    403,
    "insufficientPermissions",
    "Request had insufficient authentication scopes.",
    { itemMessage: "Insufficient Permission" },
  );
}

/** 403 forbidden: userId names another mailbox. */
export function delegationDenied(userId: string): GoogleApiError {
  return googleError(403, "forbidden", `Delegation denied for ${userId}`);
}

/**
 * The error an injected fault answers with, per HTTP status:
 * 403 rateLimitExceeded (or `reason`, e.g. userRateLimitExceeded,
 * dailyLimitExceeded, insufficientPermissions), 429 rateLimitExceeded /
 * RESOURCE_EXHAUSTED, 5xx backendError, others generic. With `retryAt`, a
 * 429 carries `Retry-After` (seconds from `now`) and a 403
 * userRateLimitExceeded says "Retry after <RFC 3339 time>", as Gmail does.
 */
export function faultError(
  status: number,
  reason?: string,
  retry?: { retryAt: Date; now: Date },
): GoogleApiError {
  switch (status) {
    case 400:
      return reason === "failedPrecondition"
        ? failedPrecondition()
        : googleError(400, reason ?? "invalidArgument", "Invalid argument");
    case 401:
      return authError();
    case 403: {
      const r = reason ?? "rateLimitExceeded";
      if (r === "insufficientPermissions") return insufficientScope();
      const msg = r === "userRateLimitExceeded"
        ? retry
          ? `User-rate limit exceeded.  Retry after ${retry.retryAt.toISOString()}`
          : "User Rate Limit Exceeded"
        : r === "rateLimitExceeded"
        ? "Rate Limit Exceeded"
        : r === "dailyLimitExceeded"
        ? "Daily Limit Exceeded. The quota will be reset at midnight Pacific Time (PT)."
        : "Forbidden";
      const domain = /LimitExceeded$/.test(r) ? "usageLimits" : "global";
      return googleError(403, r, msg, { domain });
    }
    case 404:
      return notFound();
    case 409:
      return googleError(
        409,
        reason ?? "duplicate",
        "Label name exists or conflicts",
      );
    case 429: {
      const err = googleError(
        429,
        reason ?? "rateLimitExceeded",
        retry
          ? "Resource has been exhausted (e.g. check quota)."
          : "Too many concurrent requests for user",
        { domain: "usageLimits" },
      );
      if (retry) {
        err.headers["Retry-After"] = String(Math.max(
          0,
          Math.ceil((retry.retryAt.getTime() - retry.now.getTime()) / 1000),
        ));
      }
      return err;
    }
    case 500:
      return googleError(500, reason ?? "backendError", "Backend Error");
    case 503:
      return googleError(
        503,
        reason ?? "backendError",
        "The service is currently unavailable.",
      );
    default:
      return googleError(
        status,
        reason ?? (status >= 500 ? "backendError" : "badRequest"),
        status >= 500 ? "Backend Error" : "Bad Request",
      );
  }
}

/** An OAuth endpoint failure: `{"error","error_description"}` (not the API shape). */
export class OAuthError extends Error {
  readonly status: number;
  readonly error: string;
  readonly description: string;

  constructor(status: number, error: string, description: string) {
    super(`${error}: ${description}`);
    this.name = "OAuthError";
    this.status = status;
    this.error = error;
    this.description = description;
  }
}
