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
 * - a From address that Gmail did not authenticate proves nothing: the
 *   topmost `Authentication-Results` (from `mx.google.com`) must show DMARC
 *   pass, or an aligned DKIM or SPF pass (sender_auth.ts).
 * @module
 */
import type { ParsedEmail } from "../types.ts";
import { checkSenderAuth, type SenderAuth } from "./sender_auth.ts";

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

/** Whether Gmail authenticated the email's From address. */
export function senderAuthOf(email: ParsedEmail): SenderAuth {
  return checkSenderAuth({
    fromAddress: normaliseAddress(email.from?.address),
    fromAmbiguous: fromHeaderIsAmbiguous(email.headers["from"]),
    authenticationResults: email.authenticationResults ?? [],
  });
}

/** The sender address that counts for ownership, or "" when none does. */
export function verifiedSender(email: ParsedEmail): string {
  const addr = normaliseAddress(email.from?.address);
  if (!addr || !/^[^@\s]+@[^@\s]+$/.test(addr)) return "";
  return senderAuthOf(email).ok ? addr : "";
}

/** True when the email's sender owns an order placed by `customerEmail`. */
export function senderOwnsOrder(
  email: ParsedEmail,
  customerEmail: string,
): boolean {
  const sender = verifiedSender(email);
  return sender !== "" && sender === normaliseAddress(customerEmail);
}
