/**
 * The classifier model file (the startup cache): `CLS1`, a little-endian
 * u32 header length, a JSON header (temperature, array lengths, training
 * info), then the category and gate weights as little-endian float32.
 * Pure: bytes in, bytes out; a bad file is a one-line RangeError.
 * @module
 */
import { z } from "zod";
import type { ClassifierInfo, ClassifierSnapshot } from "./classifier.ts";

const MAGIC = "CLS1";

const Header = z.object({
  temperature: z.number().positive(),
  category: z.number().int().positive(),
  gate: z.number().int().nonnegative(),
  info: z.object({
    examples: z.number().int().nonnegative(),
    perClass: z.object({
      Question: z.number(),
      Refund: z.number(),
      Other: z.number(),
    }),
    domainRows: z.object({ shop: z.number(), off_topic: z.number() }),
    temperature: z.number(),
    gateTemperature: z.number().positive(),
    trainMs: z.number(),
  }),
});

/** Encodes a trained classifier's weights and info. */
export function encodeModel(
  snap: ClassifierSnapshot,
  info: ClassifierInfo,
): Uint8Array {
  const header = new TextEncoder().encode(JSON.stringify({
    temperature: snap.temperature,
    category: snap.category.length,
    gate: snap.gate?.length ?? 0,
    info,
  }));
  const floats = snap.category.length + (snap.gate?.length ?? 0);
  const start = 8 + header.length + ((4 - (header.length % 4)) % 4);
  const out = new Uint8Array(start + floats * 4);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(4, header.length, true);
  out.set(header, 8);
  const view = new DataView(out.buffer);
  let at = start;
  for (const arr of [snap.category, snap.gate ?? new Float32Array()]) {
    for (const v of arr) {
      view.setFloat32(at, v, true);
      at += 4;
    }
  }
  return out;
}

/** Decodes a model file written by `encodeModel`. */
export function decodeModel(
  bytes: Uint8Array,
): { snapshot: ClassifierSnapshot; info: ClassifierInfo } {
  const bad = (why: string) =>
    new RangeError(`Cannot read the classifier model file: ${why}`);
  if (
    bytes.length < 8 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC
  ) throw bad("not a model file");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(4, true);
  if (8 + n > bytes.length) throw bad("truncated header");
  let header: z.infer<typeof Header>;
  try {
    header = Header.parse(
      JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))),
    );
  } catch {
    throw bad("bad header");
  }
  const start = 8 + n + ((4 - (n % 4)) % 4);
  if (bytes.length !== start + (header.category + header.gate) * 4) {
    throw bad("wrong size");
  }
  const read = (from: number, len: number) => {
    const a = new Float32Array(len);
    for (let i = 0; i < len; i++) a[i] = view.getFloat32(from + i * 4, true);
    return a;
  };
  return {
    snapshot: {
      temperature: header.temperature,
      category: read(start, header.category),
      gate: header.gate > 0
        ? read(start + header.category * 4, header.gate)
        : null,
    },
    info: header.info,
  };
}
