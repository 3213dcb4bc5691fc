/**
 * The numbers of the Overview: emails per day by outcome over the last
 * days, the automation rate and the median time to first response. Pure:
 * the caller passes the activity and the review items of the window.
 *
 * Outcomes: "answered" (a reply or draft on a question), "refund" (a reply
 * or draft of the refund flow), "review" (handed to a person), "ignored"
 * (machine mail). The agent's own sent mail is not an email to count.
 * The automation rate is the share of emails not ignored that the agent
 * answered itself (answered + refund). Time to first response: for an
 * agent reply, from when the agent picked the email up to its reply; for
 * an email handed to a person, from the review item to its resolution.
 * @module
 */
import type { LedgerEntry, ReviewItem } from "../types.ts";

/** What happened to an email. */
export type Outcome = "answered" | "refund" | "review" | "ignored";

/** The outcomes, in chart order. */
export const OUTCOMES: readonly Outcome[] = [
  "answered",
  "refund",
  "review",
  "ignored",
];

/** One day of the chart (UTC). */
export interface DayCounts {
  /** YYYY-MM-DD (UTC). */
  day: string;
  counts: Record<Outcome, number>;
  /** Automated share of the day's emails not ignored, or null with none. */
  automationRate: number | null;
}

/** The Overview numbers. */
export interface OverviewStats {
  days: DayCounts[];
  total: Record<Outcome, number>;
  automationRate: number | null;
  /** Median minutes to a first response, or null with none yet. */
  medianFirstResponseMinutes: number | null;
  /** How many responses the median is over. */
  responses: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The outcome of a ledger entry, or null when it is not a customer email. */
export function outcomeOf(e: LedgerEntry): Outcome | null {
  const d = e.decision;
  if (!d || d.reason === "own_address") return null;
  if (d.action === "ignore") return "ignored";
  if (d.action === "review") return "review";
  return d.category === "Refund" ? "refund" : "answered";
}

/** Computes the Overview over the `days` UTC days ending today. */
export function overviewStats(
  input: { entries: LedgerEntry[]; reviewItems: ReviewItem[] },
  opts: { now: Date; days: number },
): OverviewStats {
  const today = Date.UTC(
    opts.now.getUTCFullYear(),
    opts.now.getUTCMonth(),
    opts.now.getUTCDate(),
  );
  const start = today - (opts.days - 1) * DAY_MS;
  const zero = (): Record<Outcome, number> => ({
    answered: 0,
    refund: 0,
    review: 0,
    ignored: 0,
  });
  const days: DayCounts[] = Array.from({ length: opts.days }, (_, i) => ({
    day: new Date(start + i * DAY_MS).toISOString().slice(0, 10),
    counts: zero(),
    automationRate: null,
  }));
  const total = zero();
  const waits: number[] = [];
  for (const e of input.entries) {
    const t = e.claimedAt.getTime();
    if (t < start || t >= today + DAY_MS) continue;
    const o = outcomeOf(e);
    if (!o) continue;
    days[Math.floor((t - start) / DAY_MS)]!.counts[o]++;
    total[o]++;
    const sent = e.state === "sent" || e.state === "done";
    if ((o === "answered" || o === "refund") && sent && !e.error) {
      waits.push(e.updatedAt.getTime() - t);
    }
  }
  for (const i of input.reviewItems) {
    const t = i.createdAt.getTime();
    if (t < start || t >= today + DAY_MS || i.status !== "resolved") continue;
    waits.push(i.updatedAt.getTime() - t);
  }
  for (const d of days) d.automationRate = rate(d.counts);
  return {
    days,
    total,
    automationRate: rate(total),
    medianFirstResponseMinutes: waits.length > 0
      ? median(waits) / 60_000
      : null,
    responses: waits.length,
  };
}

function rate(c: Record<Outcome, number>): number | null {
  const handled = c.answered + c.refund + c.review;
  return handled > 0 ? (c.answered + c.refund) / handled : null;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
