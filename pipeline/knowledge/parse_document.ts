/**
 * Turns one knowledge-base file (markdown with front matter, plain text or
 * HTML) into a titled document split into sections at its headings.
 * @module
 */
import { convert } from "html-to-text";
import { parse as parseYaml } from "yaml";

/** One focused part of a document, under one heading. */
export interface KbSection {
  /** Stable id `<kb folder name>/<relative path>#<slug>`. */
  id: string;
  /** The document path relative to the KB folder. */
  docId: string;
  title: string;
  heading: string;
  slug: string;
  text: string;
}

/** A parsed knowledge-base document. */
export interface KbDocument {
  docId: string;
  title: string;
  tags: string[];
  sections: KbSection[];
}

/** File extensions the knowledge base reads. */
export const KB_EXTENSIONS = [".md", ".markdown", ".txt", ".html", ".htm"];

/** A URL-safe slug of a heading: `Shipping costs` → `shipping-costs`. */
export function slugify(heading: string): string {
  const s = heading.toLowerCase().normalize("NFKD").replace(
    /[\u0300-\u036f]/g,
    "",
  )
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  return s || "section";
}

/** Parses a file's text; `kbName` is the KB folder's name, `docId` its relative path. */
export function parseDocument(
  kbName: string,
  docId: string,
  content: string,
): KbDocument {
  const lower = docId.toLowerCase();
  const fallbackTitle = titleFromPath(docId);
  let title = fallbackTitle;
  let tags: string[] = [];
  let parts: Array<{ heading: string; text: string }>;
  if (lower.endsWith(".html") || lower.endsWith(".htm")) {
    const t = content.match(/<title[^>]*>([\s\S]*?)<\/title>/i)?.[1] ??
      content.match(/<h1[^>]*>([\s\S]*?)<\/h1>/i)?.[1];
    if (t) title = htmlText(t).trim() || title;
    parts = splitHtml(content);
  } else {
    let body = content.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
    const fm = body.match(/^---\n([\s\S]*?)\n---\n?/);
    if (fm) {
      const meta = readFrontMatter(docId, fm[1] ?? "");
      if (meta.title) title = meta.title;
      tags = meta.tags;
      body = body.slice(fm[0].length);
    }
    const h1 = body.match(/^#\s+(.+)$/m);
    if (!fm && h1?.[1]) title = h1[1].trim();
    if (lower.endsWith(".txt") && !/^##\s/m.test(body)) {
      const first = body.trim().split("\n")[0]?.trim() ?? "";
      if (
        title === fallbackTitle && first.length > 0 && first.length < 80 &&
        !/[.?!]$/.test(first)
      ) {
        title = first;
        body = body.trim().slice(first.length);
      }
    }
    parts = splitMarkdown(body, { textFile: lower.endsWith(".txt") });
  }
  const used = new Map<string, number>();
  const sections: KbSection[] = [];
  for (const p of parts) {
    const whole = p.text.replace(/[ \t]+/g, " ").replace(/\n{3,}/g, "\n\n")
      .trim();
    if (!whole) continue;
    const heading = p.heading || title;
    for (const text of byParagraphs(whole)) {
      let slug = slugify(heading);
      const n = (used.get(slug) ?? 0) + 1;
      used.set(slug, n);
      if (n > 1) slug = `${slug}-${n}`;
      sections.push({
        id: `${kbName}/${docId}#${slug}`,
        docId,
        title,
        heading,
        slug,
        text,
      });
    }
  }
  return { docId, title, tags, sections };
}

/**
 * Most sentences of one section. An answer quotes a short section whole and
 * a long one in part (choose_section.ts), and in part the wrong sentence can
 * be quoted: a long section is cut into runs of whole paragraphs of at most
 * this many sentences, each a section under the same heading (the first
 * keeps the heading's id, the next ones `-2`, `-3` …).
 */
export const MAX_SECTION_SENTENCES = 9;

/** Sentences of a text, roughly: ends of sentence followed by a space or the end. */
function sentenceCount(text: string): number {
  return (text.match(/[.!?](?=\s|$)/g) ?? []).length ||
    (text.trim() ? 1 : 0);
}

/** A section's text as runs of paragraphs of at most MAX_SECTION_SENTENCES sentences. */
function byParagraphs(text: string): string[] {
  if (sentenceCount(text) <= MAX_SECTION_SENTENCES) return [text];
  const paragraphs = text.split(/\n\s*\n/).map((x) => x.trim()).filter(Boolean);
  const runs: string[] = [];
  let run: string[] = [];
  let count = 0;
  for (const para of paragraphs) {
    const n = sentenceCount(para);
    // A paragraph that introduces a list ("…:") stays with the list after it.
    const joined = run.length > 0 && /:$/.test(run[run.length - 1]!);
    if (run.length > 0 && !joined && count + n > MAX_SECTION_SENTENCES) {
      runs.push(run.join("\n\n"));
      run = [];
      count = 0;
    }
    run.push(para);
    count += n;
  }
  if (run.length > 0) runs.push(run.join("\n\n"));
  return runs;
}

function readFrontMatter(
  docId: string,
  yaml: string,
): { title: string | null; tags: string[] } {
  let data: unknown;
  try {
    data = parseYaml(yaml);
  } catch (e) {
    throw new Error(
      `Cannot read the front matter of ${docId}: ${(e as Error).message}`,
    );
  }
  if (data === null || typeof data !== "object") {
    return { title: null, tags: [] };
  }
  const rec = data as Record<string, unknown>;
  const title = typeof rec.title === "string" && rec.title.trim()
    ? rec.title.trim()
    : null;
  const raw = rec.tags;
  const tags = Array.isArray(raw)
    ? raw.map(String)
    : typeof raw === "string"
    ? raw.split(",").map((s) => s.trim()).filter(Boolean)
    : [];
  return { title, tags };
}

/**
 * Splits markdown at its `##`…`######` headings; the `#` title line is
 * dropped. A document without them is split where an FAQ written another
 * way starts an entry (`faqHeading`).
 */
function splitMarkdown(
  body: string,
  opts: { textFile: boolean },
): Array<{ heading: string; text: string }> {
  const out: Array<{ heading: string; text: string }> = [];
  let cur = { heading: "", text: "" };
  const lines = body.split("\n");
  const structured = /^#{2,6}\s+\S/m.test(body);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const h = line.match(/^(#{1,6})\s+(.+?)\s*#*\s*$/);
    if (h && (h[1] ?? "").length === 1) continue;
    const faq = structured || h ? null : faqHeading(lines, i, opts.textFile);
    if (h || faq) {
      out.push(cur);
      cur = { heading: h ? (h[2] ?? "").trim() : faq!.heading, text: "" };
      if (faq) i += faq.skip;
    } else cur.text += line.replace(ANSWER_LABEL, "") + "\n";
  }
  out.push(cur);
  return out.map((p) => ({ heading: p.heading, text: stripMarkdown(p.text) }));
}

/** "A: …", "Answer: …" before an FAQ entry's answer. */
const ANSWER_LABEL = /^\s*(?:\*\*)?(?:A|Answer)\s*[:.)](?:\*\*)?\s*/i;

/**
 * Whether line `i` starts an FAQ entry in a document without markdown
 * headings, and its heading: a line in bold alone ("**Do you ship
 * abroad?**"), a "Q: …" or "Question: …" line, a heading underlined with
 * `===` or `---`, a question standing alone on its line before its answer
 * and, in a text file, a short line in title position before a paragraph
 * ("Bike assembly"). Each starts a paragraph (a blank line or the start
 * before it) and has text after it. `skip`: lines it takes beyond its own.
 */
function faqHeading(
  lines: string[],
  i: number,
  textFile: boolean,
): { heading: string; skip: number } | null {
  const line = lines[i]!.trim();
  const before = i === 0 || lines[i - 1]!.trim() === "";
  const next = lines[i + 1]?.trim() ?? "";
  if (line === "") return null;
  if (/^(?:=+|-+)$/.test(next) && line.length <= 120 && before) {
    return { heading: line, skip: 1 };
  }
  // Text must follow, right after or after one blank line.
  const follows = next !== "" || (lines[i + 2]?.trim() ?? "") !== "";
  if (!before || !follows) return null;
  const bold = line.match(/^(\*\*|__)(.+?)\1\s*:?$/);
  if (bold && bold[2]!.length <= 160) {
    return { heading: bold[2]!.trim(), skip: 0 };
  }
  const q = line.match(/^(?:\*\*)?(?:Q|Question)\s*[:.)]\s*(.+?)(?:\*\*)?$/i);
  if (q) return { heading: q[1]!.trim(), skip: 0 };
  if (/\?$/.test(line) && line.length <= 160 && !ANSWER_LABEL.test(line)) {
    return { heading: line.replace(/^\d+[.)]\s+/, ""), skip: 0 };
  }
  if (
    textFile && line.length <= 60 && /^\p{Lu}/u.test(line) &&
    !/[.,;:!]$/.test(line) && line.split(/\s+/).length <= 8
  ) return { heading: line, skip: 0 };
  return null;
}

/**
 * A markdown table as sentences, one per row, each cell named by its column
 * ("Tidewave 25: data allowance per bill month 25GB; 30-day plan price £12 a
 * month."): a row quoted alone then still says what its numbers are.
 */
function tablesAsSentences(s: string): string {
  const lines = s.split("\n");
  const out: string[] = [];
  const cells = (l: string) =>
    l.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map((c) =>
      c.trim()
    );
  for (let i = 0; i < lines.length; i++) {
    const sep = lines[i + 1]?.trim() ?? "";
    if (
      !/^\s*\|.*\|\s*$/.test(lines[i]!) ||
      !/^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?$/.test(sep)
    ) {
      out.push(lines[i]!);
      continue;
    }
    const head = cells(lines[i]!);
    let j = i + 2;
    for (; j < lines.length && /^\s*\|.*\|\s*$/.test(lines[j]!); j++) {
      const row = cells(lines[j]!);
      const rest = row.slice(1).map((c, k) => {
        const name = head[k + 1] ?? "";
        return name ? `${lowerFirst(name)} ${c}` : c;
      }).filter((c) => c.trim() !== "");
      const first = row[0] ?? "";
      const line = rest.length ? `${first}: ${rest.join("; ")}` : first;
      out.push(`${line.replace(/[.;:,]$/, "")}.`, "");
    }
    i = j - 1;
  }
  return out.join("\n");
}

/** "Data allowance" -> "data allowance"; "VAT" and "iPhone" stay. */
function lowerFirst(w: string): string {
  return /^\p{Lu}\p{Ll}/u.test(w) ? w.charAt(0).toLowerCase() + w.slice(1) : w;
}

function stripMarkdown(s: string): string {
  s = tablesAsSentences(s);
  // Soft line breaks inside a paragraph are spaces (hard-wrapped text); list
  // items, quotes, table rows and blank lines keep their break.
  const unwrapped = s.replace(
    /([^\n])\n(?![ \t]*(?:[-*+]\s|\d+[.)]\s|>|\||\n|$))/g,
    "$1 ",
  );
  return unwrapped.replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/(\*\*|__|`)/g, "")
    .replace(/^\s*[-*+]\s+/gm, "")
    .replace(/^>\s?/gm, "");
}

/**
 * Splits HTML at its `<h2>`…`<h6>` headings and converts each part to text.
 * A page without them is split where an FAQ entry starts: a `<dt>`, a
 * `<summary>`, or a paragraph that is all bold (`<p><strong>…</strong></p>`).
 */
function splitHtml(html: string): Array<{ heading: string; text: string }> {
  const body = html.replace(/<head[\s\S]*?<\/head>/i, "").replace(
    /<h1[^>]*>[\s\S]*?<\/h1>/gi,
    "",
  );
  const re = /<h[2-6][\s>]/i.test(body)
    ? /<h([2-6])[^>]*>([\s\S]*?)<\/h\1>/gi
    : /<(dt|summary)[^>]*>([\s\S]*?)<\/\1>|<p[^>]*>\s*<(?:strong|b)[^>]*>([\s\S]*?)<\/(?:strong|b)>\s*:?\s*<\/p>/gi;
  const out: Array<{ heading: string; text: string }> = [];
  let last = 0;
  let heading = "";
  for (const m of body.matchAll(re)) {
    out.push({ heading, text: htmlText(body.slice(last, m.index)) });
    heading = htmlText(m[2] ?? m[3] ?? "").trim();
    last = (m.index ?? 0) + m[0].length;
  }
  out.push({ heading, text: htmlText(body.slice(last)) });
  return out;
}

function htmlText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: "a", options: { ignoreHref: true } },
      { selector: "img", format: "skip" },
      { selector: "ul", options: { itemPrefix: "" } },
    ],
  });
}

function titleFromPath(docId: string): string {
  const base = docId.split("/").pop() ?? docId;
  const name = base.replace(/\.[^.]+$/, "").replace(/[_-]+/g, " ").trim();
  return name.charAt(0).toUpperCase() + name.slice(1);
}
