/**
 * The one logger. JSON lines (or pretty text for development) with a level,
 * time, message and context ids. Context values are redacted: secrets and
 * email content never reach the output, addresses are masked.
 * @module
 */
import {
  type LogContext,
  type Logger,
  type LogLevel,
  maskAddress,
} from "../../pipeline/log.ts";

export type { LogContext, Logger, LogLevel };
export { maskAddress };
export { silentLogger } from "../../pipeline/log.ts";

const ORDER: Record<LogLevel, number> = {
  debug: 10,
  info: 20,
  warn: 30,
  error: 40,
  silent: 100,
};

/** Words of a key (camelCase, snake_case, kebab-case) that mark a secret. */
const SECRET_WORDS = new Set([
  "token",
  "tokens",
  "secret",
  "secrets",
  "password",
  "passwd",
  "authorization",
  "cookie",
  "cookies",
  "verifier",
  "credential",
  "credentials",
  "session",
  "sid",
  "csrf",
]);
/** Words of a key that mark email content (or text derived from it). */
const CONTENT_WORDS = new Set([
  "body",
  "text",
  "html",
  "plain",
  "raw",
  "subject",
  "reply",
  "snippet",
  "excerpt",
  "note",
  "content",
  "prompt",
  "completion",
  "query",
  "quoted",
]);
/** Whole keys that are secrets although no single word says so. */
const SECRET_KEYS =
  /^(code|auth_?code|key|encryption_?keys?(_old)?|api_?key|private_?key|signing_?key)$/i;
/** Keys whose values are email addresses: masked. */
const ADDRESS_KEY =
  /(email|address|sender|^from$|^to$|^cc$|recipient|login_hint)/i;

/** Splits `cleanText`, `refresh_token`, `set-cookie` into lower-case words. */
function keyWords(key: string): string[] {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase().split(
    /[^a-z0-9]+/,
  ).filter((w) => w !== "");
}

/** "secret": never written; "content": email text, written unless a number or boolean; null: a normal key. */
function keyKind(key: string): "secret" | "content" | null {
  if (key === "") return null;
  if (SECRET_KEYS.test(key)) return "secret";
  const words = keyWords(key);
  if (words.some((w) => SECRET_WORDS.has(w))) return "secret";
  if (words.some((w) => CONTENT_WORDS.has(w))) return "content";
  return null;
}

/**
 * Removes secrets from free text: bearer tokens, Google access/refresh
 * tokens, authorization codes, client secrets, JWTs, 32-byte base64 keys,
 * cookies, URL credentials and token-like query parameters; then masks
 * addresses.
 */
export function scrubText(s: string): string {
  return maskAddress(
    s
      .replace(/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, "Bearer [redacted]")
      .replace(
        /\b((?:set-)?cookie:\s*)(?:[^\s;"]+(?:;\s*)?)+/gi,
        "$1[redacted]",
      )
      .replace(/\bya29\.[A-Za-z0-9._-]+/g, "[redacted]")
      .replace(/\b1\/\/[A-Za-z0-9._-]+/g, "[redacted]")
      .replace(/\b4\/[A-Za-z0-9._-]{10,}/g, "[redacted]")
      .replace(/\bGOCSPX-[A-Za-z0-9._-]+/g, "[redacted]")
      .replace(
        /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g,
        "[redacted]",
      )
      .replace(
        /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{43}=(?![A-Za-z0-9+/=])/g,
        "[redacted]",
      )
      .replace(/([a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)[^@\s/]+@/gi, "$1[redacted]@")
      .replace(
        /\b((?:access_token|refresh_token|id_token|code|client_secret|code_verifier|api_key|key)=)[^&\s"]+/gi,
        "$1[redacted]",
      ),
  );
}

/** Returns a copy of `value` safe to log. */
export function redact(value: unknown, key = "", depth = 0): unknown {
  if (depth > 6) return "[deep]";
  const kind = keyKind(key);
  if (kind !== null && value !== null && value !== undefined) {
    const harmless = typeof value === "number" || typeof value === "boolean";
    if (kind === "secret" || !harmless) return "[redacted]";
  }
  if (typeof value === "string") {
    return ADDRESS_KEY.test(key) ? maskAddress(value) : scrubText(value);
  }
  if (value instanceof Error) {
    const out: Record<string, unknown> = {
      name: value.name,
      message: scrubText(value.message),
    };
    if (value.cause !== undefined && depth < 3) {
      out.cause = redact(value.cause, "cause", depth + 1);
    }
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, key, depth + 1));
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `[${value.length} bytes]`;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = redact(v, k, depth + 1);
    }
    return out;
  }
  return value;
}

/** Options of `createLogger`. */
export interface LoggerOptions {
  /** Lowest level written. Default "info". */
  level?: LogLevel;
  /** "json" (default) or "pretty". */
  format?: "json" | "pretty";
  /** Where lines go. Default: stderr. */
  write?: (line: string) => void;
  /** Time source. Default: the wall clock. */
  now?: () => Date;
}

const encoder = new TextEncoder();
const toStderr = (line: string) => {
  Deno.stderr.writeSync(encoder.encode(line + "\n"));
};

/** Creates a logger. */
export function createLogger(
  opts: LoggerOptions = {},
  base: LogContext = {},
): Logger {
  const min = ORDER[opts.level ?? "info"];
  const write = opts.write ?? toStderr;
  const now = opts.now ?? (() => new Date());
  const pretty = opts.format === "pretty";
  const emit = (
    level: Exclude<LogLevel, "silent">,
    msg: string,
    ctx?: LogContext,
  ) => {
    if (ORDER[level] < min) return;
    const fields = redact({ ...base, ...ctx }) as Record<string, unknown>;
    const time = now().toISOString();
    const message = scrubText(msg);
    if (pretty) {
      const extra = Object.entries(fields).map(([k, v]) =>
        `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`
      ).join(" ");
      write(
        `${time} ${level.toUpperCase().padEnd(5)} ${message}${
          extra ? " " + extra : ""
        }`,
      );
    } else {
      write(JSON.stringify({ level, time, msg: message, ...fields }));
    }
  };
  return {
    debug: (m, c) => emit("debug", m, c),
    info: (m, c) => emit("info", m, c),
    warn: (m, c) => emit("warn", m, c),
    error: (m, c) => emit("error", m, c),
    child: (ctx) => createLogger(opts, { ...base, ...ctx }),
  };
}
