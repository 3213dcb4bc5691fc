/**
 * The reply's Subject. Gmail threads a sent reply only when its subject
 * matches the conversation's, and how Gmail compares subjects is not
 * documented, so the customer's subject is never rewritten: the reply's
 * subject is the original exactly, with `Re: ` put in front only when it
 * does not already start with a reply prefix (in any language). Nothing is
 * ever removed, except from a subject longer than `SUBJECT_MAX_CHARS`
 * (a hard cap far above any real subject; RFC 5322 allows 998 characters
 * per line), which is cut there before `Re: ` is added.
 * @module
 */

/** Longest original subject kept whole (characters); longer ones are cut. */
export const SUBJECT_MAX_CHARS = 900;

/**
 * Reply prefixes mail programs write, by language: Re/RE/Re[2]/Re(2) and
 * AW (German), SV (Nordic), Antw (Dutch), VS (Finnish), Odp (Polish), Ynt
 * (Turkish), Atb (Latvian), Vá (Hungarian), R/RIF (Italian), RES (Portuguese),
 * Réf/Ref, Отв/Ответ (Russian), Σχετ (Greek), השב (Hebrew), رد (Arabic),
 * 回复/回覆/答复 (Chinese), 返信 (Japanese), 답장 (Korean), Odg (Croatian).
 * A colon (ASCII or full-width) must follow.
 */
const REPLY_PREFIX =
  /^\s*(?:re|aw|sv|antw|vs|odp|ynt|atb|vá|r|rif|res|réf|ref|отв|ответ|σχετ|השב|رد|回复|回覆|答复|返信|답장|odg)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]/iu;

/** True when `subject` already starts with a reply prefix. */
export function hasReplyPrefix(subject: string): boolean {
  return REPLY_PREFIX.test(subject);
}

/**
 * `subject` cut to `SUBJECT_MAX_CHARS` code points (never inside a
 * surrogate pair; white space at the cut dropped), or unchanged when shorter.
 */
export function capSubject(subject: string): string {
  const chars = Array.from(subject);
  return chars.length <= SUBJECT_MAX_CHARS
    ? subject
    : chars.slice(0, SUBJECT_MAX_CHARS).join("").trimEnd();
}

/**
 * The reply's subject for an original (already RFC 2047 decoded) subject:
 * the original, capped, with `Re: ` in front unless it has a reply prefix.
 * Line breaks (which a header value cannot hold) become spaces; an empty
 * subject gives `Re:`.
 */
export function replySubject(subject: string): string {
  const s = capSubject(subject.replace(/\r\n|\r|\n/g, " "));
  if (s === "") return "Re:";
  return hasReplyPrefix(s) ? s : `Re: ${s}`;
}

/** Forward prefixes: Fwd/Fw, WG (German), TR (French), RV/ENC (Spanish, Portuguese). */
const FORWARD_PREFIX = /^\s*(?:fwd?|wg|tr|rv|enc)\s*[:：]/iu;

/**
 * `subject` without the reply and forward prefixes in front of it ("Re: Fwd:
 * AW: Return label" → "Return label"): what the customer wrote about, for
 * reading, never for the reply's own subject.
 */
export function withoutReplyPrefixes(subject: string): string {
  let s = subject;
  for (;;) {
    const m = s.match(REPLY_PREFIX) ?? s.match(FORWARD_PREFIX);
    if (!m) return s.trim();
    s = s.slice(m[0].length);
  }
}
