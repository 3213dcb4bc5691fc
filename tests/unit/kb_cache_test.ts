import assert from "node:assert/strict";
import { createKnowledgeBase } from "../../pipeline/knowledge/knowledge_base.ts";
import { silentLogger } from "../../app/ops/logger.ts";

const DOC_A =
  "---\ntitle: Returns\n---\n## Window\nReturn within 30 days.\n## Label\nPrint the label.\n";
const DOC_B = "---\ntitle: Payments\n---\n## Methods\nWe accept cards.\n";

Deno.test("knowledge base cache: a warm start does no work for unchanged documents", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "kb_cache_" });
  const kbDir = `${dir}/kb`;
  const cacheDir = `${dir}/data`;
  await Deno.mkdir(kbDir);
  await Deno.writeTextFile(`${kbDir}/a.md`, DOC_A);
  await Deno.writeTextFile(`${kbDir}/b.md`, DOC_B);
  try {
    await t.step("the first build processes every section", async () => {
      const kb = createKnowledgeBase({
        dir: kbDir,
        cacheDir,
        logger: silentLogger,
      });
      const r = await kb.reindex();
      assert.deepEqual([r.documents, r.sections, r.reused, r.built], [
        2,
        3,
        0,
        3,
      ]);
    });

    await t.step(
      "a new instance over the same folder reuses all of it (0 processed)",
      async () => {
        const kb = createKnowledgeBase({
          dir: kbDir,
          cacheDir,
          logger: silentLogger,
        });
        const r = await kb.reindex();
        assert.deepEqual([r.sections, r.reused, r.built], [3, 3, 0]);
        const [hit] = await kb.retriever.search("print a return label", 1);
        assert.equal(hit?.id, "kb/a.md#label");
      },
    );

    await t.step(
      "reindex after an edit rebuilds only the changed document",
      async () => {
        const kb = createKnowledgeBase({
          dir: kbDir,
          cacheDir,
          logger: silentLogger,
        });
        await kb.reindex();
        await Deno.writeTextFile(
          `${kbDir}/b.md`,
          DOC_B + "## Vouchers\nGift vouchers never expire.\n",
        );
        const progress: Array<[number, number]> = [];
        const r = await kb.reindex((d, n) => progress.push([d, n]));
        assert.deepEqual([r.sections, r.reused, r.built], [4, 2, 2]);
        assert.deepEqual(progress.at(-1), [2, 2]);
        const [hit] = await kb.retriever.search("do vouchers expire", 1);
        assert.equal(hit?.id, "kb/b.md#vouchers");
        assert.equal(kb.status().ready, true);
        assert.equal(kb.status().building, false);
      },
    );

    await t.step("a deleted document leaves the index", async () => {
      const kb = createKnowledgeBase({
        dir: kbDir,
        cacheDir,
        logger: silentLogger,
      });
      await Deno.remove(`${kbDir}/b.md`);
      const r = await kb.reindex();
      assert.deepEqual([r.documents, r.built], [1, 0]);
      const hits = await kb.retriever.search("vouchers", 5);
      assert.equal(hits.length, 0);
    });

    await t.step("a corrupt cache file is ignored and rebuilt", async () => {
      for await (const e of Deno.readDir(cacheDir)) {
        await Deno.writeTextFile(`${cacheDir}/${e.name}`, "{not json");
      }
      const kb = createKnowledgeBase({
        dir: kbDir,
        cacheDir,
        logger: silentLogger,
      });
      const r = await kb.reindex();
      assert.equal(r.built, 2);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("knowledge base: a missing folder is a clear error", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kb_missing_" });
  try {
    const kb = createKnowledgeBase({
      dir: `${dir}/nope`,
      cacheDir: dir,
      logger: silentLogger,
    });
    await assert.rejects(
      kb.reindex(),
      /Cannot read the knowledge base folder .*nope/,
    );
    await assert.rejects(
      kb.retriever.search("x", 1),
      /Cannot read the knowledge base folder/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("knowledge base cache: a change in how documents are parsed comes with a new CACHE_VERSION, so no start reads sections parsed the old way", async () => {
  const { parseDocument } = await import(
    "../../pipeline/knowledge/parse_document.ts"
  );
  const { CACHE_VERSION } = await import(
    "../../pipeline/knowledge/kb_cache.ts"
  );
  // One file of every kind and style the parser reads.
  const docs = [
    [
      "a.md",
      "---\ntitle: A\n---\n# A\n\n## Ship\n\nWe ship.\n\n| P | Q |\n| - | - |\n| x | 1 |\n",
    ],
    [
      "b.md",
      "# B\n\n**Bold?**\n\nYes.\n\nQ: Why?\nA: Because.\n\nUnder\n-----\nText.\n",
    ],
    ["c.txt", "C\n\nShort line\nA paragraph.\n\nIs it asked?\nIt is.\n"],
    ["d.html", "<title>D</title><h4>H</h4><p>One.</p>"],
    ["f.md", `## Long\n\n${"One. Two. Three. Four.\n\n".repeat(4)}`],
    ["e.html", "<dl><dt>T</dt><dd>Def.</dd></dl><p><b>B</b></p><p>Two.</p>"],
  ];
  const parsed = JSON.stringify(
    docs.map(([id, text]) => parseDocument("kb", id!, text!)),
  );
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(parsed)),
  );
  const hex = [...digest].map((b) => b.toString(16).padStart(2, "0")).join("")
    .slice(0, 16);
  assert.deepEqual(
    { version: CACHE_VERSION, parsed: hex },
    { version: 2, parsed: "007f66235eac27c1" },
    "parsing changed: bump CACHE_VERSION in kb_cache.ts, then record the new version and hash here",
  );
});
