/**
 * The layering check CI runs: fails on an import that crosses a layer the
 * wrong way and on any import cycle (type-only imports included).
 *
 * Layers (folders at the top level):
 * - `pipeline/` imports only `pipeline/` (never routes, db, app, emulator);
 * - `db/` imports `db/` and the pipeline's public types and ports only;
 * - `routes/` imports `routes/` and `pipeline/`, but never the Gmail adapter
 *   (`pipeline/gmail/`), `db/`, `app/` or `emulator/`;
 * - `emulator/` imports only `emulator/`;
 * - `app/`, `main.ts`, `eval/` and `tests/` may import any layer.
 *
 * Run: `deno run --allow-read .ci/check_layers.ts` (exit 1 on a violation).
 * @module
 */
// deno-lint-ignore-file no-console

/** The pipeline files that `db/` may import: the domain's types and ports. */
const PIPELINE_PUBLIC = new Set([
  "pipeline/ports.ts",
  "pipeline/types.ts",
  "pipeline/errors.ts",
  "pipeline/log.ts",
]);

/** Imports that break a rule today, each with the issue that removes it. */
const KNOWN: Record<string, string> = {};

/** Why `from` may not import `to`, or null when it may. */
export function ruleBroken(from: string, to: string): string | null {
  const layer = (p: string) => p.includes("/") ? p.split("/")[0]! : p;
  const [a, b] = [layer(from), layer(to)];
  if (a === b && a !== "routes") return null;
  switch (a) {
    case "pipeline":
      return "pipeline imports only pipeline";
    case "db":
      return b === "pipeline" && PIPELINE_PUBLIC.has(to)
        ? null
        : "db imports only db and the pipeline's types and ports";
    case "routes":
      if (b === "routes") return null;
      if (b === "pipeline" && !to.startsWith("pipeline/gmail/")) return null;
      return "routes import only routes and pipeline (not the Gmail adapter)";
    case "emulator":
      return "the emulator imports only the emulator";
    default:
      return null;
  }
}

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s[^"';]*?from\s*["']([^"']+)["']|(?:^|[\s;])import\s*\(?\s*["']([^"']+)["']/gm;

/** The relative imports of one file, as paths from the repository root. */
export function importsOf(path: string, text: string): string[] {
  const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (!spec || !spec.startsWith(".")) continue;
    const parts = dir ? dir.split("/") : [];
    for (const seg of spec.split("/")) {
      if (seg === "..") parts.pop();
      else if (seg !== ".") parts.push(seg);
    }
    out.push(parts.join("/"));
  }
  return out;
}

/** Every import cycle among `graph`'s files (Tarjan's SCCs of size > 1). */
export function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) {
        out.push(scc.sort());
      }
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const p = dir === "." ? e.name : `${dir}/${e.name}`;
    if (e.isDirectory) {
      if (["node_modules", ".git", "data", "test-artifacts"].includes(e.name)) {
        continue;
      }
      if (e.name.startsWith(".") && dir === ".") continue;
      yield* sourceFiles(p);
    } else if (/\.(ts|tsx)$/.test(e.name)) yield p;
  }
}

if (import.meta.main) {
  Deno.chdir(new URL("..", import.meta.url).pathname);
  const graph = new Map<string, string[]>();
  const problems: string[] = [];
  for await (const file of sourceFiles(".")) {
    const deps = importsOf(file, await Deno.readTextFile(file));
    graph.set(file, deps);
    for (const to of deps) {
      const why = ruleBroken(file, to);
      if (why && !KNOWN[`${file} -> ${to}`]) {
        problems.push(`${file} imports ${to}: ${why}`);
      }
    }
  }
  for (const c of cycles(graph)) {
    problems.push(`import cycle: ${c.join(" -> ")}`);
  }
  for (const p of problems) console.error(`layering: ${p}`);
  if (problems.length > 0) Deno.exit(1);
  console.log(`layering: ${graph.size} files, no violation, no cycle`);
}
