/**
 * Serves an emulator over real HTTP with `Deno.serve`.
 * @module
 */
import { guardControl } from "./control_guard.ts";
import {
  createEmulator,
  type Emulator,
  type EmulatorOptions,
} from "./emulator.ts";

/** Options of `startEmulator`. */
export interface StartOptions extends EmulatorOptions {
  /** Port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind; default "127.0.0.1". */
  hostname?: string;
  /** Use this emulator instead of creating one. */
  emulator?: Emulator;
  /**
   * When set, `/__emu/*` answers only requests that carry this secret in
   * `x-emu-secret`, name this server in Host and send JSON bodies
   * (control_guard.ts). Unset (tests, `deno task gmail-emulator`): open.
   */
  controlSecret?: string;
  /**
   * Milliseconds every Gmail API and OAuth answer waits before it is sent
   * (a network's round trip; `/__emu/*` answers at once). Default 0. Real
   * time: for benchmarks, never for tests.
   */
  latencyMs?: number;
  /** Waits `ms` for the latency. Default `setTimeout`; tests pass their own. */
  sleep?: (ms: number) => Promise<void>;
}

/** A served emulator. */
export interface RunningEmulator {
  /** Origin, e.g. "http://127.0.0.1:8025" (use as GOOGLE_BASE_URL). */
  url: string;
  emulator: Emulator;
  /** Stops the server and waits for it to finish. */
  close(): Promise<void>;
}

/** Starts an emulator on `hostname:port` and resolves once it listens. */
export function startEmulator(
  opts: StartOptions = {},
): Promise<RunningEmulator> {
  const emulator = opts.emulator ?? createEmulator({ now: opts.now });
  const hostname = opts.hostname ?? "127.0.0.1";
  return new Promise((resolve, reject) => {
    try {
      let authority = "";
      const secret = opts.controlSecret;
      const direct = secret === undefined
        ? emulator.fetch
        : (req: Request) =>
          guardControl(req, { secret, host: authority }) ??
            emulator.fetch(req);
      const latency = opts.latencyMs ?? 0;
      const sleep = opts.sleep ??
        ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
      const handler = latency <= 0 ? direct : async (req: Request) => {
        const res = await direct(req);
        if (new URL(req.url).pathname.startsWith("/__emu/")) return res;
        await sleep(latency);
        return res;
      };
      const server = Deno.serve({
        port: opts.port ?? 0,
        hostname,
        onListen: () => {},
      }, handler);
      const addr = server.addr;
      const host = hostname.includes(":") ? `[${hostname}]` : hostname;
      authority = `${host}:${addr.port}`.toLowerCase();
      resolve({
        url: `http://${host}:${addr.port}`,
        emulator,
        close: () => server.shutdown(),
      });
    } catch (err) {
      reject(err);
    }
  });
}
