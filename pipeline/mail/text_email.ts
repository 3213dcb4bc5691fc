/**
 * A ParsedEmail built from plain text, for what feeds the pipeline without a
 * raw message (the `eval answers` lines, tests, eval scripts). Fields not
 * given take neutral defaults.
 * @module
 */
import type { ParsedEmail } from "../types.ts";

/** A parsed email whose whole (clean) body is `text`. */
export function textEmail(
  text: string,
  over: Partial<ParsedEmail> = {},
): ParsedEmail {
  return {
    id: "m1",
    threadId: "t1",
    messageId: null,
    inReplyTo: null,
    references: [],
    from: { address: "jane@example.com", name: "Jane Doe" },
    replyTo: null,
    to: [],
    subject: "",
    date: null,
    headers: {},
    text,
    cleanText: text,
    truncated: false,
    attachments: [],
    labelIds: [],
    ...over,
  };
}
