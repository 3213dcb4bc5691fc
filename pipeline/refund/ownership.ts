/**
 * Who owns an order: only the From address counts. Pure.
 *
 * Policy:
 * - addresses are compared after trimming, dropping surrounding `<>` and
 *   lower-casing the whole address;
 * - `+tag` sub-addresses are NOT folded: `alice+shop@x.test` does not own
 *   `alice@x.test`'s order, nor the reverse. Sub-addressing is a per-provider
 *   convention, so folding it could hand an order to a different mailbox;
 *   a customer who wrote from a tagged address gets the neutral reply and
 *   can write from the address on the order;
 * - the display name and Reply-To never prove anything;
 * - a From header that names more than one address (two mailboxes, an
 *   address hidden in an unquoted display name, a repeated From header) is
 *   ambiguous and proves nothing;
 * - a message whose Authentication-Results say `dmarc=fail` proves nothing.
 * @module
 */
import type { ParsedEmail } from "../types.ts";

/** The comparable form of an email address ("" when there is none). */
export function normaliseAddress(address: string | null | undefined): string {
  if (!address) return "";
  return address.trim().replace(/^<(.*)>$/, "$1").trim().toLowerCase();
}

/** True when the raw From header names more than one address. */
export function fromHeaderIsAmbiguous(rawFrom: string | undefined): boolean {
  if (rawFrom === undefined) return false;
  const bare = rawFrom
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\((?:[^()\\]|\\.)*\)/g, "");
  return (bare.match(/@/g) ?? []).length > 1;
}

/** The sender address that counts for ownership, or "" when none does. */
export function verifiedSender(email: ParsedEmail): string {
  const addr = normaliseAddress(email.from?.address);
  if (!addr || !/^[^@\s]+@[^@\s]+$/.test(addr)) return "";
  if (fromHeaderIsAmbiguous(email.headers["from"])) return "";
  const auth = email.headers["authentication-results"] ?? "";
  if (/\bdmarc=fail\b/i.test(auth)) return "";
  return addr;
}

/** True when the email's sender owns an order placed by `customerEmail`. */
export function senderOwnsOrder(
  email: ParsedEmail,
  customerEmail: string,
): boolean {
  const sender = verifiedSender(email);
  return sender !== "" && sender === normaliseAddress(customerEmail);
}
