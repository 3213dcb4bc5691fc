/**
 * buildMime gives the bytes nodemailer's own `build()` gives, byte for
 * byte, for replies of every shape (quoted-printable and 7bit texts,
 * trailing blanks, bare CR and LF, long lines, non-ASCII names and
 * subjects, an empty text), and builds a one-part text without nodemailer's
 * streams.
 */
import assert from "node:assert/strict";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import {
  buildMime,
  type ComposedNode,
} from "../../pipeline/mail/build_mime.ts";

const PIECES = [
  "a",
  "word ",
  " ",
  "\t",
  "\n",
  "\r\n",
  "\r",
  "é",
  "–",
  "😀",
  "=",
  ".",
  ",",
  "x".repeat(80),
  "  ",
  "中文",
  "\u00a0",
  "?",
  "From ",
  "-- \n",
];

/** A reply's options, as composeReply passes them, with `text`. */
function mail(text: string, i: number) {
  return {
    from: "support@shop.example",
    to: i % 3
      ? { name: `Zoë Ünïcode ${i}`, address: "z@example.net" }
      : "c@example.net",
    subject: i % 2 ? `Re: Question ${"é".repeat(i % 50)}` : "Re: x",
    text,
    textEncoding: "quoted-printable" as const,
    messageId: "<agent-1@shop.example>",
    date: new Date(0),
    inReplyTo: "<m@example.net>",
    references: ["<m@example.net>"],
    headers: i % 2 ? { "Auto-Submitted": "auto-replied" } : {},
  };
}

Deno.test("buildMime: the same bytes as nodemailer's build() for 600 generated replies, most without its streams", async () => {
  let seed = 1;
  const rnd = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  let streamed = 0;
  const encodings = new Set<string>();
  for (let i = 0; i < 600; i++) {
    const len = i < 3 ? [0, 1, 3000][i]! : Math.floor(rnd() * (i % 7 ? 60 : 6));
    let text = "";
    for (let k = 0; k < len; k++) {
      text += PIECES[Math.floor(rnd() * PIECES.length)];
    }
    const expected = new Uint8Array(
      await new MailComposer(mail(text, i)).compile().build(),
    );
    const node = new MailComposer(mail(text, i)).compile() as ComposedNode;
    const build = node.build.bind(node);
    node.build = () => {
      streamed++;
      return build();
    };
    const got = await buildMime(node);
    encodings.add(String(node.getTransferEncoding()));
    assert.deepEqual(got, expected, `reply ${i}: ${JSON.stringify(text)}`);
  }
  assert.deepEqual([...encodings].sort(), [
    "7bit",
    "false",
    "quoted-printable",
  ]);
  // Only the empty texts (no transfer encoding) go through build().
  assert.ok(streamed > 0 && streamed < 60, `${streamed} streamed`);
});
