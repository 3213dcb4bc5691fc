/**
 * The orders database on Deno KV. Imports write in atomic batches and roll
 * back the batches already written when a later one fails, so an import is
 * all or nothing. Marking a refund (requested, or refunded) is a
 * versionstamp-checked write.
 * @module
 */
import type {
  MarkRefundedResult,
  MarkRefundResult,
  Orders,
} from "../../pipeline/ports.ts";
import type { Order } from "../../pipeline/types.ts";
import { assertValidOrders, orderKey } from "../order_key.ts";
import { keys, retryAtomic } from "./keys.ts";

/** The status `markRefunded` sets. */
const REFUNDED = "refunded";
/** Whether the order's status is `refunded` (any case, as the policy reads it). */
function isRefunded(o: Order): boolean {
  return o.status.trim().toLowerCase() === REFUNDED;
}
/** Rows per atomic batch (Deno KV allows 100 checks per atomic write). */
const BATCH = 100;
/** Keys per getMany (Deno KV allows 10). */
const READ_BATCH = 10;

/** The orders store over `kv`. */
export function createKvOrders(kv: Deno.Kv): Orders {
  return {
    async get(orderId) {
      return (await kv.get<Order>(keys.order(orderKey(orderId)))).value;
    },
    async importAll(orders) {
      assertValidOrders(orders);
      const byKey = new Map<string, Order>();
      for (const o of orders) byKey.set(orderKey(o.orderId), o);
      const entries = [...byKey.entries()];
      const written: Array<Deno.KvEntryMaybe<Order>> = [];
      try {
        for (let i = 0; i < entries.length; i += BATCH) {
          const chunk = entries.slice(i, i + BATCH);
          const before: Array<Deno.KvEntryMaybe<Order>> = [];
          for (let j = 0; j < chunk.length; j += READ_BATCH) {
            before.push(
              ...await kv.getMany<Order[]>(
                chunk.slice(j, j + READ_BATCH).map(([k]) => keys.order(k)),
              ),
            );
          }
          const op = kv.atomic();
          for (const b of before) op.check(b);
          for (const [k, o] of chunk) op.set(keys.order(k), o);
          const res = await op.commit();
          if (!res.ok) {
            throw new Error(
              "Cannot import the orders as they changed during the import",
            );
          }
          written.push(...before);
        }
      } catch (e) {
        for (let i = 0; i < written.length; i += BATCH) {
          const op = kv.atomic();
          for (const b of written.slice(i, i + BATCH)) {
            if (b.value === null) op.delete(b.key);
            else op.set(b.key, b.value);
          }
          await op.commit();
        }
        throw e;
      }
      return entries.length;
    },
    async count() {
      let n = 0;
      for await (const _ of kv.list({ prefix: keys.ordersPrefix() })) n++;
      return n;
    },
    markRefundRequested(orderId, at) {
      const key = keys.order(orderKey(orderId));
      return retryAtomic<MarkRefundResult>("mark the refund", async () => {
        const cur = await kv.get<Order>(key);
        if (!cur.value) return { ok: false, reason: "not_found" };
        if (cur.value.refundRequestedAt) {
          return {
            ok: false,
            reason: "already_requested",
            requestedAt: cur.value.refundRequestedAt,
          };
        }
        if (isRefunded(cur.value)) return { ok: false, reason: "refunded" };
        const order: Order = {
          ...cur.value,
          status: "refund_requested",
          refundRequestedAt: at,
        };
        const res = await kv.atomic().check(cur).set(key, order).commit();
        return res.ok ? { ok: true, order } : undefined;
      });
    },
    markRefunded(orderId) {
      const key = keys.order(orderKey(orderId));
      return retryAtomic<MarkRefundedResult>(
        "mark the order refunded",
        async () => {
          const cur = await kv.get<Order>(key);
          if (!cur.value) return { ok: false, reason: "not_found" };
          if (isRefunded(cur.value)) {
            return { ok: false, reason: "already_refunded", order: cur.value };
          }
          const order: Order = { ...cur.value, status: REFUNDED };
          const res = await kv.atomic().check(cur).set(key, order).commit();
          return res.ok ? { ok: true, order } : undefined;
        },
      );
    },
  };
}
