/**
 * The longest functions of the project, by lines from the `function` (or
 * the arrow's parameters) to the closing brace, comments inside included.
 * Deno's own parser does the reading: this file is also a lint plugin whose
 * one rule reports every function with its length, and the script runs
 * `deno lint --json` with a throwaway config that loads only that rule.
 *
 * Run: `deno run --allow-read --allow-write --allow-run .ci/function_lengths.ts
 * [--top N] [--by own] [--no-tests] [PATH...]` (default: the top 10 in app/,
 * db/, emulator/, eval/, pipeline/, routes/, tests/ and main.ts, by whole
 * length). Prints each function's whole length, its own length (without the
 * functions written inside it: a factory's methods, a test's steps) and
 * where it starts, longest first. A report, not a gate.
 * @module
 */
// deno-lint-ignore-file no-console

type Node = Deno.lint.Node;

/** The node `n` is written in (none for the program). */
function parentOf(n: Node): Node | null {
  return "parent" in n ? n.parent as Node : null;
}

/** A readable name for a function node: its own, or what it is assigned to. */
function nameOf(node: Node): string {
  if ("id" in node && node.id && node.id.type === "Identifier") {
    return node.id.name;
  }
  const parent = parentOf(node);
  switch (parent?.type) {
    case "VariableDeclarator":
      return parent.id.type === "Identifier" ? parent.id.name : "(pattern)";
    case "Property":
    case "MethodDefinition":
      return parent.key.type === "Identifier"
        ? parent.key.name
        : parent.key.type === "Literal"
        ? String(parent.key.value)
        : "(computed)";
    case "CallExpression": {
      const callee = parent.callee;
      const called = callee.type === "Identifier"
        ? callee.name
        : callee.type === "MemberExpression" &&
            callee.property.type === "Identifier"
        ? callee.property.name
        : "call";
      const first = parent.arguments[0];
      const label = first && first.type === "Literal" &&
          typeof first.value === "string"
        ? ` ${JSON.stringify(first.value)}`
        : "";
      return `(callback of ${called}${label})`;
    }
    default:
      return "(anonymous)";
  }
}

const FUNCTION_TYPES = new Set([
  "FunctionDeclaration",
  "FunctionExpression",
  "ArrowFunctionExpression",
]);

/** The function `node` is written in, or null at the top level. */
function enclosing(node: Node): Node | null {
  for (let p = parentOf(node); p; p = parentOf(p)) {
    if (FUNCTION_TYPES.has(p.type)) return p;
    if (p.type === "Program") return null;
  }
  return null;
}

/**
 * The lint plugin: one report per function, its message
 * `LINES\tOWN\tNAME`, where OWN leaves out the lines of the functions
 * written inside it (a factory's methods, a test's helpers).
 */
const plugin: Deno.lint.Plugin = {
  name: "function-lengths",
  rules: {
    "length": {
      create(context) {
        const text = context.sourceCode.text;
        const starts = [0];
        for (let i = 0; i < text.length; i++) {
          if (text.charCodeAt(i) === 10) starts.push(i + 1);
        }
        const lineAt = (offset: number) => {
          let lo = 0, hi = starts.length - 1;
          while (lo < hi) {
            const mid = (lo + hi + 1) >> 1;
            if (starts[mid]! <= offset) lo = mid;
            else hi = mid - 1;
          }
          return lo + 1;
        };
        const span = (n: Node) => lineAt(n.range[1]) - lineAt(n.range[0]) + 1;
        const found: Node[] = [];
        const nested = new Map<Node, number>();
        const collect = (node: Node) => {
          found.push(node);
          const outer = enclosing(node);
          if (outer) nested.set(outer, (nested.get(outer) ?? 0) + span(node));
        };
        return {
          FunctionDeclaration: collect,
          FunctionExpression: collect,
          ArrowFunctionExpression: collect,
          "Program:exit"() {
            for (const node of found) {
              const lines = span(node);
              const own = lines - (nested.get(node) ?? 0);
              context.report({
                node,
                message: `${lines}\t${own}\t${nameOf(node)}`,
              });
            }
          },
        };
      },
    },
  },
};
export default plugin;

/** One measured function. */
export interface FunctionLength {
  /** From its first line to its last. */
  lines: number;
  /** `lines` without the functions written inside it. */
  own: number;
  file: string;
  line: number;
  name: string;
}

/** Measures every function under `paths` (run from the repository root). */
export async function measure(paths: string[]): Promise<FunctionLength[]> {
  const dir = await Deno.makeTempDir({ prefix: "function_lengths_" });
  try {
    const config = `${dir}/deno.json`;
    await Deno.writeTextFile(
      config,
      JSON.stringify({
        lint: {
          plugins: [new URL(import.meta.url).href],
          rules: { tags: [], include: [] },
        },
      }),
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["lint", "--config", config, "--json", ...paths],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const report = JSON.parse(new TextDecoder().decode(out.stdout)) as {
      diagnostics: {
        filename: string;
        range: { start: { line: number } };
        message: string;
      }[];
      errors: { file_path: string; message: string }[];
    };
    if (report.errors.length > 0) {
      throw new Error(
        `Cannot measure every file as deno lint could not parse ${report.errors.length}: ${
          report.errors[0]!.file_path
        }`,
      );
    }
    const root = `${Deno.cwd()}/`;
    return report.diagnostics.map((d) => {
      const [lines, own, name] = d.message.split("\t");
      return {
        lines: Number(lines),
        own: Number(own),
        file: d.filename.replace(/^file:\/\//, "").replace(root, ""),
        line: d.range.start.line,
        name: name ?? "",
      };
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const args = [...Deno.args];
  const option = (name: string): string | null => {
    const at = args.indexOf(name);
    if (at < 0) return null;
    return args.splice(at, 2)[1] ?? null;
  };
  const top = Number(option("--top") ?? 10);
  const by = option("--by") === "own" ? "own" : "lines";
  const skipTests = args.includes("--no-tests");
  const paths = args.filter((a) => !a.startsWith("--"));
  const all = (await measure(
    paths.length > 0 ? paths : [
      "app",
      "db",
      "emulator",
      "eval",
      "pipeline",
      "routes",
      "tests",
      "main.ts",
    ],
  ))
    .filter((f) => !(skipTests && f.file.startsWith("tests/")))
    .sort((a, b) => b[by] - a[by] || a.file.localeCompare(b.file));
  console.log(" lines    own  function");
  for (const f of all.slice(0, top)) {
    console.log(
      `${String(f.lines).padStart(6)} ${
        String(f.own).padStart(6)
      }  ${f.file}:${f.line}  ${f.name}`,
    );
  }
}
