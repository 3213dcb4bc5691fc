/**
 * CLI: `orders import FILE` and `orders get ORDER_ID`. Plain functions that
 * return values for main.ts to print, or throw a one-line AppError.
 * @module
 */
import { parseOrdersFile } from "../../db/orders_file.ts";
import { AppError } from "../../pipeline/errors.ts";
import type { Store } from "../../pipeline/ports.ts";
import type { Order } from "../../pipeline/types.ts";

/** An order as printed: dates as ISO strings. */
export interface OrderJson {
  order_id: string;
  customer_email: string;
  order_date: string;
  amount: number;
  status: string;
  refund_requested_at: string | null;
}

/** The printed form of an order. */
export function orderToJson(o: Order): OrderJson {
  return {
    order_id: o.orderId,
    customer_email: o.customerEmail,
    order_date: o.orderDate.toISOString(),
    amount: o.amount,
    status: o.status,
    refund_requested_at: o.refundRequestedAt?.toISOString() ?? null,
  };
}

/**
 * Validates every row of the file, then imports all of them (or none).
 * Throws AppError("invalid_input") naming the file or the bad line(s).
 */
export async function ordersImport(
  store: Store,
  path: string,
): Promise<{ imported: number }> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound
      ? "it does not exist"
      : e instanceof Deno.errors.PermissionDenied
      ? "permission was denied"
      : e instanceof Deno.errors.IsADirectory
      ? "it is a folder"
      : (e as Error).message;
    throw new AppError("invalid_input", `Cannot read ${path}: ${why}`, {
      cause: e,
    });
  }
  const name = path.split("/").pop() ?? path;
  const r = parseOrdersFile(text, name);
  if (!r.ok) {
    const more = r.errors.length > 1
      ? ` (and ${r.errors.length - 1} more problem${
        r.errors.length > 2 ? "s" : ""
      }: ${r.errors.slice(1, 4).join("; ")})`
      : "";
    throw new AppError(
      "invalid_input",
      `Cannot import ${name}, nothing was written: ${r.errors[0]}${more}`,
    );
  }
  return { imported: await store.orders.importAll(r.orders) };
}

/** The order with its current status; AppError("not_found") when unknown. */
export async function ordersGet(store: Store, id: string): Promise<OrderJson> {
  if (id.trim() === "") {
    throw new AppError("invalid_input", "orders get needs an ORDER_ID");
  }
  const o = await store.orders.get(id);
  if (!o) throw new AppError("not_found", `No order ${id.trim()} was found`);
  return orderToJson(o);
}
