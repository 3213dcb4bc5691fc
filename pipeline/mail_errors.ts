/**
 * Typed mailbox errors, declared with the ports: the Gmail adapter
 * (`pipeline/gmail/`) turns Google's HTTP statuses and error reasons into
 * these, so no other code reads a status code or a Google reason. Each
 * carries `transient`: true when the same call may succeed later (the
 * worker then retries the message next cycle without counting a failure).
 * @module
 */

/** Base of every typed mailbox error. */
export class MailError extends Error {
  /** True when a later attempt may succeed (rate limits, outages). */
  readonly transient: boolean;
  constructor(message: string, transient: boolean, options?: ErrorOptions) {
    super(message, options);
    this.name = "MailError";
    this.transient = transient;
  }
}

/** The message (or thread) no longer exists in the mailbox (Gmail 404). */
export class MessageGoneError extends MailError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, false, options);
    this.name = "MessageGoneError";
  }
}

/** A label id given to the mailbox does not exist (deleted by a person). */
export class LabelMissingError extends MailError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, false, options);
    this.name = "LabelMissingError";
  }
}

/** Raised by `Mailbox.listHistory` when the start id is too old (a full sync is needed). */
export class HistoryExpiredError extends MailError {
  constructor(
    message = "history id is too old; a full sync is needed",
    options?: ErrorOptions,
  ) {
    super(message, false, options);
    this.name = "HistoryExpiredError";
  }
}

/** The account's authorisation is gone (refresh token refused): a person must reconnect it. */
export class ReconnectNeededError extends MailError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, false, options);
    this.name = "ReconnectNeededError";
  }
}

/** Too many calls for now; `retryAt` is when the provider said to try again, if it said. */
export class RateLimitedError extends MailError {
  readonly retryAt: Date | null;
  constructor(message: string, retryAt: Date | null, options?: ErrorOptions) {
    super(message, true, options);
    this.name = "RateLimitedError";
    this.retryAt = retryAt;
  }
}

/** The daily quota of the project is used up: calls fail until it resets. */
export class DailyQuotaExhaustedError extends MailError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, true, options);
    this.name = "DailyQuotaExhaustedError";
  }
}

/** The granted scopes do not allow the call: a person must reconnect with the right scopes. */
export class InsufficientScopeError extends MailError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, false, options);
    this.name = "InsufficientScopeError";
  }
}

/** The provider failed or could not be reached (5xx, network): try again later. */
export class MailUnavailableError extends MailError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, true, options);
    this.name = "MailUnavailableError";
  }
}

/**
 * The provider refused to create a label the agent needs and no label it
 * can use was found: a person must rename or delete the conflicting one.
 */
export class LabelConflictError extends MailError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, false, options);
    this.name = "LabelConflictError";
  }
}

/** True for a mailbox error a later attempt may get past. */
export function isTransientMailError(err: unknown): boolean {
  return err instanceof MailError && err.transient;
}
