/**
 * Lookup key of an order id, shared by both store backends.
 * @module
 */

/** Trimmed and upper-cased: order ids match case-blind. */
export function orderKey(orderId: string): string {
  return orderId.trim().toUpperCase();
}

/**
 * Throws a RangeError naming the first unusable order (empty id or email,
 * invalid date, amount not a finite number), before anything is written.
 */
export function assertValidOrders(
  orders: ReadonlyArray<{
    orderId: string;
    customerEmail: string;
    orderDate: Date;
    amount: number;
    status: string;
  }>,
): void {
  orders.forEach((o, i) => {
    const problem = o.orderId.trim() === ""
      ? "order_id is empty"
      : o.customerEmail.trim() === ""
      ? "customer_email is empty"
      : Number.isNaN(o.orderDate.getTime())
      ? "order_date is not a valid date"
      : !Number.isFinite(o.amount)
      ? "amount is not a finite number"
      : null;
    if (problem) {
      throw new RangeError(
        `Cannot import the orders as order ${
          i + 1
        } (${o.orderId}) is invalid: ${problem}`,
      );
    }
  });
}
