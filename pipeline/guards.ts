/**
 * PLACEHOLDER (owned by the Gmail work): auto-reply guards.
 * @module
 */
import type { ParsedEmail } from "./types.ts";

/** Why an email must not get an automatic reply. */
export interface GuardResult {
  reason: string;
  /** "ignore": machine mail, recorded only; "review": a person should look. */
  action: "ignore" | "review";
}

/** Context of the guards. */
export interface GuardContext {
  accountEmail: string;
  /** Auto replies already sent to this sender in the last 24 h. */
  repliesToSenderLast24h: number;
  maxRepliesPerSender: number;
}

/** Returns why this email must not be auto-answered, or null. */
export function checkGuards(
  email: ParsedEmail,
  ctx: GuardContext,
): GuardResult | null {
  void email;
  void ctx;
  return null;
}
