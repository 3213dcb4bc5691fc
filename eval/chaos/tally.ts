/**
 * The two promises counted after a scenario, from what Gmail holds and what
 * the agent recorded (pure: no I/O).
 *
 * - A **duplicate** is a second (third, …) agent message, sent or left as a
 *   draft, that answers the same customer email: two outbound messages with
 *   the same In-Reply-To.
 * - A customer email is **lost** when, after the scenario and its recovery
 *   polls, it has no agent reply (sent or draft) AND the agent's ledger
 *   does not record it as finished (`done`) with a decision that needs no
 *   reply (`review`, `ignore`) or with a review-queue item. So an email the
 *   ledger says was replied to but that has no reply in Gmail is lost, and
 *   so is one still claimed or never seen when recovery ends.
 * - A **reply to a review** is an agent reply to an email the ledger
 *   records as `review` (a person was meant to answer it).
 * @module
 */

/** A customer email the scenario delivered. */
export interface Delivered {
  gmailId: string;
  /** Its Message-ID header, with angle brackets. */
  messageId: string;
}

/** What the agent's store says about one email. */
export interface Recorded {
  state: string;
  action: string | null;
  /** A review-queue item exists for it. */
  inReview: boolean;
}

/** The counts of one scenario. */
export interface Tally {
  delivered: number;
  /** Agent messages (sent + drafts) answering a delivered email. */
  replies: number;
  /** Agent messages beyond the first per answered email. */
  duplicates: number;
  /** Delivered emails with at least one agent reply. */
  answered: number;
  /** Delivered emails recorded as review/ignore, with no reply. */
  recorded: number;
  lost: number;
  /** Up to 10 lost Gmail ids with why, for the report. */
  lostExamples: string[];
  repliedToReview: number;
  /** Agent messages whose In-Reply-To names no delivered email. */
  stray: number;
}

const NO_REPLY_NEEDED = new Set(["review", "ignore"]);

/** Reads the In-Reply-To header of an RFC 822 text (null when absent). */
export function inReplyTo(rfc822: string): string | null {
  const head = rfc822.split(/\r?\n\r?\n/, 1)[0] ?? "";
  const unfolded = head.replace(/\r?\n[ \t]+/g, " ");
  const m = unfolded.match(/^in-reply-to:\s*(.+)$/im);
  return m ? m[1]!.trim() : null;
}

/** Counts duplicates and losses (see the module doc for the definitions). */
export function tally(
  delivered: readonly Delivered[],
  outboundInReplyTo: readonly (string | null)[],
  recorded: ReadonlyMap<string, Recorded>,
): Tally {
  const perTarget = new Map<string, number>();
  for (const irt of outboundInReplyTo) {
    const k = irt ?? "";
    perTarget.set(k, (perTarget.get(k) ?? 0) + 1);
  }
  const known = new Set(delivered.map((d) => d.messageId));
  let stray = 0;
  for (const [k, n] of perTarget) if (!known.has(k)) stray += n;
  let replies = 0, duplicates = 0, answered = 0, recordedN = 0, lost = 0;
  let repliedToReview = 0;
  const lostExamples: string[] = [];
  for (const d of delivered) {
    const n = perTarget.get(d.messageId) ?? 0;
    const r = recorded.get(d.gmailId);
    replies += n;
    if (n > 0) {
      answered++;
      duplicates += n - 1;
      if (r?.action === "review") repliedToReview++;
      continue;
    }
    const finishedWithoutReply = r?.state === "done" &&
      ((r.action !== null && NO_REPLY_NEEDED.has(r.action)) || r.inReview);
    if (finishedWithoutReply) {
      recordedN++;
      continue;
    }
    lost++;
    if (lostExamples.length < 10) {
      lostExamples.push(
        `${d.gmailId} (${
          r ? `ledger ${r.state}/${r.action ?? "no decision"}` : "not in ledger"
        })`,
      );
    }
  }
  return {
    delivered: delivered.length,
    replies,
    duplicates,
    answered,
    recorded: recordedN,
    lost,
    lostExamples,
    repliedToReview,
    stray,
  };
}
