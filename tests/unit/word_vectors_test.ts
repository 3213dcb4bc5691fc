import assert from "node:assert/strict";
import {
  decodeWordVectors,
  encodeWordVectors,
} from "../../pipeline/knowledge/word_vectors_format.ts";
import {
  loadWordVectors,
  parseWordVectors,
  WORD_VECTORS_MANIFEST_URL,
  WORD_VECTORS_URL,
} from "../../pipeline/knowledge/word_vectors.ts";
import { createTextSemantics } from "../../pipeline/knowledge/text_semantics.ts";

Deno.test("encodeWordVectors/decodeWordVectors round-trip words and int8 vectors", async (t) => {
  const vs = [[0.5, -1, 0.25], [2, 0, -2], [0, 0, 0]];
  const bytes = encodeWordVectors(["alpha", "beta", "gamma"], 3, (i) => vs[i]!);
  await t.step("values come back within one quantization step", () => {
    const d = decodeWordVectors(bytes);
    assert.equal(new TextDecoder().decode(d.list), "alpha\nbeta\ngamma");
    assert.equal(d.count, 3);
    assert.equal(d.dimensions, 3);
    vs.forEach((v, i) =>
      v.forEach((x, j) =>
        assert.ok(
          Math.abs(d.values[i * 3 + j]! * d.scales[i]! - x) <=
            d.scales[i]! / 2 + 1e-6,
        )
      )
    );
  });
  await t.step("a file that is not a vector file fails with one line", () => {
    assert.throws(
      () =>
        decodeWordVectors(new TextEncoder().encode("version https://git-lfs")),
      /Cannot read the word-vector file: it does not start with WVEC/,
    );
    assert.throws(
      () => parseWordVectors(encodeWordVectors(["a\nb"], 1, () => [1])),
      /Cannot read the word-vector file: 2 words, expected 1/,
    );
    assert.throws(
      () => decodeWordVectors(bytes.subarray(0, bytes.length - 1)),
      /Cannot read the word-vector file: \d+ bytes, expected \d+/,
    );
  });
  await t.step("cosine and rows read the decoded file", () => {
    const wv = parseWordVectors(bytes);
    assert.equal(wv.row("beta"), 1);
    assert.equal(wv.row("delta"), -1);
    assert.ok(Math.abs(wv.cosine(0, 0) - 1) < 1e-6);
    assert.equal(wv.word(2), "gamma");
    assert.throws(() => wv.cosine(0, 3), RangeError);
  });
});

Deno.test("the bundled word vectors load fast, match their manifest and know shop words", async (t) => {
  const t0 = performance.now();
  const wv = await loadWordVectors();
  const ms = performance.now() - t0;
  await t.step(
    "100k words of 100 dimensions, loaded from the repository file",
    () => {
      assert.equal(wv.size, 100_000);
      assert.equal(wv.dimensions, 100);
      assert.ok(ms < 3000, `load took ${ms} ms`);
    },
  );
  await t.step(
    "every word is found at its own row (hash table over the file's bytes)",
    () => {
      for (let r = 0; r < wv.size; r++) {
        if (wv.row(wv.word(r)) !== r) assert.fail(`row ${r} (${wv.word(r)})`);
      }
      assert.equal(wv.row("the"), 0);
      assert.equal(wv.row("zzzqqqxx"), -1);
      assert.equal(wv.row(""), -1);
    },
  );
  await t.step("related words are close and unrelated ones are not", () => {
    const cos = (a: string, b: string) => wv.cosine(wv.row(a), wv.row(b));
    assert.ok(cos("cost", "price") > 0.6);
    assert.ok(cos("instalments", "installments") > 0.7);
    assert.ok(cos("chess", "refund") < 0.2);
  });
  await t.step("frequent words weigh less (SIF)", () => {
    assert.ok(wv.sifWeight(wv.row("the")) < 0.1);
    assert.ok(wv.sifWeight(wv.row("refund")) > 0.9);
    assert.equal(wv.sifWeight(-1), 1);
  });
  await t.step("a changed file is refused by its SHA-256", async () => {
    const dir = await Deno.makeTempDir();
    try {
      const bytes = await Deno.readFile(WORD_VECTORS_URL);
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
      await Deno.writeFile(`${dir}/v.bin`, bytes);
      await assert.rejects(
        () => loadWordVectors(`${dir}/v.bin`, WORD_VECTORS_MANIFEST_URL),
        /SHA-256 \w+ does not match \w+ \(re-run deno task vectors\)/,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
  await t.step(
    "sentence meaning: a paraphrase is closer than another topic",
    () => {
      const kb = [
        "Return labels cost $5, which we deduct from your refund.",
        "Every frame carries a lifetime warranty.",
        "We accept Visa, Mastercard and PayPal.",
        "Bikes ship in 5 to 8 business days.",
      ];
      const sem = createTextSemantics(wv, []);
      const ask = "how much does it cost to send it back?";
      assert.ok(sem.similarity(ask, kb[0]!) > sem.similarity(ask, kb[2]!));
      const frame = "is the frame covered and for how long?";
      assert.ok(sem.similarity(frame, kb[1]!) > sem.similarity(frame, kb[2]!));
      assert.equal(sem.similarity("", kb[0]!), 0);
    },
  );
  await t.step(
    "soft coverage counts a close word, not an unrelated one",
    () => {
      const sem = createTextSemantics(wv, []);
      const near = sem.coverage(
        "what is the price of shipping",
        "Shipping costs $5.",
      );
      const far = sem.coverage("rules of chess", "Shipping costs $5.");
      assert.ok(near.mean > 0.8, JSON.stringify(near));
      assert.ok(far.mean < 0.4 && far.min < 0.3, JSON.stringify(far));
      assert.equal(near.words, 2);
    },
  );
});
