/**
 * Auto-reply guards: machine mail (auto-replies, bounces, lists, bulk,
 * no-reply senders, our own mail) never gets an automatic answer, a From
 * naming two addresses goes to a person, and a sender, like any address
 * a reply goes to, gets at most a few automatic replies a day
 * (reply_cap.ts). Pure: no I/O.
 * @module
 */
import { overReplyCap } from "./reply_cap.ts";
import { fromHeaderIsAmbiguous } from "../refund/ownership.ts";
import type { ParsedEmail } from "../types.ts";

/** Machine-readable guard reasons. */
export type GuardReason =
  | "auto_submitted"
  | "bulk_precedence"
  | "mailing_list"
  | "auto_reply_header"
  | "bounce"
  | "noreply_sender"
  | "own_address"
  | "no_sender"
  /** The From header names more than one address: whose is it? */
  | "ambiguous_sender"
  | "rate_limited";

/** Why an email must not get an automatic reply. */
export interface GuardResult {
  reason: GuardReason;
  /** "ignore": machine mail, recorded only; "review": a person should look. */
  action: "ignore" | "review";
}

/** Context of the guards. */
export interface GuardContext {
  accountEmail: string;
  /** Auto replies already sent to messages from this sender in the last 24 h. */
  repliesToSenderLast24h: number;
  /**
   * Auto replies already addressed, in the last 24 h, to the most-mailed
   * address this reply could go to (From or Reply-To). Default 0.
   */
  repliesToRecipientLast24h?: number;
  maxRepliesPerSender: number;
}

/** Local parts of senders that never read replies. */
const NOREPLY_LOCAL =
  /^(mailer-daemon|mailerdaemon|postmaster|no[-_.]?reply|do[-_.]?not[-_.]?reply|dont[-_.]?reply|noreply[-_.+].*|no[-_.]?reply[-_.+].*|bounces?|bounce[-_.+].*|.*[-_.+]bounces?)$/i;

/** Subjects of delivery status notifications. */
const BOUNCE_SUBJECT =
  /^(undeliver(ed|able)|delivery (status notification|failure|has failed|incomplete)|mail delivery (failed|failure|subsystem)|returned mail|failure notice|non[- ]?delivery|delivery notification|warning: message delayed|message (not delivered|delayed)|undelivered mail returned)/i;

/** Subjects of out-of-office and other automatic replies (several languages). */
const AUTO_REPLY_SUBJECT =
  /^(automatic reply|auto(matic)?[- ]?(reply|response)|autoreply|auto:|out of (the )?office|abwesenheitsnotiz|automatische antwort|réponse automatique|respuesta automática|risposta automatica|automatyczna odpowied|resposta automática|automatisch antwoord|autosvar)/i;

/** Returns why this email must not be auto-answered, or null. */
export function checkGuards(
  email: ParsedEmail,
  ctx: GuardContext,
): GuardResult | null {
  const h = email.headers;
  const ignore = (reason: GuardReason): GuardResult => ({
    reason,
    action: "ignore",
  });
  const sender = email.from?.address.trim().toLowerCase() ?? "";
  const local = sender.split("@")[0] ?? "";

  if (sender !== "" && sender === ctx.accountEmail.trim().toLowerCase()) {
    return ignore("own_address");
  }
  if (isBounce(email, local)) return ignore("bounce");
  const autoSubmitted = headerToken(h["auto-submitted"]);
  if (autoSubmitted !== null && autoSubmitted !== "no") {
    return ignore("auto_submitted");
  }
  if ("x-autoreply" in h || "x-autorespond" in h || "x-autoresponder" in h) {
    return ignore("auto_reply_header");
  }
  if (AUTO_REPLY_SUBJECT.test(email.subject.trim())) {
    return ignore("auto_reply_header");
  }
  const precedence = headerToken(h["precedence"]);
  if (
    precedence === "bulk" || precedence === "list" || precedence === "junk"
  ) {
    return ignore("bulk_precedence");
  }
  if ("list-id" in h || "list-unsubscribe" in h) return ignore("mailing_list");
  if (sender === "") return ignore("no_sender");
  if (NOREPLY_LOCAL.test(local)) return ignore("noreply_sender");
  if (isNullReturnPath(h["return-path"])) return ignore("auto_reply_header");
  // Replying would mail an address the sender may not own, and would count
  // against its owner: a person decides.
  if (fromHeaderIsAmbiguous(h["from"])) {
    return { reason: "ambiguous_sender", action: "review" };
  }
  const counts = {
    bySender: ctx.repliesToSenderLast24h,
    byRecipient: ctx.repliesToRecipientLast24h ?? 0,
  };
  if (overReplyCap(counts, ctx.maxRepliesPerSender)) {
    return { reason: "rate_limited", action: "review" };
  }
  return null;
}

/** A delivery status notification (DSN, NDR, ARF report, delay warning). */
function isBounce(email: ParsedEmail, local: string): boolean {
  const ct = (email.headers["content-type"] ?? "").toLowerCase();
  if (ct.startsWith("multipart/report")) return true;
  if (
    email.attachments.some((a) =>
      /^message\/(delivery-status|disposition-notification|feedback-report)$/i
        .test(a.mimeType)
    )
  ) return true;
  if ("x-failed-recipients" in email.headers) return true;
  const daemon = /^(mailer-daemon|mailerdaemon|postmaster)$/i.test(local);
  return daemon || BOUNCE_SUBJECT.test(email.subject.trim()) &&
      isNullReturnPath(email.headers["return-path"]);
}

/** `Return-Path: <>`: the null sender of bounces and auto-replies. */
function isNullReturnPath(v: string | undefined): boolean {
  if (v === undefined) return false;
  // Repeated headers are joined with ", "; any null one counts.
  return v.split(",").some((p) => p.trim() === "<>");
}

/** The first token of a header value, lower-cased, or null when absent. */
function headerToken(v: string | undefined): string | null {
  if (v === undefined) return null;
  const t = v.split(/[;,\s]/)[0]?.trim().toLowerCase() ?? "";
  return t === "" ? null : t;
}
