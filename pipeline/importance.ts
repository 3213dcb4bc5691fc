/**
 * PLACEHOLDER (owned by the refunds work): importance 1-5 with reasons.
 * @module
 */

/** Input of `scoreImportance`. */
export interface ImportanceInput {
  subject: string;
  body: string;
  senderAddress: string;
  vipSenders: string[];
  /** Messages from this sender in the last 7 days, before this one. */
  priorFromSender: number;
}

/** Scores an email's importance from word-boundary signals. */
export function scoreImportance(
  input: ImportanceInput,
): { score: number; reasons: string[] } {
  void input;
  return { score: 3, reasons: [] };
}
