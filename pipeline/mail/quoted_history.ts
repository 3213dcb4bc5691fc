/**
 * Where quoted history starts in a reply written above it: "On … wrote:",
 * Outlook's "From: … Sent: …" block, "-----Original Message-----", a
 * forwarded message, and their French, Spanish and German forms. Pure.
 * @module
 */

/** Lines that start the quoted history of a reply. */
const QUOTE_START: readonly RegExp[] = [
  /^On .{4,200}wrote:\s*$/im,
  /^-{2,}\s*Original Message\s*-{2,}/im,
  /^-{5,}\s*Forwarded message/im,
  /^(?:\*\*)?From:(?:\*\*)?\s.+\n(?:.*\n){0,3}?(?:\*\*)?(?:Sent|Date):/im,
  /^Le .{4,200}a écrit\s*:/im,
  /^El .{4,200}escribió\s*:/im,
  /^Am .{4,200}schrieb/im,
];

/**
 * The text before its quoted history, less any separator line (`-----`,
 * `_____`) left at its end. Text that starts with the history is kept whole
 * (a forwarded message is all "quote").
 */
export function cutQuotedHistory(text: string): string {
  let out = text;
  for (const re of QUOTE_START) {
    const m = re.exec(out);
    if (m && m.index > 0) out = out.slice(0, m.index);
  }
  // A separator line left at the end (the history under it was cut here or
  // by the reply parser) is no text of the customer's.
  const cut = out.replace(/(?:\n\s*[-_=*]{5,}[ \t]*)+\s*$/, "");
  return cut === text ? text : cut.trimEnd();
}
