/**
 * Test helper: `main.ts serve` as a real process with a clean environment
 * on a data folder, started on a free port; resolves once it logs
 * "listening" and keeps draining its stderr (JSON log lines go to
 * `onLine`).
 * @module
 */
import { fileURLToPath } from "node:url";
import { childEnv } from "./child_env.ts";
import { seedClassifier } from "./test_classifier.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A started server. */
export interface Started {
  child: Deno.ChildProcess;
  url: string;
  loginLink: string | null;
  readyMs: number;
  lines: string[];
}

/** Starts `main.ts serve` on `dataDir` (PORT 0). */
export async function startServer(
  dataDir: string,
  opts: {
    args?: string[];
    env?: Record<string, string>;
    onLine?: (entry: Record<string, unknown>) => void;
  } = {},
): Promise<Started> {
  await seedClassifier(dataDir);
  const t0 = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "main.ts", "serve", ...(opts.args ?? [])],
    cwd: ROOT,
    clearEnv: true,
    env: childEnv({ DATA_DIR: dataDir, PORT: "0", ...opts.env }),
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  child.stdout.pipeTo(new WritableStream()).catch(() => {});
  const lines: string[] = [];
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  while (true) {
    const { value, done } = await reader.read();
    if (done) {
      throw new Error(`server exited before listening:\n${lines.join("\n")}`);
    }
    buf += value;
    const parts = buf.split("\n");
    buf = parts.pop() ?? "";
    for (const [i, line] of parts.entries()) {
      lines.push(line);
      if (!line.startsWith("{")) continue;
      const entry = JSON.parse(line);
      if (entry.msg === "listening") {
        const readyMs = performance.now() - t0;
        const emit = (l: string) => {
          if (l.startsWith("{")) opts.onLine?.(JSON.parse(l));
        };
        parts.slice(i + 1).forEach(emit);
        // Keep reading stderr so the child never blocks on a full pipe.
        (async () => {
          let rest = buf;
          while (true) {
            const { value, done } = await reader.read();
            if (done) return;
            rest += value;
            const more = rest.split("\n");
            rest = more.pop() ?? "";
            more.forEach(emit);
          }
        })().catch(() => {});
        return {
          child,
          url: entry.url,
          loginLink: entry.login_link ?? null,
          readyMs,
          lines,
        };
      }
    }
  }
}
