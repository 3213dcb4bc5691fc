/**
 * Writes a tiny but real BERT-style ONNX embedding model for tests: a
 * WordPiece `tokenizer.json`, a `config.json` (model_type bert) and an
 * `onnx/model.onnx` holding one `Gather(embeddings, input_ids)` node whose
 * output is `last_hidden_state`. transformers.js loads and runs it with its
 * real code (tokenizer, onnxruntime-node, mean pooling, normalisation).
 * Words of one `concept` share a direction, so synonyms embed close together.
 * @module
 */

/** Word groups; each group is one concept (one embedding direction). */
export const TINY_CONCEPTS: string[][] = [
  ["parcel", "package", "shipment", "delivery", "box"],
  ["refund", "money", "reimbursement", "repayment"],
  ["password", "login", "credentials", "passcode"],
  ["invoice", "bill", "receipt"],
  ["hours", "open", "schedule", "closing"],
  ["lost", "missing", "vanished", "gone"],
];

const SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

// --- a minimal protobuf writer -------------------------------------------
function varint(n: number | bigint): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
}
const key = (field: number, wire: number) => varint((field << 3) | wire);
const vField = (
  field: number,
  n: number | bigint,
) => [...key(field, 0), ...varint(n)];
function bytesField(field: number, data: Uint8Array | number[]): number[] {
  return [...key(field, 2), ...varint(data.length), ...data];
}
const strField = (field: number, s: string) =>
  bytesField(field, new TextEncoder().encode(s));

function valueInfo(
  name: string,
  elemType: number,
  dims: Array<string | number>,
): number[] {
  const shape = dims.flatMap((d) =>
    bytesField(1, typeof d === "string" ? strField(2, d) : vField(1, d))
  );
  const tensorType = [...vField(1, elemType), ...bytesField(2, shape)];
  return [...strField(1, name), ...bytesField(2, bytesField(1, tensorType))];
}

/** The ONNX ModelProto bytes of `Gather(embeddings[V, D], input_ids) → last_hidden_state`. */
export function tinyOnnxModel(
  embeddings: Float32Array,
  vocab: number,
  dims: number,
): Uint8Array {
  const INT64 = 7;
  const FLOAT = 1;
  const node = [
    ...strField(1, "embeddings"),
    ...strField(1, "input_ids"),
    ...strField(2, "last_hidden_state"),
    ...strField(3, "gather"),
    ...strField(4, "Gather"),
    ...bytesField(5, [
      ...strField(1, "axis"),
      ...vField(3, 0),
      ...vField(20, 2),
    ]),
  ];
  const init = [
    ...vField(1, vocab),
    ...vField(1, dims),
    ...vField(2, FLOAT),
    ...strField(8, "embeddings"),
    ...bytesField(
      9,
      new Uint8Array(
        embeddings.buffer,
        embeddings.byteOffset,
        embeddings.byteLength,
      ),
    ),
  ];
  const graph = [
    ...bytesField(1, node),
    ...strField(2, "tiny"),
    ...bytesField(5, init),
    ...bytesField(11, valueInfo("input_ids", INT64, ["batch", "sequence"])),
    ...bytesField(
      11,
      valueInfo("attention_mask", INT64, ["batch", "sequence"]),
    ),
    ...bytesField(
      11,
      valueInfo("token_type_ids", INT64, ["batch", "sequence"]),
    ),
    ...bytesField(
      12,
      valueInfo("last_hidden_state", FLOAT, ["batch", "sequence", dims]),
    ),
  ];
  const model = [
    ...vField(1, 8),
    ...strField(2, "tiny-model-test"),
    ...bytesField(7, graph),
    ...bytesField(8, [...strField(1, ""), ...vField(2, 17)]),
  ];
  return new Uint8Array(model);
}

/**
 * Writes the model folder `<root>/<name>` and returns its path. Concept
 * words get their concept's axis; other words (a fixed list plus `extraWords`)
 * get a small private axis each.
 */
export async function writeTinyModel(
  root: string,
  name = "tiny-embedder",
  extraWords: string[] = [],
): Promise<string> {
  const conceptWords = TINY_CONCEPTS.flat();
  const words = [
    ...new Set([...conceptWords, ...extraWords.map((w) => w.toLowerCase())]),
  ];
  const vocabList = [...SPECIAL, ...words];
  const dims = TINY_CONCEPTS.length + words.length;
  const emb = new Float32Array(vocabList.length * dims);
  vocabList.forEach((tok, i) => {
    const c = TINY_CONCEPTS.findIndex((g) => g.includes(tok));
    const own = TINY_CONCEPTS.length + words.indexOf(tok);
    if (c >= 0) emb[i * dims + c] = 1;
    if (own >= TINY_CONCEPTS.length) emb[i * dims + own] = c >= 0 ? 0.2 : 1;
  });
  const dir = `${root}/${name}`;
  await Deno.mkdir(`${dir}/onnx`, { recursive: true });
  await Deno.writeFile(
    `${dir}/onnx/model.onnx`,
    tinyOnnxModel(emb, vocabList.length, dims),
  );
  const vocab = Object.fromEntries(vocabList.map((t, i) => [t, i]));
  const tokenizer = {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: SPECIAL.map((t, i) => ({
      id: i,
      content: t,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: "BertNormalizer",
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [{ SpecialToken: { id: "[CLS]", type_id: 0 } }, {
        Sequence: { id: "A", type_id: 0 },
      }, {
        SpecialToken: { id: "[SEP]", type_id: 0 },
      }],
      pair: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "[SEP]", type_id: 0 } },
        { Sequence: { id: "B", type_id: 1 } },
        { SpecialToken: { id: "[SEP]", type_id: 1 } },
      ],
      special_tokens: {
        "[CLS]": { id: "[CLS]", ids: [2], tokens: ["[CLS]"] },
        "[SEP]": { id: "[SEP]", ids: [3], tokens: ["[SEP]"] },
      },
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: {
      type: "WordPiece",
      unk_token: "[UNK]",
      continuing_subword_prefix: "##",
      max_input_chars_per_word: 100,
      vocab,
    },
  };
  await Deno.writeTextFile(`${dir}/tokenizer.json`, JSON.stringify(tokenizer));
  await Deno.writeTextFile(
    `${dir}/tokenizer_config.json`,
    JSON.stringify({
      tokenizer_class: "BertTokenizer",
      do_lower_case: true,
      model_max_length: 512,
      cls_token: "[CLS]",
      sep_token: "[SEP]",
      pad_token: "[PAD]",
      unk_token: "[UNK]",
      mask_token: "[MASK]",
    }),
  );
  await Deno.writeTextFile(
    `${dir}/config.json`,
    JSON.stringify({
      model_type: "bert",
      architectures: ["BertModel"],
      hidden_size: dims,
      vocab_size: vocabList.length,
    }),
  );
  return dir;
}
