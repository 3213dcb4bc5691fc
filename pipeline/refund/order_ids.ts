/**
 * Order-id extraction: pure, no I/O.
 *
 * Default forms (case-insensitive):
 * - `ORD12345`, `ORD-12345`, `ORD 12345`: `ORD` and 3 to 10 digits;
 * - `order #12345`, `order number: 12345`, `order no. 12345`,
 *   `order id is ORD12345`, `order ref 12345`: a number (or an `ORD` id)
 *   after the word "order" and a marker (`#`, number, no, nr, num, id, ref).
 *
 * Canonical form, as the orders store keys it: upper case, no dash or space
 * (`ORD12345`). A bare number after an order marker maps to `ORD<number>`
 * (`order #12345` → `ORD12345`). A configured pattern (`ORDER_ID_PATTERN`)
 * is tried as well; its first capture group (or the whole match) is the id,
 * upper-cased and trimmed. An id always contains a digit, so a plain word
 * ("my order id is ...") is never taken for one.
 * @module
 */

/** The most ids kept from one text; more than one means "ask which". */
export const MAX_ORDER_IDS = 5;

const ORD_FORM = /\bORD[-\s]?(\d{3,10})\b/gi;
const MARKED_FORM =
  /\border\s*(?:(?:number|num|no|nr|id|ref(?:erence)?)\b\.?|#)\s*(?:(?:is|was)\b\s*)?[:#-]?\s*#?\s*(ORD[-\s]?\d{3,10}|\d{3,10})\b/gi;

/** Options of the extractor. */
export interface OrderIdOptions {
  /** `ORDER_ID_PATTERN`: a regex source, one capture group or whole match. */
  pattern: string | null;
}

/** The canonical store form of an id found in text. */
export function canonicalOrderId(raw: string): string {
  const s = raw.trim().toUpperCase().replace(/[-\s]/g, "");
  return /^\d+$/.test(s) ? `ORD${s}` : s;
}

/** Order ids in `text`, canonical, in order of appearance, without repeats. */
export function extractOrderIds(
  text: string,
  opts: OrderIdOptions = { pattern: null },
): string[] {
  const found: Array<{ at: number; id: string }> = [];
  for (const re of [ORD_FORM, MARKED_FORM]) {
    for (const m of text.matchAll(new RegExp(re.source, re.flags))) {
      found.push({ at: m.index ?? 0, id: canonicalOrderId(m[1] ?? m[0]) });
    }
  }
  if (opts.pattern) {
    const re = new RegExp(opts.pattern, "gi");
    for (const m of text.matchAll(re)) {
      const raw = m[1] ?? m[0];
      const id = raw.trim().toUpperCase();
      if (/\d/.test(id) && id.length <= 64) {
        found.push({ at: m.index ?? 0, id });
      }
    }
  }
  found.sort((a, b) => a.at - b.at);
  const out: string[] = [];
  for (const f of found) {
    if (!out.includes(f.id)) out.push(f.id);
    if (out.length >= MAX_ORDER_IDS) break;
  }
  return out;
}

/** Where the ids of an email came from. */
export type OrderIdSource = "body" | "subject" | "case" | "thread" | "none";

/** Inputs of `findOrderIds`. */
export interface OrderIdSources {
  subject: string;
  /** The cleaned new text of the email. */
  body: string;
  /** Ids the refund case already holds, oldest first. */
  caseOrderIds: string[];
  /** Earlier messages of the thread, oldest first. */
  threadTexts: string[];
}

/**
 * The ids an email refers to, by precedence: its own body, the last id of
 * the refund case, the subject (a reply keeps the first message's subject,
 * so it comes after the case), the most recent earlier message with an id.
 */
export function findOrderIds(
  src: OrderIdSources,
  opts: OrderIdOptions,
): { ids: string[]; source: OrderIdSource } {
  const body = extractOrderIds(src.body, opts);
  if (body.length > 0) return { ids: body, source: "body" };
  const last = src.caseOrderIds[src.caseOrderIds.length - 1];
  if (last !== undefined) return { ids: [last], source: "case" };
  const subject = extractOrderIds(src.subject, opts);
  if (subject.length > 0) return { ids: subject, source: "subject" };
  for (let i = src.threadTexts.length - 1; i >= 0; i--) {
    const ids = extractOrderIds(src.threadTexts[i] ?? "", opts);
    if (ids.length > 0) return { ids, source: "thread" };
  }
  return { ids: [], source: "none" };
}
