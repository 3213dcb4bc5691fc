/**
 * The Knowledge page's tools over real parts (the composition root's app, a
 * copy of the bundled knowledge base in a temp folder): a document uploaded
 * into the folder and indexed, with every refused upload shown on its form
 * and nothing written; a question asked of the current index, answered or
 * handed to a person with the reason in words; an `eval answers` file run
 * against the index with its summary and per-line outcomes; and files
 * changed on disk since the index was built reported as a needed reindex.
 */
import assert from "node:assert/strict";
import { copy } from "../helpers/copy_dir.ts";
import {
  KB_DIR,
  openTestWeb,
  signIn,
  type TestWeb,
} from "../helpers/web_app.ts";

interface Ctx {
  web: TestWeb;
  kb: string;
  cookie: string;
  csrf: string;
}

async function open(): Promise<Ctx & { close(): Promise<void> }> {
  const kb = await Deno.makeTempDir({ prefix: "kb_tools_" });
  await copy(KB_DIR, kb);
  const web = await openTestWeb({
    emulator: false,
    env: { KNOWLEDGE_BASE_DIR: kb },
  });
  const { jar, csrf } = await signIn(web);
  await web.agent.knowledge.reindex();
  return {
    web,
    kb,
    cookie: jar.header(),
    csrf,
    async close() {
      await web.close();
      await Deno.remove(kb, { recursive: true });
    },
  };
}

function upload(
  c: Ctx,
  file: File | null,
  opts: { replace?: boolean; csrf?: string | null } = {},
) {
  const form = new FormData();
  if (opts.csrf !== null) form.set("_csrf", opts.csrf ?? c.csrf);
  if (file) form.set("file", file);
  else form.set("file", new File([], ""));
  if (opts.replace) form.set("replace", "on");
  return c.web.app.request("/knowledge/upload", {
    method: "POST",
    headers: { cookie: c.cookie },
    body: form,
  });
}

function runEval(c: Ctx, input: { lines?: string; file?: File }) {
  const form = new FormData();
  form.set("_csrf", c.csrf);
  form.set("lines", input.lines ?? "");
  form.set("file", input.file ?? new File([], ""));
  return c.web.app.request("/knowledge/eval", {
    method: "POST",
    headers: { cookie: c.cookie },
    body: form,
  });
}

function ask(c: Ctx, question: string) {
  return c.web.app.request("/knowledge/ask", {
    method: "POST",
    headers: { cookie: c.cookie },
    body: new URLSearchParams({ _csrf: c.csrf, question }),
  });
}

const listing = async (dir: string) =>
  (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();

/** The text of the form error on the page, or null. */
function formError(html: string): string | null {
  const m = html.match(/<p class="alert form-error" role="alert">([^<]*)</);
  return m ? m[1]!.replace(/&quot;/g, '"').replace(/&#39;/g, "'") : null;
}

const GIFT_WRAP = `---
title: Gift wrapping
tags: [gifts]
---

# Gift wrapping

## Gift wrapping cost

Gift wrapping costs $3.50 per item and is chosen at checkout.

## Gift messages

A gift message of up to 200 characters is printed on a card in the parcel.
`;

Deno.test("knowledge upload: every refused file is named on the form and nothing is written", async (t) => {
  const c = await open();
  try {
    const before = await listing(c.kb);
    const refused = async (
      file: File | null,
      status: number,
      message: RegExp,
      opts: { replace?: boolean } = {},
    ) => {
      const res = await upload(c, file, opts);
      const html = await res.text();
      assert.equal(res.status, status, html.slice(0, 300));
      const err = formError(html);
      assert.ok(err, "the error is shown on the form");
      assert.match(err, message);
      assert.match(html, /action="\/knowledge\/upload"/, "the form is there");
      assert.deepEqual(await listing(c.kb), before, "nothing written");
    };
    await t.step(
      "no file chosen",
      () => refused(null, 400, /Choose a \.md or \.txt file/),
    );
    await t.step("a file type other than .md or .txt", () =>
      refused(
        new File(["<h2>Hi</h2><p>Text.</p>"], "page.html"),
        400,
        /Only \.md .* and \.txt/,
      ));
    await t.step("a name that climbs out of the folder", () =>
      refused(
        new File(["## A\n\nText here.\n"], "../escape.md"),
        400,
        /must not name a folder/,
      ));
    await t.step("a name with characters outside the safe set", () =>
      refused(
        new File(["## A\n\nText here.\n"], "notes!(1).md"),
        400,
        /letters, digits/,
      ));
    await t.step("a file over the size limit", () =>
      refused(
        new File(["## A\n\n" + "Long text. ".repeat(30_000)], "big.md"),
        400,
        /too large: at most 256 KB/,
      ));
    await t.step("a document with no section to quote", () =>
      refused(
        new File(["---\ntitle: Empty\n---\n\n# Empty\n"], "empty.md"),
        400,
        /no text the agent could quote/,
      ));
    await t.step("front matter that is not YAML", () =>
      refused(
        new File(["---\ntitle: [unclosed\n---\n\n## A\n\nText.\n"], "bad.md"),
        400,
        /front matter/,
      ));
    await t.step("bytes that are not UTF-8 text", () =>
      refused(
        new File([new Uint8Array([0xff, 0xfe, 0x00, 0x41])], "binary.txt"),
        400,
        /not UTF-8 text/,
      ));
    await t.step("an existing document without Replace", () =>
      refused(
        new File(["## Shipping\n\nNew text.\n"], "shipping.md"),
        409,
        /already in the knowledge base: tick "Replace"/,
      ));
    await t.step("no CSRF token: refused before anything is read", async () => {
      const res = await upload(
        c,
        new File([GIFT_WRAP], "gift_wrapping.md"),
        { csrf: null },
      );
      assert.equal(res.status, 403);
      await res.body?.cancel();
      assert.deepEqual(await listing(c.kb), before);
    });
  } finally {
    await c.close();
  }
});

Deno.test("knowledge upload: a new document is saved, indexed and answers at once", async () => {
  const c = await open();
  try {
    const res = await upload(c, new File([GIFT_WRAP], "gift_wrapping.md"));
    assert.equal(res.status, 303);
    assert.equal(
      res.headers.get("location"),
      "/knowledge?added=gift_wrapping.md",
    );
    assert.equal(
      await Deno.readTextFile(`${c.kb}/gift_wrapping.md`),
      GIFT_WRAP,
    );
    assert.ok(
      (await listing(c.kb)).every((n) => !n.startsWith(".upload-")),
      "no temporary file left behind",
    );
    const page = await (await c.web.app.request(
      "/knowledge?added=gift_wrapping.md",
      { headers: { cookie: c.cookie } },
    )).text();
    assert.match(page, /gift_wrapping\.md was added to the knowledge base/);
    assert.match(page, /href="\/knowledge\/doc\?id=gift_wrapping\.md"/);
    assert.doesNotMatch(page, /Reindex needed/, "the index is up to date");
    const doc = await (await c.web.app.request(
      "/knowledge/doc?id=gift_wrapping.md",
      { headers: { cookie: c.cookie } },
    )).text();
    assert.match(doc, /gift_wrapping\.md#gift-wrapping-cost/);

    const question = "Hello, how much does gift wrapping cost per item? Thanks";
    const answer = await (await ask(c, question)).text();
    assert.match(answer, /The agent would (reply|draft this reply)/);
    assert.match(answer, /\$3\.50 per item/);
    assert.match(answer, /Sources: [^<]*gift_wrapping\.md#gift-wrapping-cost/);

    const audit = await c.web.store.audit.list(20);
    const added = audit.find((e) => e.action === "kb_document_added");
    assert.equal(added?.target, "gift_wrapping.md");

    const replaced = await upload(
      c,
      new File([GIFT_WRAP.replace("$3.50", "$4.00")], "gift_wrapping.md"),
      { replace: true },
    );
    assert.equal(replaced.status, 303);
    const again = await (await ask(c, question)).text();
    assert.match(again, /\$4\.00 per item/, "the replaced text serves");
  } finally {
    await c.close();
  }
});

Deno.test("knowledge ask: an empty question is an error on the form; a question with no answer goes to a person, in words", async () => {
  const c = await open();
  try {
    const empty = await ask(c, "   ");
    assert.equal(empty.status, 400);
    const html = await empty.text();
    assert.equal(formError(html), "Write a question first.");
    assert.match(html, /<h1>Knowledge base<\/h1>/, "the page, not a bare one");

    const none = await (await ask(
      c,
      "Do you ship to Antarctica research stations?",
    )).text();
    assert.match(none, /Goes to a person:/);
    assert.match(
      none,
      /No knowledge-base section answers it well enough <code>no_kb_match<\/code>/,
    );
    assert.doesNotMatch(none, /The agent would reply/);
    assert.match(
      none,
      /The draft the person would start from on the Review page[\s\S]*?<pre class="body">Hello,/,
      "the suggestion built from the sections it found",
    );

    const partly = await (await ask(
      c,
      "How much does standard shipping cost? Also, do you sell replacement parts for the moon rocket kit?",
    )).text();
    assert.match(partly, /Goes to a person:/);
    assert.match(
      partly,
      /<span class="badge suggestion">suggestion<\/span>[\s\S]*?<pre class="body">[^<]*\$4\.95/,
      "the agent's draft for the part it can answer",
    );
  } finally {
    await c.close();
  }
});

Deno.test("knowledge eval: an answers file runs against the current index with its figures and per-line outcomes", async (t) => {
  const c = await open();
  try {
    const lines = [
      {
        id: "ship-cost",
        body: "How much does standard shipping cost?",
        expect: "answer",
        facts: ["$4.95"],
      },
      {
        id: "ship-wrong-fact",
        body: "How much does standard shipping cost?",
        expect: "answer",
        facts: ["$99.99"],
      },
      {
        id: "plumber",
        body: "Can you recommend a good plumber in Berlin for my flat?",
        expect: "person",
      },
    ].map((l) => JSON.stringify(l)).join("\n");

    await t.step("pasted lines: summary and one row per line", async () => {
      const res = await runEval(c, { lines });
      const html = await res.text();
      assert.equal(res.status, 200, formError(html) ?? "");
      assert.match(html, /the pasted lines: 3 lines run against the current/);
      assert.match(html, /<dt>Covered \(expect an answer\)<\/dt><dd>2<\/dd>/);
      assert.match(html, /<dt>Answered right<\/dt><dd>50%/);
      assert.match(html, /<dt>Answered wrong<\/dt><dd>50%/);
      assert.match(html, /<dt>Uncovered \(expect a person\)<\/dt><dd>1<\/dd>/);
      assert.match(html, /<dt>Uncovered but answered<\/dt><dd>0%/);
      const row = (id: string) =>
        html.match(
          new RegExp(`<tr[^>]*><td><code>${id}</code>[\\s\\S]*?</tr>`),
        )?.[0] ?? "";
      assert.match(row("ship-cost"), /right answer/);
      assert.match(row("ship-cost"), /\$4\.95/, "the reply is on the row");
      assert.match(row("ship-wrong-fact"), /wrong answer/);
      assert.match(row("plumber"), /to a person, as expected/);
      assert.match(
        row("plumber"),
        /Read as neither a question nor a refund <code>classified_Other<\/code>/,
      );
    });

    await t.step("an uploaded .jsonl file gives the same figures", async () => {
      const res = await runEval(c, {
        file: new File([lines], "my_questions.jsonl"),
      });
      const html = await res.text();
      assert.equal(res.status, 200);
      assert.match(html, /my_questions\.jsonl: 3 lines run/);
      assert.match(html, /<dt>Answered right<\/dt><dd>50%/);
    });

    await t.step("refused inputs are named on the form", async () => {
      const cases: [string, RegExp][] = [
        ["", /Paste JSON lines or choose a \.jsonl file/],
        [`${lines}\n{"id": oops}`, /line 4 is not valid JSON/],
        [
          '{"id":"x","body":"Hi?","expect":"answer"}',
          /line 1: .*needs "facts"/,
        ],
        [
          Array.from(
            { length: 201 },
            (_, i) =>
              JSON.stringify({ id: `q${i}`, body: "Hi?", expect: "person" }),
          )
            .join("\n"),
          /has 201 lines: at most 200/,
        ],
      ];
      for (const [text, message] of cases) {
        const res = await runEval(c, { lines: text });
        const html = await res.text();
        assert.equal(res.status, 400);
        assert.match(formError(html) ?? "", message);
      }
      const big = await runEval(c, {
        file: new File(["x".repeat(300 * 1024)], "big.jsonl"),
      });
      assert.equal(big.status, 400);
      assert.match(formError(await big.text()) ?? "", /too large/);
    });
  } finally {
    await c.close();
  }
});

Deno.test("knowledge page: files changed on disk since the index was built say a reindex is needed until it is done", async () => {
  const c = await open();
  try {
    const page = async () =>
      await (await c.web.app.request("/knowledge", {
        headers: { cookie: c.cookie },
      })).text();
    const fresh = await page();
    assert.doesNotMatch(fresh, /Reindex needed/);
    assert.match(fresh, /up to date/);

    await Deno.writeTextFile(
      `${c.kb}/shipping.md`,
      "\n## Parcel lockers\n\nParcels can go to a parcel locker.\n",
      { append: true },
    );
    await Deno.writeTextFile(
      `${c.kb}/new_topic.md`,
      "## New topic\n\nA new sentence.\n",
    );
    await Deno.remove(`${c.kb}/privacy.md`);
    const stale = await page();
    assert.match(stale, /Reindex needed/);
    assert.match(stale, /out of date/);
    assert.match(stale, /New: <code>new_topic\.md<\/code>/);
    assert.match(stale, /Changed: <code>shipping\.md<\/code>/);
    assert.match(stale, /Removed: <code>privacy\.md<\/code>/);
    assert.match(
      stale,
      /<div class="alert stale"[\s\S]*?action="\/knowledge\/reindex"/,
      "the alert holds a reindex button",
    );

    const res = await c.web.app.request("/knowledge/reindex", {
      method: "POST",
      headers: { cookie: c.cookie },
      body: new URLSearchParams({ _csrf: c.csrf }),
    });
    assert.equal(res.status, 303);
    await c.web.agent.knowledge.reindex();
    const after = await page();
    assert.doesNotMatch(after, /Reindex needed/);
    assert.match(after, /up to date/);
  } finally {
    await c.close();
  }
});
