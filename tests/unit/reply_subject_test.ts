/**
 * The reply subject rule, as a property over generated subjects: reply
 * prefixes of many languages (and repeated, numbered, spaced variants),
 * encoded words, mixed scripts, emoji, empty and very long subjects. The
 * reply's subject is always the original with at most `Re: ` added, and it
 * survives composing and parsing (RFC 2047, folded lines of ≤ 78 chars).
 */
import assert from "node:assert/strict";
import { composeReply } from "../../pipeline/mail/compose_reply.ts";
import { parseEmail } from "../../pipeline/mail/parse_email.ts";
import {
  hasReplyPrefix,
  replySubject,
  SUBJECT_MAX_CHARS,
  withoutReplyPrefixes,
} from "../../pipeline/mail/reply_subject.ts";

const PREFIXES = [
  "Re:",
  "RE:",
  "re:",
  "Re :",
  "Re[2]:",
  "Re(3):",
  "AW:",
  "Aw:",
  "SV:",
  "Sv:",
  "Antw:",
  "VS:",
  "Vs:",
  "Odp:",
  "YNT:",
  "Atb:",
  "Vá:",
  "R:",
  "RIF:",
  "RES:",
  "Réf:",
  "Ref:",
  "Отв:",
  "Ответ:",
  "Σχετ:",
  "השב:",
  "رد:",
  "回复:",
  "回覆：",
  "答复:",
  "返信:",
  "답장:",
  "Odg:",
];
const NOT_REPLY = [
  "Fwd:",
  "FW:",
  "WG:",
  "TR:",
  "Enc:",
  "RV:",
  "Refund:",
  "Reply",
];
const WORDS = [
  "Order",
  "status",
  "Rückerstattung",
  "commande",
  "égarée",
  "заказ",
  "訂單",
  "注文",
  "주문",
  "طلب",
  "🚚",
  "ORD10001",
  "=?UTF-8?B?SGk=?=",
  "  ",
  "Re",
  "-",
  "[ticket #42]",
];

/** A small seeded PRNG (mulberry32), so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(r: () => number, xs: T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function genSubject(r: () => number): string {
  const parts: string[] = [];
  const nPrefix = Math.floor(r() * 3);
  for (let i = 0; i < nPrefix; i++) {
    parts.push(pick(r, r() < 0.8 ? PREFIXES : NOT_REPLY));
  }
  const nWords = Math.floor(r() * 6);
  for (let i = 0; i < nWords; i++) parts.push(pick(r, WORDS));
  return (r() < 0.2 ? " " : "") + parts.join(r() < 0.5 ? " " : "  ");
}

Deno.test("replySubject(): over 5,000 generated subjects the original is kept and only 'Re: ' is ever added", () => {
  const r = rng(13);
  for (let i = 0; i < 5000; i++) {
    const s = genSubject(r);
    const out = replySubject(s);
    if (s === "") {
      assert.equal(out, "Re:");
      continue;
    }
    const expected = hasReplyPrefix(s) ? s : `Re: ${s}`;
    assert.equal(out, expected, `subject ${JSON.stringify(s)}`);
    assert.ok(out.endsWith(s), "nothing is removed");
    assert.equal(replySubject(out), out, "a reply to the reply keeps it");
  }
});

Deno.test("replySubject(): every language's reply prefix is recognised and kept; forwards and look-alikes get 'Re: '", () => {
  for (const p of PREFIXES) {
    assert.equal(replySubject(`${p} Order 7`), `${p} Order 7`, p);
  }
  for (const p of NOT_REPLY) {
    assert.equal(replySubject(`${p} Order 7`), `Re: ${p} Order 7`, p);
  }
});

Deno.test("replySubject(): a subject beyond the hard cap is cut there, code points kept whole", () => {
  const long = "🚚".repeat(SUBJECT_MAX_CHARS + 50);
  const out = replySubject(long);
  assert.equal(out, `Re: ${"🚚".repeat(SUBJECT_MAX_CHARS)}`);
  const exact = "x".repeat(SUBJECT_MAX_CHARS);
  assert.equal(replySubject(exact), `Re: ${exact}`);
});

const enc = new TextEncoder();

function encodeHeader(subject: string, how: number): string {
  const b64 = (s: string) => btoa(String.fromCharCode(...enc.encode(s)));
  if (how === 0) return subject; // raw UTF-8 (8-bit header, as some clients send)
  if (how === 1) return `=?UTF-8?B?${b64(subject)}?=`;
  // Q encoding, split in two encoded words.
  const q = (s: string) =>
    Array.from(
      enc.encode(s),
      (b) =>
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) ||
          (b >= 0x61 && b <= 0x7a)
          ? String.fromCharCode(b)
          : "=" + b.toString(16).toUpperCase().padStart(2, "0"),
    ).join("");
  const mid = Math.floor(Array.from(subject).length / 2);
  const chars = Array.from(subject);
  return `=?UTF-8?Q?${q(chars.slice(0, mid).join(""))}?= =?UTF-8?Q?${
    q(chars.slice(mid).join(""))
  }?=`;
}

async function roundTrip(subjectHeader: string) {
  const raw = enc.encode(
    `From: Cust <cust@example.net>\r\nTo: support@shop.example\r\nSubject: ${subjectHeader}\r\nMessage-ID: <m@example.net>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHi\r\n`,
  );
  const original = await parseEmail(raw, {
    id: "g1",
    threadId: "t1",
    labelIds: ["INBOX"],
  });
  const reply = await composeReply({
    account: { id: "acc", email: "support@shop.example" },
    original,
    text: "Hello",
    now: new Date("2026-11-30T10:00:00Z"),
    autoSubmitted: true,
  });
  const head = new TextDecoder("latin1").decode(reply.raw).split(
    "\r\n\r\n",
  )[0]!;
  const parsed = await parseEmail(reply.raw, {
    id: "r",
    threadId: "t1",
    labelIds: [],
  });
  return { original, parsed, head };
}

Deno.test("composeReply(): over generated encoded subjects the reply decodes to replySubject(original), every header line ≤ 78 chars", async () => {
  const r = rng(2047);
  for (let i = 0; i < 150; i++) {
    const s = genSubject(r).trim();
    if (s === "") continue;
    const { original, parsed, head } = await roundTrip(encodeHeader(s, i % 3));
    assert.equal(parsed.subject, replySubject(original.subject), `case ${i}`);
    for (const line of head.split("\r\n")) {
      assert.ok(
        line.length <= 78,
        `line of ${line.length}: ${line.slice(0, 40)}`,
      );
    }
  }
});

Deno.test("composeReply(): a 20,000-character subject gives a capped Subject folded in lines of ≤ 78 chars (was one 20,001-char line)", async () => {
  for (const subject of ["a".repeat(20_000), "word ".repeat(4_000).trim()]) {
    const { parsed, head } = await roundTrip(subject);
    assert.equal(
      parsed.subject,
      `Re: ${subject.slice(0, SUBJECT_MAX_CHARS).trimEnd()}`,
    );
    const lines = head.split("\r\n");
    assert.ok(lines.every((l) => l.length <= 78), "every header line ≤ 78");
  }
});

Deno.test("withoutReplyPrefixes() leaves what the customer wrote about, whatever reply and forward prefixes stand before it", () => {
  for (const p of [...PREFIXES, "Fwd:", "FW:", "WG:", "TR:"]) {
    assert.equal(withoutReplyPrefixes(`${p} Return label`), "Return label", p);
    assert.equal(
      withoutReplyPrefixes(`${p} Fwd: ${p}Return label `),
      "Return label",
      p,
    );
  }
  assert.equal(
    withoutReplyPrefixes("Regarding my order"),
    "Regarding my order",
  );
  assert.equal(withoutReplyPrefixes("Return label"), "Return label");
});
