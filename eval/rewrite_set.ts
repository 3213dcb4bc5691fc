// deno-lint-ignore-file no-console
/**
 * Writes a set the way other people would write it, to check that the
 * agent's answers do not depend on how the set's authors wrote it:
 *
 * - `lines FILE OUT --shells|--upper|--title`: the `eval answers` lines of
 *   FILE with each body inside an email shell (`email_shells.ts`), in
 *   capitals, or in Title Case.
 * - `kb DIR OUT --bold|--qa|--plain|--html-h4|--html-dl|--long`: the
 *   markdown knowledge base DIR rewritten as an FAQ with bold questions,
 *   `Q:`/`A:` text files, plain text files, HTML pages with `<h4>` or
 *   `<dl>` entries, or one section per file (its `##` headings removed).
 *
 * Then run `deno task agent eval answers OUT_LINES --kb OUT_KB`. Rewriting
 * a held-out set reads none of its lines and is allowed; looking at what
 * failed on it is not (eval/answers/README.md).
 * @module
 */
import { inShell } from "./email_shells.ts";

const LINE_STYLES = ["--shells", "--upper", "--title"] as const;
const KB_STYLES = [
  "--bold",
  "--qa",
  "--plain",
  "--html-h4",
  "--html-dl",
  "--long",
] as const;

/** One `eval answers` line rewritten in `style` (line `i` of its file). */
export function rewriteLine(
  line: { body: string; subject?: string },
  i: number,
  style: (typeof LINE_STYLES)[number],
): { body: string; subject?: string } {
  if (style === "--shells") {
    const { subject: _, ...rest } = line;
    return { ...rest, ...inShell(line.body, i) };
  }
  if (style === "--upper") return { ...line, body: line.body.toUpperCase() };
  return { ...line, body: line.body.replace(/\b\w/g, (c) => c.toUpperCase()) };
}

/** A markdown knowledge-base file rewritten in `style`: [file name, text]. */
export function rewriteKbFile(
  name: string,
  markdown: string,
  style: (typeof KB_STYLES)[number],
): [string, string] {
  const body = markdown.replace(/^---\n[\s\S]*?\n---\n/, "");
  const base = name.replace(/\.md$/, "");
  const title = body.match(/^# (.+)$/m)?.[1] ?? base;
  const sections = body.split(/^#{2,6} (.+)$/m);
  const entries: Array<[string, string]> = [];
  for (let i = 1; i < sections.length; i += 2) {
    entries.push([sections[i]!.trim(), sections[i + 1]!.trim()]);
  }
  const esc = (s: string) =>
    s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const paras = (t: string) =>
    t.split(/\n\s*\n/).filter((p) => p.trim()).map((p) => `<p>${esc(p)}</p>`)
      .join("");
  switch (style) {
    case "--bold":
      return [name, body.replace(/^#{2,6} (.+)$/gm, "**$1**")];
    case "--qa":
      return [
        `${base}.txt`,
        entries.map(([h, t]) => `Q: ${h}?\nA: ${t}`).join("\n\n") + "\n",
      ];
    case "--plain":
      return [`${base}.txt`, body.replace(/^#+ (.+)$/gm, "$1")];
    case "--html-h4":
    case "--html-dl": {
      const head = `<html><head><title>${esc(title)}</title></head><body>`;
      const inner = style === "--html-h4"
        ? entries.map(([h, t]) => `<h4>${esc(h)}</h4>${paras(t)}`).join("")
        : `<dl>${
          entries.map(([h, t]) => `<dt>${esc(h)}</dt><dd>${paras(t)}</dd>`)
            .join("")
        }</dl>`;
      return [`${base}.html`, `${head}${inner}</body></html>`];
    }
    case "--long": {
      let first = true;
      return [
        name,
        body.replace(/^#{2,6} .+$/gm, (h) => {
          if (!first) return "";
          first = false;
          return h;
        }),
      ];
    }
  }
}

if (import.meta.main) {
  const [what, from, out, style] = Deno.args;
  if (what === "lines" && LINE_STYLES.includes(style as never)) {
    const lines = (await Deno.readTextFile(from!)).split("\n").filter((l) =>
      l.trim()
    ).map((l) => JSON.parse(l));
    await Deno.writeTextFile(
      out!,
      lines.map((l, i) =>
        JSON.stringify(
          rewriteLine(l, i, style as (typeof LINE_STYLES)[number]),
        )
      ).join("\n") + "\n",
    );
  } else if (what === "kb" && KB_STYLES.includes(style as never)) {
    await Deno.mkdir(out!, { recursive: true });
    for await (const e of Deno.readDir(from!)) {
      if (!e.isFile || !e.name.endsWith(".md")) continue;
      const [name, text] = rewriteKbFile(
        e.name,
        await Deno.readTextFile(`${from}/${e.name}`),
        style as (typeof KB_STYLES)[number],
      );
      await Deno.writeTextFile(`${out}/${name}`, text);
    }
  } else {
    console.error(
      `usage: rewrite_set.ts lines FILE OUT ${
        LINE_STYLES.join("|")
      }\n       rewrite_set.ts kb DIR OUT ${KB_STYLES.join("|")}`,
    );
    Deno.exit(2);
  }
  console.error(`written: ${out}`);
}
