/**
 * The new part of an email body, for the AI: quoted replies and signatures
 * stripped with email-reply-parser and the history blocks it does not know
 * (`quoted_history.ts`), then cut to a bounded size. The whole
 * text stays in `ParsedEmail.text`.
 * @module
 */
import EmailReplyParser from "email-reply-parser";
import { cutQuotedHistory } from "./quoted_history.ts";

/** Default longest cleaned body, in characters. */
export const DEFAULT_MAX_CLEAN_CHARS = 8000;

/** Options of `cleanBody`. */
export interface CleanOptions {
  /** Longest result, in characters. Default 8,000. */
  maxChars?: number;
}

/** The cleaned body and whether it was cut. */
export interface CleanResult {
  text: string;
  truncated: boolean;
}

/** Strips quotes and signatures, collapses blank runs, and cuts long text. */
export function cleanBody(text: string, opts: CleanOptions = {}): CleanResult {
  const max = opts.maxChars ?? DEFAULT_MAX_CLEAN_CHARS;
  if (!Number.isInteger(max) || max <= 0) {
    throw new RangeError(
      `Cannot clean a body as 'maxChars' must be a positive integer: current value is ${max}`,
    );
  }
  const normalised = text.replace(/\r\n?/g, "\n");
  // The parser is regex-heavy: give it a bounded input so huge bodies stay cheap.
  const head = normalised.slice(0, max * 4);
  // Outlook's "From: … Sent: …" block under a line is history too; the
  // parser knows only "On … wrote:" and ">" lines.
  let visible = cutQuotedHistory(stripReply(head));
  // A body that is all "quote" (e.g. a forwarded message) keeps its text.
  if (visible.trim() === "") visible = head;
  visible = visible.replace(/[ \t]+\n/g, "\n").replace(/\n{3,}/g, "\n\n")
    .trim();
  // When the head was cut and stripping still shortened it, the rest is quote.
  if (visible.length <= max) return { text: visible, truncated: false };
  return { text: cutAtBoundary(visible, max), truncated: true };
}

function stripReply(text: string): string {
  try {
    return new EmailReplyParser().parseReply(text);
  } catch {
    return text;
  }
}

/** Cuts at the last whitespace before `max` when there is one nearby. */
function cutAtBoundary(s: string, max: number): string {
  const cut = s.slice(0, max);
  const ws = cut.search(/\s\S*$/);
  return (ws > max * 0.8 ? cut.slice(0, ws) : cut).trimEnd();
}
