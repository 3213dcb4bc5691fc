/**
 * The sample orders of the fictional shop "Northwind Goods", loaded once on
 * the embedded default so the refund flow can be tried at once. The file's
 * dates are written as of 2026-11-24; they are shifted by whole days to the
 * current date, so "recent" orders stay recent whenever the demo runs.
 * @module
 */
import type { Logger } from "../pipeline/log.ts";
import type { Store } from "../pipeline/ports.ts";
import type { Order } from "../pipeline/types.ts";
import { parseOrdersFile } from "./orders_file.ts";

/** The day the sample file's dates are written relative to. */
export const SAMPLE_ANCHOR = new Date("2026-11-24T00:00:00.000Z");
const DAY = 24 * 60 * 60 * 1000;
const FILE = new URL("./sample_orders.csv", import.meta.url);

/** The sample orders with dates shifted to `now`. */
export async function readSampleOrders(now: Date): Promise<Order[]> {
  const r = parseOrdersFile(await Deno.readTextFile(FILE), "sample_orders.csv");
  if (!r.ok) {
    throw new Error(`The bundled sample orders are invalid: ${r.errors[0]}`);
  }
  const shift = Math.floor((now.getTime() - SAMPLE_ANCHOR.getTime()) / DAY) *
    DAY;
  return r.orders.map((o) => ({
    ...o,
    orderDate: new Date(o.orderDate.getTime() + shift),
  }));
}

/**
 * Loads the sample orders once per store (the `sample_orders` setup step),
 * never twice, even when orders were imported or changed since; a load
 * that failed is tried again at the next start. Returns the count
 * loaded now (0 when already done).
 */
export async function loadSampleOrders(
  store: Store,
  opts: { now: Date; logger: Logger },
): Promise<number> {
  const orders = await readSampleOrders(opts.now);
  if (!(await store.setup.claim("sample_orders", opts.now))) return 0;
  try {
    const n = await store.orders.importAll(orders);
    opts.logger.info("sample orders loaded", { count: n });
    return n;
  } catch (e) {
    await store.setup.fail("sample_orders");
    throw e;
  }
}
