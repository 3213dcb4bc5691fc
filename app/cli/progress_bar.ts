/**
 * A text progress bar for long CLI runs, drawn on an injected stream
 * (stderr in `main.ts`) so the JSON on stdout stays clean.
 * @module
 */

/** Where the bar is drawn (`Deno.stderr` fits). */
export interface ProgressSink {
  writeSync(p: Uint8Array): number;
}

const encoder = new TextEncoder();

/** Files shorter than this get no bar. */
export const PROGRESS_MIN_ITEMS = 50;

/** Returns `tick(done)`, which redraws about every 2%, and `end()`. */
export function progressBar(
  sink: ProgressSink | undefined,
  total: number,
  label: string,
): { tick(done: number): void; end(): void } {
  if (!sink || total < PROGRESS_MIN_ITEMS) return { tick() {}, end() {} };
  const width = 30;
  const step = Math.max(1, Math.floor(total / 50));
  const draw = (done: number) => {
    const filled = Math.round((done / total) * width);
    const bar = "#".repeat(filled) + ".".repeat(width - filled);
    sink.writeSync(encoder.encode(`\r${label} [${bar}] ${done}/${total}`));
  };
  draw(0);
  return {
    tick(done) {
      if (done % step === 0 || done === total) draw(done);
    },
    end() {
      draw(total);
      sink.writeSync(encoder.encode("\n"));
    },
  };
}
