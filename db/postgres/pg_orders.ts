/**
 * The orders database on Postgres. An import is one transaction; marking a
 * refund (requested, or refunded) is one conditional UPDATE, so it happens once however many callers
 * race.
 * @module
 */
import type postgres from "postgres";
import type {
  MarkRefundedResult,
  MarkRefundResult,
  Orders,
} from "../../pipeline/ports.ts";
import type { Order } from "../../pipeline/types.ts";
import { assertValidOrders, orderKey } from "../order_key.ts";

// deno-lint-ignore no-explicit-any
type Row = Record<string, any>;

function toOrder(r: Row): Order {
  return {
    orderId: r.order_id,
    customerEmail: r.customer_email,
    orderDate: r.order_date,
    amount: Number(r.amount),
    status: r.status,
    refundRequestedAt: r.refund_requested_at,
  };
}

const BATCH = 1000;

/** The orders store over `sql`. */
export function createPgOrders(sql: postgres.Sql): Orders {
  return {
    async get(orderId) {
      const r = await sql<Row[]>`SELECT * FROM orders
        WHERE order_key = ${orderKey(orderId)}`;
      return r[0] ? toOrder(r[0]) : null;
    },
    async importAll(orders) {
      assertValidOrders(orders);
      const byKey = new Map<string, Order>();
      for (const o of orders) byKey.set(orderKey(o.orderId), o);
      const rows = [...byKey.entries()].map(([k, o]) => ({
        order_key: k,
        order_id: o.orderId,
        customer_email: o.customerEmail,
        order_date: o.orderDate,
        amount: o.amount,
        status: o.status,
        refund_requested_at: o.refundRequestedAt,
      }));
      await sql.begin(async (tx) => {
        for (let i = 0; i < rows.length; i += BATCH) {
          await tx`INSERT INTO orders ${tx(rows.slice(i, i + BATCH))}
            ON CONFLICT (order_key) DO UPDATE SET
              order_id = EXCLUDED.order_id,
              customer_email = EXCLUDED.customer_email,
              order_date = EXCLUDED.order_date, amount = EXCLUDED.amount,
              status = EXCLUDED.status,
              refund_requested_at = EXCLUDED.refund_requested_at`;
        }
      });
      return rows.length;
    },
    async count() {
      const r = await sql<Row[]>`SELECT count(*)::int AS n FROM orders`;
      return r[0]!.n;
    },
    async markRefundRequested(orderId, at): Promise<MarkRefundResult> {
      const key = orderKey(orderId);
      const upd = await sql<Row[]>`UPDATE orders
        SET status = 'refund_requested', refund_requested_at = ${at}
        WHERE order_key = ${key} AND refund_requested_at IS NULL
          AND lower(btrim(status)) <> 'refunded'
        RETURNING *`;
      if (upd[0]) return { ok: true, order: toOrder(upd[0]) };
      const cur = await sql<Row[]>`SELECT refund_requested_at FROM orders
        WHERE order_key = ${key}`;
      if (!cur[0]) return { ok: false, reason: "not_found" };
      if (!cur[0].refund_requested_at) return { ok: false, reason: "refunded" };
      return {
        ok: false,
        reason: "already_requested",
        requestedAt: cur[0].refund_requested_at,
      };
    },
    async markRefunded(orderId): Promise<MarkRefundedResult> {
      const key = orderKey(orderId);
      const upd = await sql<Row[]>`UPDATE orders SET status = 'refunded'
        WHERE order_key = ${key} AND lower(btrim(status)) <> 'refunded'
        RETURNING *`;
      if (upd[0]) return { ok: true, order: toOrder(upd[0]) };
      const cur = await sql<Row[]>`SELECT * FROM orders
        WHERE order_key = ${key}`;
      if (!cur[0]) return { ok: false, reason: "not_found" };
      return { ok: false, reason: "already_refunded", order: toOrder(cur[0]) };
    },
  };
}
