/**
 * Lookup key of an order id, shared by both store backends.
 * @module
 */

/** Trimmed and upper-cased: order ids match case-blind. */
export function orderKey(orderId: string): string {
  return orderId.trim().toUpperCase();
}
