/**
 * The logging port: the `Logger` interface every layer takes as a
 * dependency, a silent logger for tests and library defaults, and the
 * address mask. The writing implementation (JSON lines, redaction) is
 * `app/ops/logger.ts`, built once by `main.ts`.
 * @module
 */

/** Log levels, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

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

/** Masks an address: `jane.doe@example.com` → `j***@example.com`. */
export function maskAddress(s: string): string {
  return s.replace(
    /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+)/g,
    "$1***@$2",
  );
}

/** A logger that writes nothing (tests, library defaults). */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};
