/**
 * The one application error type. Codes map to HTTP statuses in one table
 * (`HTTP_STATUS` below, applied by `routes/error_handler.tsx`); the CLI (`main.ts`) prints any error as one
 * line and exits 1 (2 for a usage error).
 * @module
 */

/** What kind of failure an AppError is. */
export type ErrorCode =
  | "invalid_input"
  | "not_found"
  | "unauthorized"
  | "forbidden"
  | "conflict"
  | "unavailable"
  | "internal";

/** An expected failure with a message fit for users (no secrets, no bodies). */
export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "AppError";
    this.code = code;
  }
}

/** HTTP status for each error code. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};
