/**
 * Finding a reply in a thread without its Message-ID (a provider may
 * replace it): by the `In-Reply-To` it answers, its label and its
 * `Auto-Submitted` mark; and reading a raw message's headers. Pure helpers
 * shared by the Gmail adapter's send retry and the worker's crash retry.
 * @module
 */
import type { ThreadMessage } from "../ports.ts";

/** The unfolded value of header `name` in a raw message's head, or null. */
export function rawHeader(raw: Uint8Array, name: string): string | null {
  const head = new TextDecoder().decode(raw.subarray(0, 16_384));
  const end = head.search(/\r?\n\r?\n/);
  const block = (end >= 0 ? head.slice(0, end) : head).replace(
    /\r?\n[ \t]+/g,
    " ",
  );
  const prefix = name.toLowerCase() + ":";
  for (const line of block.split(/\r?\n/)) {
    if (line.toLowerCase().startsWith(prefix)) {
      return line.slice(prefix.length).trim();
    }
  }
  return null;
}

/** The first `<id>` of a header value, or null. */
export function firstMessageId(
  value: string | null | undefined,
): string | null {
  return value?.match(/<[^<>\s]+>/)?.[0] ?? null;
}

/** Messages of a thread that answer `inReplyTo` and carry one of `labels`. */
export function repliesTo(
  messages: ThreadMessage[],
  inReplyTo: string,
  labels: string[],
): ThreadMessage[] {
  return messages.filter((m) =>
    m.inReplyTo === inReplyTo && m.labelIds.some((l) => labels.includes(l))
  );
}

/** True when `m` carries the `Auto-Submitted` value `want` (null: none). */
export function sameAutoSubmitted(
  m: Pick<ThreadMessage, "autoSubmitted">,
  want: string | null,
): boolean {
  const norm = (v: string | null | undefined) =>
    v ? v.trim().toLowerCase() : null;
  return norm(m.autoSubmitted) === norm(want);
}

/** The Message-ID header of a raw message, or null. */
export function headerMessageId(raw: Uint8Array): string | null {
  const head = new TextDecoder().decode(raw.subarray(0, 16_384));
  const end = head.search(/\r?\n\r?\n/);
  const block = end >= 0 ? head.slice(0, end) : head;
  const m = /^message-id:[ \t]*(?:\r?\n[ \t]+)?(<[^>\s]+>)/im.exec(block);
  return m?.[1] ?? null;
}
