import assert from "node:assert/strict";

const root = new URL("../../", import.meta.url);
const read = (p: string) => Deno.readTextFile(new URL(p, root));

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes. */
function anchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[`*_]/g, "")
    .replace(/[^\p{L}\p{N} -]/gu, "").replace(/ /g, "-");
}

/** The headings of a markdown text, outside fenced code. */
function anchors(md: string): Set<string> {
  const out = new Set<string>();
  let fenced = false;
  for (const line of md.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    const m = !fenced && /^#{1,6}\s+(.+)$/.exec(line);
    if (m) out.add(anchor(m[1]!));
  }
  return out;
}

/** Relative links `[text](target)` of a markdown text. */
function links(md: string): string[] {
  return [...md.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!)
    .filter((t) => !/^[a-z]+:/.test(t));
}

async function markdownFiles(): Promise<string[]> {
  const out = ["README.md"];
  for await (const e of Deno.readDir(new URL("docs/", root))) {
    if (e.isFile && e.name.endsWith(".md")) out.push(`docs/${e.name}`);
  }
  return out.sort();
}

Deno.test("every relative link of the README and docs/ leads to a file and heading that exist", async () => {
  const files = await markdownFiles();
  assert.ok(files.length > 1, "docs/ holds the reference pages");
  const broken: string[] = [];
  for (const file of files) {
    const dir = file.includes("/")
      ? file.slice(0, file.lastIndexOf("/") + 1)
      : "";
    for (const link of links(await read(file))) {
      const [path, hash] = link.split("#") as [string, string | undefined];
      const target = path === "" ? file : new URL(dir + path, root).pathname
        .slice(new URL(root).pathname.length);
      let text: string;
      try {
        const st = await Deno.stat(new URL(target, root));
        if (st.isDirectory) continue;
        text = await read(target);
      } catch {
        broken.push(`${file}: ${link} (no such file)`);
        continue;
      }
      if (hash && target.endsWith(".md") && !anchors(text).has(hash)) {
        broken.push(`${file}: ${link} (no such heading)`);
      }
    }
  }
  assert.deepEqual(broken, []);
});

Deno.test("the README links every reference page of docs/", async () => {
  const readme = await read("README.md");
  for (const file of (await markdownFiles()).filter((f) => f !== "README.md")) {
    assert.ok(readme.includes(`](${file})`), `README does not link ${file}`);
  }
});

Deno.test("docs/api.md lists every route of the JSON API", async () => {
  const source = await read("routes/api_routes.ts");
  const doc = await read("docs/api.md");
  const routes = [...source.matchAll(/app\.(get|post)\("([^"]+)"/g)].map((m) =>
    `${m[1]!.toUpperCase()} /api${m[2]!.replace(/:(\w+)/g, "<$1>")}`
  );
  assert.ok(routes.length >= 5);
  for (const r of routes) {
    assert.ok(doc.includes(`\`${r}\``), `docs/api.md lacks ${r}`);
  }
});

Deno.test("the README keeps the newcomer's path: Deno, run, test, then reference", async () => {
  const readme = await read("README.md");
  const order = [
    "## Contents",
    "## Quick start",
    "deno task start",
    "deno task test",
    "## The dashboard",
    "## Writing the knowledge base",
    "## The sample orders",
    "## Configuration",
    "## Connecting Gmail",
    "## Deployment",
    "## Troubleshooting",
  ].map((s) => readme.indexOf(s));
  assert.ok(order.every((i) => i >= 0), "a section is missing");
  assert.deepEqual([...order].sort((a, b) => a - b), order);
});
