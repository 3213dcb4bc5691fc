/**
 * The one logger. JSON lines (or pretty text for development) with a level,
 * time, message and context ids. Context values are redacted: secrets and
 * email content never reach the output, addresses are masked.
 * @module
 */

/** Log levels, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

const ORDER: Record<LogLevel, number> = {
  debug: 10,
  info: 20,
  warn: 30,
  error: 40,
  silent: 100,
};

/** Context fields attached to a log line. */
export type LogContext = Record<string, unknown>;

/** A structured logger. */
export interface Logger {
  debug(msg: string, ctx?: LogContext): void;
  info(msg: string, ctx?: LogContext): void;
  warn(msg: string, ctx?: LogContext): void;
  error(msg: string, ctx?: LogContext): void;
  /** A logger that adds `ctx` to every line. */
  child(ctx: LogContext): Logger;
}

/** Keys whose values are never written. */
const SECRET_KEY =
  /(token|secret|password|passwd|authorization|cookie|code_verifier|^code$|encryption_?key|api_?key|^raw$|^body$|^text$|^html$|^subject$|^reply$|^snippet$|^excerpt$|^note$)/i;
/** Keys whose values are email addresses: masked. */
const ADDRESS_KEY = /(email|address|sender|^from$|^to$|recipient|login_hint)/i;

/** Masks an address: `jane.doe@example.com` → `j***@example.com`. */
export function maskAddress(s: string): string {
  return s.replace(
    /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+)/g,
    "$1***@$2",
  );
}

/** Removes bearer tokens, Google tokens and key-like strings from free text. */
export function scrubText(s: string): string {
  return maskAddress(
    s
      .replace(/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, "Bearer [redacted]")
      .replace(/\bya29\.[A-Za-z0-9._-]+/g, "[redacted]")
      .replace(/\b1\/\/[A-Za-z0-9._-]+/g, "[redacted]")
      .replace(
        /((?:access_token|refresh_token|code|client_secret|id_token)=)[^&\s"]+/gi,
        "$1[redacted]",
      ),
  );
}

/** Returns a copy of `value` safe to log. */
export function redact(value: unknown, key = "", depth = 0): unknown {
  if (depth > 6) return "[deep]";
  if (key !== "" && SECRET_KEY.test(key)) {
    return value === null || value === undefined ? value : "[redacted]";
  }
  if (typeof value === "string") {
    return ADDRESS_KEY.test(key) ? maskAddress(value) : scrubText(value);
  }
  if (value instanceof Error) {
    return { name: value.name, message: scrubText(value.message) };
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, key, depth + 1));
  if (value instanceof Date) return value.toISOString();
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

/** A logger that writes nothing (tests, library defaults). */
export const silentLogger: Logger = createLogger({ level: "silent" });
