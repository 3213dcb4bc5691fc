import assert from "node:assert/strict";
import {
  parseDocument,
  slugify,
} from "../../pipeline/knowledge/parse_document.ts";
import { createKnowledgeBase } from "../../pipeline/knowledge/knowledge_base.ts";
import { silentLogger } from "../../app/ops/logger.ts";

Deno.test("parseDocument splits knowledge-base files into sections", async (t) => {
  await t.step(
    "markdown: front matter title and tags, one section per ## heading",
    () => {
      const doc = parseDocument(
        "knowledge_base",
        "shipping.md",
        "---\ntitle: Shipping\ntags: [shipping, delivery]\n---\n\n# Shipping\n\n## Tracking\n\nTrack it here.\n\n## Costs\n\nIt costs $5.\n",
      );
      assert.equal(doc.title, "Shipping");
      assert.deepEqual(doc.tags, ["shipping", "delivery"]);
      assert.deepEqual(doc.sections.map((s) => s.id), [
        "knowledge_base/shipping.md#tracking",
        "knowledge_base/shipping.md#costs",
      ]);
      assert.equal(doc.sections[1]?.text, "It costs $5.");
    },
  );

  await t.step(
    "section ids are stable slugs, repeated headings get a suffix",
    () => {
      assert.equal(slugify("Shipping costs & times!"), "shipping-costs-times");
      const doc = parseDocument(
        "kb",
        "a/b.md",
        "## Hours\nOne.\n## Hours\nTwo.\n",
      );
      assert.deepEqual(doc.sections.map((s) => s.id), [
        "kb/a/b.md#hours",
        "kb/a/b.md#hours-2",
      ]);
      const again = parseDocument(
        "kb",
        "a/b.md",
        "## Hours\nOne.\n## Hours\nTwo.\n",
      );
      assert.deepEqual(
        again.sections.map((s) => s.id),
        doc.sections.map((s) => s.id),
      );
    },
  );

  await t.step(
    "html: title from <title>, sections at <h2>, tags removed",
    () => {
      const doc = parseDocument(
        "kb",
        "faq.html",
        "<html><head><title>Store FAQ</title></head><body><h1>FAQ</h1><h2>Opening hours</h2><p>We open at <b>9 am</b>.</p><h2>Parking</h2><p>Free parking.</p></body></html>",
      );
      assert.equal(doc.title, "Store FAQ");
      assert.deepEqual(doc.sections.map((s) => s.heading), [
        "Opening hours",
        "Parking",
      ]);
      assert.equal(doc.sections[0]?.text, "We open at 9 am.");
    },
  );

  await t.step(
    "txt: first short line is the title, the rest one section",
    () => {
      const doc = parseDocument(
        "kb",
        "notes.txt",
        "Lamp care\nDust the shade weekly.\n",
      );
      assert.equal(doc.title, "Lamp care");
      assert.equal(doc.sections.length, 1);
      assert.equal(doc.sections[0]?.text, "Dust the shade weekly.");
    },
  );

  await t.step(
    "an FAQ without markdown headings is split at its entries: bold lines, Q:/A:, underlined headings, questions alone on a line, short title lines of a .txt",
    () => {
      const ship = ["Do you ship abroad?", "We ship to the US only."];
      const faqs: Array<[string, string, string[][]]> = [
        [
          "faq.md",
          "# FAQ\n\n**Do you ship abroad?**\n\nWe ship to the US only.\n\n**Returns**\nReturn labels cost $5.\nRefunds take 7 days.\n",
          [ship, ["Returns", "Return labels cost $5. Refunds take 7 days."]],
        ],
        [
          "faq.txt",
          "Q: Do you ship abroad?\nA: We ship to the US only.\n\nQuestion: How much is a return label?\nAnswer: $5.\n",
          [ship, ["How much is a return label?", "$5."]],
        ],
        [
          "faq.md",
          "Shipping\n========\n\nWe ship to the US only.\n\nReturns\n-------\nReturn labels cost $5.\n",
          [
            ["Shipping", "We ship to the US only."],
            ["Returns", "Return labels cost $5."],
          ],
        ],
        [
          "faq.md",
          "1. Do you ship abroad?\nWe ship to the US only.\n\n2. How much is a return label?\n\nIt costs $5.\n",
          [ship, ["How much is a return label?", "It costs $5."]],
        ],
        [
          "help.txt",
          "Help centre\n\nShipping costs\nShipping is free over $100. Bikes cost\n$59 to ship.\n\nBike assembly\n\nBikes ship 90% assembled.\n",
          [
            [
              "Shipping costs",
              "Shipping is free over $100. Bikes cost $59 to ship.",
            ],
            ["Bike assembly", "Bikes ship 90% assembled."],
          ],
        ],
      ];
      for (const [file, text, want] of faqs) {
        const doc = parseDocument("kb", file, text);
        assert.deepEqual(
          doc.sections.map((s) => [s.heading, s.text]),
          want,
          text,
        );
      }
      assert.equal(
        parseDocument("kb", "help.txt", faqs[4]![1]).title,
        "Help centre",
      );
      // A document with ## headings keeps only those: bold lines inside stay text.
      const structured = parseDocument(
        "kb",
        "a.md",
        "## Returns\n\n**Note:**\n\nLabels cost $5.\n",
      );
      assert.deepEqual(structured.sections.map((s) => s.heading), ["Returns"]);
    },
  );

  await t.step(
    "an HTML FAQ is split at <h4>, and without headings at <dt>, <summary> or a paragraph all in bold",
    () => {
      const pages = [
        "<h4>Do you ship abroad?</h4><p>We ship to the US only.</p><h4>Returns</h4><p>Labels cost $5.</p>",
        "<dl><dt>Do you ship abroad?</dt><dd><p>We ship to the US only.</p></dd><dt>Returns</dt><dd>Labels cost $5.</dd></dl>",
        "<details><summary>Do you ship abroad?</summary><p>We ship to the US only.</p></details><details><summary>Returns</summary><p>Labels cost $5.</p></details>",
        "<p><strong>Do you ship abroad?</strong></p><p>We ship to the US only.</p><p><b>Returns</b></p><p>Labels cost $5.</p>",
      ];
      for (const page of pages) {
        const doc = parseDocument(
          "kb",
          "faq.html",
          `<html><head><title>FAQ</title></head><body><h1>FAQ</h1>${page}</body></html>`,
        );
        assert.deepEqual(
          doc.sections.map((s) => [s.heading, s.text]),
          [
            ["Do you ship abroad?", "We ship to the US only."],
            ["Returns", "Labels cost $5."],
          ],
          page,
        );
      }
    },
  );

  await t.step(
    "a markdown table is read as one sentence per row, each cell named by its column",
    () => {
      const doc = parseDocument(
        "kb",
        "plans.md",
        "## Plans\n\nOur prices:\n\n| Plan | Data | Monthly price |\n| ---- | :--: | ------------: |\n| Basic | 5GB | £8 |\n| Max | Unlimited | £22 |\n\nPrices include VAT.\n",
      );
      assert.equal(
        doc.sections[0]?.text,
        "Our prices:\n\nBasic: data 5GB; monthly price £8.\n\nMax: data Unlimited; monthly price £22.\n\nPrices include VAT.",
      );
    },
  );

  await t.step(
    "a section of more than 9 sentences is cut into runs of whole paragraphs under the same heading; a list stays with its introduction",
    () => {
      const para = (k: number) =>
        Array.from({ length: 4 }, (_, i) => `Fact ${k}.${i}.`).join(" ");
      const doc = parseDocument(
        "kb",
        "long.md",
        `## Returns\n\n${para(1)}\n\n${
          para(2)
        }\n\nWe take these cards:\n\nVisa, Amex and PayPal.\n\n${para(3)}\n`,
      );
      assert.deepEqual(doc.sections.map((s) => [s.id, s.heading]), [
        ["kb/long.md#returns", "Returns"],
        ["kb/long.md#returns-2", "Returns"],
      ]);
      assert.equal(
        doc.sections[0]?.text,
        `${para(1)}\n\n${
          para(2)
        }\n\nWe take these cards:\n\nVisa, Amex and PayPal.`,
      );
      assert.equal(doc.sections[1]?.text, para(3));
    },
  );

  await t.step("a broken front matter names the file", () => {
    assert.throws(
      () => parseDocument("kb", "bad.md", "---\ntitle: [oops\n---\ntext\n"),
      /bad\.md/,
    );
  });
});

Deno.test("createKnowledgeBase reads md, txt and html files in subfolders", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kb_ingest_" });
  try {
    const kbDir = `${dir}/my_kb`;
    await Deno.mkdir(`${kbDir}/sub`, { recursive: true });
    await Deno.writeTextFile(
      `${kbDir}/a.md`,
      "---\ntitle: Alpha\n---\n## Gift wrapping\nWe wrap gifts for $3.\n",
    );
    await Deno.writeTextFile(
      `${kbDir}/sub/b.txt`,
      "Pickup\nYou can collect orders at our depot in Leeds.\n",
    );
    await Deno.writeTextFile(
      `${kbDir}/sub/c.html`,
      "<title>Pets</title><h2>Dogs</h2><p>Dogs are welcome in the showroom.</p>",
    );
    await Deno.writeTextFile(`${kbDir}/ignored.pdf`, "binary");
    const kb = createKnowledgeBase({
      dir: kbDir,
      cacheDir: `${dir}/cache`,
      logger: silentLogger,
    });
    const r = await kb.reindex();
    assert.equal(r.documents, 3);
    assert.deepEqual(kb.status().documents.map((d) => d.id), [
      "a.md",
      "sub/b.txt",
      "sub/c.html",
    ]);
    const [leeds] = await kb.retriever.search("collect my order in Leeds", 1);
    assert.equal(leeds?.id, "my_kb/sub/b.txt#pickup");
    assert.equal(leeds?.docId, "sub/b.txt");
    const [dogs] = await kb.retriever.search("can I bring my dog", 1);
    assert.equal(dogs?.id, "my_kb/sub/c.html#dogs");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
