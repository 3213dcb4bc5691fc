/**
 * The compact word-vector file format (little-endian):
 *
 * | bytes | what |
 * | --- | --- |
 * | 4 | magic `WVEC` |
 * | 4 | u32 version (1) |
 * | 4 | u32 word count N |
 * | 4 | u32 dimensions D |
 * | 4 | u32 byte length W of the word list |
 * | W | the words, UTF-8, joined by `\n`, most frequent first |
 * | 0-3 | zero padding to a multiple of 4 |
 * | 4·N | float32 scale per word |
 * | N·D | int8 values; the vector of word i is `values[i·D + j] · scale[i]` |
 * @module
 */

const MAGIC = 0x43455657; // "WVEC" read as a little-endian u32
const VERSION = 1;
const HEADER = 20;

/** The decoded parts of a word-vector file (views into its bytes). */
export interface WordVectorsData {
  /** The UTF-8 word list, joined by `\n` (see `word_table.ts`). */
  list: Uint8Array;
  count: number;
  dimensions: number;
  scales: Float32Array;
  values: Int8Array;
}

/** Encodes `words` with their vectors (`vectorOf(i)`, D numbers each). */
export function encodeWordVectors(
  words: string[],
  dimensions: number,
  vectorOf: (i: number) => ArrayLike<number>,
): Uint8Array<ArrayBuffer> {
  const list = new TextEncoder().encode(words.join("\n"));
  const pad = (4 - ((HEADER + list.length) % 4)) % 4;
  const scalesAt = HEADER + list.length + pad;
  const valuesAt = scalesAt + 4 * words.length;
  const bytes = new Uint8Array(valuesAt + words.length * dimensions);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, words.length, true);
  view.setUint32(12, dimensions, true);
  view.setUint32(16, list.length, true);
  bytes.set(list, HEADER);
  const values = new Int8Array(bytes.buffer, valuesAt);
  for (let i = 0; i < words.length; i++) {
    const v = vectorOf(i);
    if (v.length !== dimensions) {
      throw new RangeError(
        `Cannot encode word ${i}: ${v.length} values, expected ${dimensions}`,
      );
    }
    let max = 0;
    for (let j = 0; j < dimensions; j++) max = Math.max(max, Math.abs(v[j]!));
    const scale = max > 0 ? max / 127 : 1;
    view.setFloat32(scalesAt + 4 * i, scale, true);
    for (let j = 0; j < dimensions; j++) {
      values[i * dimensions + j] = Math.round(v[j]! / scale);
    }
  }
  return bytes;
}

/** Decodes a word-vector file; throws a one-line error on a bad file. */
export function decodeWordVectors(bytes: Uint8Array): WordVectorsData {
  const bad = (why: string) =>
    new Error(`Cannot read the word-vector file: ${why}`);
  if (bytes.length < HEADER) throw bad(`only ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (view.getUint32(0, true) !== MAGIC) {
    throw bad("it does not start with WVEC");
  }
  const version = view.getUint32(4, true);
  if (version !== VERSION) throw bad(`version ${version} is not ${VERSION}`);
  const n = view.getUint32(8, true);
  const dimensions = view.getUint32(12, true);
  const listBytes = view.getUint32(16, true);
  const pad = (4 - ((HEADER + listBytes) % 4)) % 4;
  const scalesAt = HEADER + listBytes + pad;
  const valuesAt = scalesAt + 4 * n;
  if (bytes.length !== valuesAt + n * dimensions) {
    throw bad(`${bytes.length} bytes, expected ${valuesAt + n * dimensions}`);
  }
  // Copy the scales so they are aligned whatever the buffer's offset.
  const scales = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    scales[i] = view.getFloat32(scalesAt + 4 * i, true);
  }
  const values = new Int8Array(
    bytes.buffer,
    bytes.byteOffset + valuesAt,
    n * dimensions,
  );
  return {
    list: bytes.subarray(HEADER, HEADER + listBytes),
    count: n,
    dimensions,
    scales,
    values,
  };
}
