/**
 * `Llm` over an OpenAI-compatible `POST {baseUrl}/chat/completions`:
 * temperature 0, a timeout per attempt, retries with full-jitter backoff on
 * 429, 5xx, timeouts and network failures. Logs carry status codes and
 * attempt numbers only: never the key, the prompts or the completion.
 * @module
 */
import { z } from "zod";
import { type Logger, silentLogger } from "../log.ts";
import { type Llm, LlmError, type LlmInput } from "./llm_port.ts";

/** Options of `createOpenAiChat`. */
export interface OpenAiChatOptions {
  /** Endpoint root, e.g. `https://api.openai.com/v1` (LLM_BASE_URL). */
  baseUrl: string;
  /** Model name sent as `model` (LLM_MODEL). */
  model: string;
  /** Sent as `Authorization: Bearer …` when set (LLM_API_KEY). */
  apiKey?: string | null;
  /** HTTP client. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Time limit of one attempt, in ms. Default 20,000. */
  timeoutMs?: number;
  /** Total attempts, first one included. Default 3. */
  maxAttempts?: number;
  /** Backoff cap of the first retry, in ms. Default 500. */
  baseDelayMs?: number;
  /** Largest wait between attempts, in ms. Default 10,000. */
  maxDelayMs?: number;
  /** Waits `ms`. Default: a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * A signal that aborts after `ms` (one per attempt; the body is read under
   * it too). Default `AbortSignal.timeout`. Tests pass one they fire.
   */
  deadline?: (ms: number) => AbortSignal;
  /** Uniform in [0, 1). Default `Math.random`. */
  random?: () => number;
  /** Default: silent. */
  logger?: Logger;
}

/** The part of an OpenAI chat completion the agent reads. */
const CompletionSchema = z.object({
  choices: z.array(
    z.object({ message: z.object({ content: z.string() }) }),
  ).min(1),
});

const realSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) {
    throw new RangeError(
      `Cannot create the chat client as '${name}' must be a positive integer: current value is ${v}`,
    );
  }
  return v;
}

/** Seconds of a `Retry-After` header, as ms, or null. */
function retryAfterMs(h: string | null): number | null {
  if (h === null || !/^\d+$/.test(h.trim())) return null;
  return Number(h.trim()) * 1000;
}

function isRetryable(err: LlmError): boolean {
  if (err.code === "timeout" || err.code === "network") return true;
  return err.code === "http_status" && err.status !== null &&
    (err.status === 429 || err.status >= 500);
}

/** Creates the OpenAI-compatible chat client. */
export function createOpenAiChat(opts: OpenAiChatOptions): Llm {
  const url = `${opts.baseUrl.replace(/\/+$/, "")}/chat/completions`;
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = positiveInt("timeoutMs", opts.timeoutMs ?? 20_000);
  const deadline = opts.deadline ?? ((ms: number) => AbortSignal.timeout(ms));
  const maxAttempts = positiveInt("maxAttempts", opts.maxAttempts ?? 3);
  const baseDelayMs = opts.baseDelayMs ?? 500;
  const maxDelayMs = opts.maxDelayMs ?? 10_000;
  const sleep = opts.sleep ?? realSleep;
  const random = opts.random ?? Math.random;
  const log = opts.logger ?? silentLogger;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json",
  };
  if (opts.apiKey) headers.authorization = `Bearer ${opts.apiKey}`;

  const attempt = async (body: string): Promise<string> => {
    const signal = deadline(timeoutMs);
    let res: Response;
    try {
      res = await doFetch(url, {
        method: "POST",
        headers,
        body,
        signal,
      });
    } catch (err) {
      const timedOut = err instanceof DOMException &&
        (err.name === "TimeoutError" || err.name === "AbortError");
      throw new LlmError(
        timedOut
          ? `Cannot complete the chat as the endpoint did not answer within ${timeoutMs} ms`
          : "Cannot complete the chat as the endpoint could not be reached",
        { code: timedOut ? "timeout" : "network", cause: err },
      );
    }
    let json: unknown;
    try {
      // The body is read under the same timeout signal.
      const text = await res.text();
      if (!res.ok) {
        throw new LlmError(
          `Cannot complete the chat as the endpoint answered HTTP ${res.status}`,
          {
            code: "http_status",
            status: res.status,
            retryAfterMs: retryAfterMs(res.headers.get("retry-after")),
          },
        );
      }
      json = JSON.parse(text);
    } catch (err) {
      if (err instanceof LlmError) throw err;
      const timedOut = err instanceof DOMException;
      throw new LlmError(
        timedOut
          ? `Cannot complete the chat as the response did not arrive within ${timeoutMs} ms`
          : `Cannot read the chat completion as the response (HTTP ${res.status}) is not JSON`,
        {
          code: timedOut ? "timeout" : "bad_response",
          status: res.status,
          cause: timedOut ? err : undefined,
        },
      );
    }
    const parsed = CompletionSchema.safeParse(json);
    if (!parsed.success) {
      const where = parsed.error.issues.map((i) =>
        `${i.path.join(".") || "(root)"}: ${i.code}`
      ).join("; ");
      throw new LlmError(
        `Cannot read the chat completion as the response does not have the OpenAI shape: ${where}`,
        { code: "bad_response", status: res.status },
      );
    }
    return parsed.data.choices[0]?.message.content ?? "";
  };

  return {
    async complete(input: LlmInput): Promise<string> {
      if (!Number.isInteger(input.maxTokens) || input.maxTokens < 1) {
        throw new RangeError(
          `Cannot complete the chat as 'maxTokens' must be a positive integer: current value is ${input.maxTokens}`,
        );
      }
      const body = JSON.stringify({
        model: opts.model,
        messages: [
          { role: "system", content: input.system },
          { role: "user", content: input.user },
        ],
        max_tokens: input.maxTokens,
        temperature: 0,
      });
      for (let n = 1;; n++) {
        try {
          return await attempt(body);
        } catch (err) {
          if (!(err instanceof LlmError)) throw err;
          if (n >= maxAttempts || !isRetryable(err)) {
            log.warn("llm completion failed", {
              attempt: n,
              failure: err.code,
              status: err.status,
            });
            throw err;
          }
          const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** (n - 1));
          const jitter = Math.floor(random() * cap);
          const delayMs = Math.min(
            maxDelayMs,
            Math.max(jitter, err.retryAfterMs ?? 0),
          );
          log.info("llm completion retry", {
            attempt: n,
            failure: err.code,
            status: err.status,
            delayMs,
          });
          await sleep(delayMs);
        }
      }
    },
  };
}
