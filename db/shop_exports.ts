/**
 * Order exports of the common shop platforms, read into the agent's rows
 * (`order_id,customer_email,order_date,amount,status`), and their status
 * words mapped to the agent's:
 *
 * - Shopify (Orders → Export): `Name` (#1001), `Email`, `Created at`,
 *   `Total`, `Financial Status`, `Fulfillment Status`; one row per line
 *   item, the order's fields on its first row only.
 * - WooCommerce (order CSV exports): `Order ID` or `Order Number`,
 *   `Billing Email` (or `Billing Email Address`, `Customer Email`),
 *   `Order Date`, `Order Total` (or `Order Total Amount`), `Order Status`.
 * @module
 */

/** Which export a CSV header is. */
export type ExportKind = "agent" | "shopify" | "woocommerce";

/** A raw row: column name (lower-cased) → field. */
type Fields = Record<string, string | undefined>;

const pick = (f: Fields, names: string[]): string =>
  names.map((n) => f[n]?.trim() ?? "").find((v) => v !== "") ?? "";

const WOO_ID = ["order id", "order number", "order_id", "order_number"];
const WOO_EMAIL = [
  "billing email",
  "billing email address",
  "customer email",
  "billing_email",
];
const WOO_DATE = ["order date", "date created", "order_date", "date"];
const WOO_TOTAL = ["order total", "order total amount", "order_total", "total"];
const WOO_STATUS = ["order status", "status"];

/** The export a header (lower-cased names) comes from. */
export function exportKind(names: string[]): ExportKind | null {
  const has = (n: string) => names.includes(n);
  const any = (ns: string[]) => ns.some(has);
  if (
    ["order_id", "customer_email", "order_date", "amount", "status"].every(has)
  ) return "agent";
  if (
    has("name") && has("email") && has("created at") &&
    (has("financial status") || has("fulfillment status"))
  ) return "shopify";
  if (
    any(WOO_ID) && any(WOO_EMAIL) && any(WOO_DATE) && any(WOO_TOTAL) &&
    any(WOO_STATUS)
  ) return "woocommerce";
  return null;
}

/**
 * A platform's status words in the agent's vocabulary: `delivered` and
 * `shipped` can be refunded by default; the others name why not.
 */
const STATUS_WORDS: Record<string, string> = {
  // WooCommerce
  completed: "delivered",
  processing: "processing",
  "on-hold": "on_hold",
  pending: "pending",
  "pending payment": "pending",
  cancelled: "cancelled",
  refunded: "refunded",
  failed: "failed",
  // Shopify fulfilment and payment
  fulfilled: "shipped",
  shipped: "shipped",
  delivered: "delivered",
  partial: "processing",
  unfulfilled: "processing",
  paid: "processing",
  authorized: "processing",
  partially_refunded: "partially_refunded",
  voided: "cancelled",
};

/** The agent's status word for a platform's (unknown words are kept). */
export function mapStatus(word: string): string {
  const w = word.trim().toLowerCase().replace(/^wc-/, "");
  return STATUS_WORDS[w] ?? w;
}

/** Shopify's status of an order from its payment and fulfilment columns. */
function shopifyStatus(f: Fields): string {
  const paid = (f["financial status"] ?? "").trim().toLowerCase();
  const shipped = (f["fulfillment status"] ?? "").trim().toLowerCase();
  if (
    paid === "refunded" || paid === "voided" || paid === "partially_refunded"
  ) {
    return mapStatus(paid);
  }
  return mapStatus(shipped || paid || "pending");
}

/** A money field without currency signs or thousands separators. */
function money(s: string): string {
  return s.replace(/[^\d.,-]/g, "").replace(/,(?=\d{3}\b)/g, "").replace(
    ",",
    ".",
  );
}

/** A platform date (`2024-01-15 10:23:45 -0500`) as ISO 8601, or as written. */
function isoDate(s: string): string {
  const m =
    /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)\s*([+-]\d{2}):?(\d{2})$/
      .exec(s.trim());
  return m ? `${m[1]}T${m[2]}${m[3]}:${m[4]}` : s.trim();
}

/**
 * The agent's rows of an export, in file order; `null` for a row that
 * continues the order above it (a Shopify line item).
 */
export function toAgentRow(
  kind: ExportKind,
  f: Fields,
): Record<string, string> | null {
  if (kind === "agent") return f as Record<string, string>;
  if (kind === "shopify") {
    // Line-item rows after the first carry no email or total.
    if (!f.email?.trim() && !f.total?.trim()) return null;
    return {
      order_id: (f.name ?? "").trim().replace(/^#/, ""),
      customer_email: (f.email ?? "").trim(),
      order_date: isoDate(f["created at"] ?? ""),
      amount: money(f.total ?? ""),
      status: shopifyStatus(f),
    };
  }
  return {
    order_id: pick(f, WOO_ID).replace(/^#/, ""),
    customer_email: pick(f, WOO_EMAIL),
    order_date: isoDate(pick(f, WOO_DATE)),
    amount: money(pick(f, WOO_TOTAL)),
    status: mapStatus(pick(f, WOO_STATUS)),
  };
}
