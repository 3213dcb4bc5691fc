/**
 * Reads an orders file (CSV with the header
 * `order_id,customer_email,order_date,amount,status`, a Shopify or
 * WooCommerce order export (`shop_exports.ts`), or JSON lines with the
 * agent's keys). Every row is validated before anything is written, and each
 * problem is reported with its line number.
 * @module
 */
import { z } from "zod";
import type { Order } from "../pipeline/types.ts";
import { parseCsv } from "./csv.ts";
import { orderKey } from "./order_key.ts";
import { exportKind, toAgentRow } from "./shop_exports.ts";

/** Result of parsing an orders file. */
export type OrdersFileResult =
  | { ok: true; orders: Order[] }
  | { ok: false; errors: string[] };

const COLUMNS = [
  "order_id",
  "customer_email",
  "order_date",
  "amount",
  "status",
] as const;
const MAX_ERRORS = 20;

/** A raw row and where it is in the file (`line 4`, `item 2`). */
interface Row {
  where: string;
  value: Record<string, unknown>;
}

const shown = (v: unknown) =>
  `current value is ${v === undefined ? "missing" : JSON.stringify(v)}`;

const text = (name: string) =>
  z.unknown().transform((v, ctx) => {
    const s = typeof v === "string" || typeof v === "number"
      ? String(v).trim()
      : "";
    if (s === "") {
      ctx.addIssue({
        code: "custom",
        message: `${name} must be a non-empty text: ${shown(v)}`,
      });
      return z.NEVER;
    }
    return s;
  });

const rowSchema = z.object({
  order_id: text("order_id"),
  customer_email: text("customer_email").pipe(
    z.string().transform((v, ctx) => {
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) {
        ctx.addIssue({
          code: "custom",
          message: `customer_email must be an email address: ${shown(v)}`,
        });
        return z.NEVER;
      }
      return v.toLowerCase();
    }),
  ),
  order_date: z.unknown().transform((v, ctx) => {
    const s = typeof v === "string" ? v.trim() : "";
    const d = /^\d{4}-\d{2}-\d{2}$/.test(s)
      ? new Date(`${s}T00:00:00.000Z`)
      : new Date(s === "" ? NaN : Date.parse(s));
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({
        code: "custom",
        message: `order_date must be a date (YYYY-MM-DD or ISO 8601): ${
          shown(v)
        }`,
      });
      return z.NEVER;
    }
    return d;
  }),
  amount: z.unknown().transform((v, ctx) => {
    const n = typeof v === "number"
      ? v
      : typeof v === "string" && v.trim() !== ""
      ? Number(v.trim())
      : NaN;
    if (!Number.isFinite(n) || n < 0) {
      ctx.addIssue({
        code: "custom",
        message: `amount must be a number of 0 or more: ${shown(v)}`,
      });
      return z.NEVER;
    }
    return Math.round(n * 100) / 100;
  }),
  status: text("status").transform((s) => s.toLowerCase()),
});

/** Parses and validates an orders file; `name` picks the format by extension. */
export function parseOrdersFile(text: string, name: string): OrdersFileResult {
  const body = text.replace(/^\uFEFF/, "");
  const first = body.trimStart()[0];
  const json = /\.jsonl?$/i.test(name) || first === "{" || first === "[";
  let rows: Row[];
  const errors: string[] = [];
  try {
    rows = json ? jsonRows(body, errors) : csvRows(body);
  } catch (e) {
    return { ok: false, errors: [(e as Error).message] };
  }
  const orders: Order[] = [];
  const seen = new Map<string, string>();
  for (const { where, value } of rows) {
    const r = rowSchema.safeParse(value);
    if (!r.success) {
      for (const issue of r.error.issues) {
        errors.push(`${where}: ${issue.message}`);
      }
      continue;
    }
    const key = orderKey(r.data.order_id);
    const prev = seen.get(key);
    if (prev !== undefined) {
      errors.push(
        `${where}: order_id ${r.data.order_id} repeats ${prev}`,
      );
      continue;
    }
    seen.set(key, where);
    orders.push({
      orderId: r.data.order_id,
      customerEmail: r.data.customer_email,
      orderDate: r.data.order_date,
      amount: r.data.amount,
      status: r.data.status,
      refundRequestedAt: null,
    });
  }
  if (errors.length === 0 && orders.length === 0) {
    errors.push(`${name} holds no orders`);
  }
  if (errors.length > 0) {
    const more = errors.length - MAX_ERRORS;
    return {
      ok: false,
      errors: more > 0
        ? [...errors.slice(0, MAX_ERRORS), `... and ${more} more problems`]
        : errors,
    };
  }
  return { ok: true, orders };
}

function csvRows(body: string): Row[] {
  const records = parseCsv(body);
  const header = records.shift();
  if (!header) throw new RangeError("the file is empty");
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const kind = exportKind(names);
  if (kind === null) {
    const missing = COLUMNS.filter((c) => !names.includes(c));
    throw new RangeError(
      `line ${header.line}: the header must name the columns ${
        COLUMNS.join(",")
      } (or be a Shopify or WooCommerce order export): missing ${
        missing.join(", ")
      }`,
    );
  }
  return records.flatMap((r) => {
    const fields: Record<string, string | undefined> = {};
    names.forEach((n, i) => fields[n] = r.fields[i]);
    const value = toAgentRow(kind, fields);
    return value ? [{ where: `line ${r.line}`, value }] : [];
  });
}

function jsonRows(body: string, errors: string[]): Row[] {
  const rows: Row[] = [];
  const push = (where: string, v: unknown) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      rows.push({ where, value: v as Record<string, unknown> });
    } else errors.push(`${where}: must be a JSON object`);
  };
  if (body.trimStart().startsWith("[")) {
    let list: unknown;
    try {
      list = JSON.parse(body);
    } catch (e) {
      throw new RangeError(`not valid JSON: ${(e as Error).message}`);
    }
    if (!Array.isArray(list)) throw new RangeError("must be a JSON array");
    list.forEach((v, i) => push(`item ${i + 1}`, v));
    return rows;
  }
  body.split(/\r?\n/).forEach((l, i) => {
    if (l.trim() === "") return;
    try {
      push(`line ${i + 1}`, JSON.parse(l));
    } catch (e) {
      errors.push(`line ${i + 1}: not valid JSON (${(e as Error).message})`);
    }
  });
  return rows;
}
