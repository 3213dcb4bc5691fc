/**
 * Cleans an email for classification: HTML tags and entities out, quoted
 * history (`>` lines, "On … wrote:", forwarded headers) and `-- `
 * signatures cut, whitespace folded.
 * @module
 */
import { withoutReplyPrefixes } from "../mail/reply_subject.ts";
import { cutQuotedHistory } from "../mail/quoted_history.ts";

/** The text the classifier reads: subject and the new part of the body. */
export function cleanForClassify(subject: string, body: string): string {
  let b = body.replace(/\r\n?/g, "\n");
  if (/<[a-z][\s\S]*>/i.test(b)) {
    b = b.replace(/<(br|\/p|\/div|\/li|\/h\d)\s*\/?>/gi, "\n").replace(
      /<[^>]+>/g,
      " ",
    )
      .replace(/&nbsp;/g, " ").replace(/&amp;/g, "&").replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&#39;|&apos;/g, "'").replace(/&quot;/g, '"');
  }
  b = cutQuotedHistory(b);
  b = b.split("\n").filter((l) => !/^\s*>/.test(l)).join("\n");
  const sig = b.search(/^-- ?$/m);
  if (sig > 0) b = b.slice(0, sig);
  const subj = withoutReplyPrefixes(subject);
  return `${subj}\n${b}`.replace(/[ \t]+/g, " ").replace(/\n{2,}/g, "\n")
    .trim();
}
