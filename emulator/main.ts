/**
 * `deno task gmail-emulator [--port N] [--host H] [--latency MS]`: serves
 * the emulator and prints `listening on http://H:N` (default
 * 127.0.0.1:8025); `--latency` delays every Gmail and OAuth answer by MS
 * milliseconds, as a network would. Stops on
 * SIGINT/SIGTERM. Exits 2 on a bad flag, 1 when it cannot listen.
 * @module
 */
import { startEmulator } from "./server.ts";

function parseArgs(
  args: string[],
): { port: number; hostname: string; latencyMs: number } {
  let port = 8025;
  let hostname = "127.0.0.1";
  let latencyMs = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const [flag, inline] = a.includes("=") ? a.split("=", 2) : [a, undefined];
    const value = () => inline ?? args[++i];
    if (flag === "--port") {
      const v = value();
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) {
        throw new Error(
          `Cannot use --port as it is not a port number: current value is "${v}"`,
        );
      }
      port = n;
    } else if (flag === "--host") {
      hostname = value() ?? hostname;
    } else if (flag === "--latency") {
      const v = value();
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 60_000) {
        throw new Error(
          `Cannot use --latency as it is not a whole number of milliseconds from 0 to 60000: current value is "${v}"`,
        );
      }
      latencyMs = n;
    } else {
      throw new Error(
        `Unknown flag: ${a} (usage: gmail-emulator [--port N] [--host H] [--latency MS])`,
      );
    }
  }
  return { port, hostname, latencyMs };
}

if (import.meta.main) {
  let opts;
  try {
    opts = parseArgs(Deno.args);
  } catch (err) {
    // deno-lint-ignore no-console
    console.error((err as Error).message);
    Deno.exit(2);
  }
  let running;
  try {
    running = await startEmulator(opts);
  } catch (err) {
    // deno-lint-ignore no-console
    console.error(
      `Cannot start the emulator on ${opts.hostname}:${opts.port}: ${
        (err as Error).message
      }`,
    );
    Deno.exit(1);
  }
  // deno-lint-ignore no-console
  console.log(`listening on ${running.url}`);
  const stop = async () => {
    await running.close();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
}
