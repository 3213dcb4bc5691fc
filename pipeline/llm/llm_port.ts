/**
 * The `Llm` port: one chat completion, a system and a user message in, the
 * model's text out. The agent uses it only to rephrase an answer that is
 * already grounded in the knowledge base, and verifies what comes back.
 * @module
 */

/** Input of `Llm.complete`. */
export interface LlmInput {
  /** Instructions for the model. */
  system: string;
  /** The task's material (customer text included: never log it). */
  user: string;
  /** Most tokens the model may produce. A positive integer. */
  maxTokens: number;
}

/** Why a completion failed. */
export type LlmErrorCode =
  | "http_status"
  | "timeout"
  | "network"
  | "bad_response";

/**
 * A failed completion. The message holds status codes and schema paths only,
 * never prompts, completions or keys.
 */
export class LlmError extends Error {
  /** What went wrong. */
  readonly code: LlmErrorCode;
  /** The HTTP status when the endpoint answered, else null. */
  readonly status: number | null;
  /** The wait the endpoint asked for (`Retry-After`), in ms, else null. */
  readonly retryAfterMs: number | null;

  constructor(
    message: string,
    opts: {
      code: LlmErrorCode;
      status?: number | null;
      retryAfterMs?: number | null;
      cause?: unknown;
    },
  ) {
    super(message, { cause: opts.cause });
    this.name = "LlmError";
    this.code = opts.code;
    this.status = opts.status ?? null;
    this.retryAfterMs = opts.retryAfterMs ?? null;
  }
}

/** A chat model. */
export interface Llm {
  /**
   * The model's reply text. Rejects with `LlmError` (timeout, network,
   * HTTP status after retries, or a response of the wrong shape), or
   * `RangeError` for a bad `maxTokens`.
   */
  complete(input: LlmInput): Promise<string>;
}
