/**
 * One user's mailbox: messages, threads, labels, drafts and the history log.
 * Every change bumps the mailbox `historyId` and appends a history record.
 * @module
 */
import { type Label, systemLabels } from "./labels.ts";
import {
  addresses,
  bodyText,
  type Header,
  headerValue,
  messageIds,
  type MimePart,
  parseMime,
} from "./mime.ts";

/** A stored message with what search and formatting need, parsed once. */
export interface StoredMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  raw: Uint8Array;
  /** Epoch milliseconds. */
  internalDate: number;
  historyId: number;
  mime: MimePart;
  headers: Header[];
  /** The Message-ID header with its angle brackets, or null. */
  messageId: string | null;
  /** Message-IDs this one replies to (In-Reply-To, then References). */
  parents: string[];
  subject: string;
  from: string[];
  /** To, Cc and Bcc addresses. */
  to: string[];
  text: string;
  snippet: string;
}

/** The kinds of history record Gmail keeps. */
export type HistoryKind =
  | "messageAdded"
  | "messageDeleted"
  | "labelAdded"
  | "labelRemoved";

/** One history record: a change to one message. */
export interface HistoryRecord {
  id: number;
  kind: HistoryKind;
  message: { id: string; threadId: string; labelIds: string[] };
  /** For labelAdded / labelRemoved: the labels that changed. */
  labelIds: string[];
}

/** A mailbox of one emulated user. */
export interface Mailbox {
  email: string;
  messages: Map<string, StoredMessage>;
  labels: Map<string, Label>;
  nextLabelNumber: number;
  historyId: number;
  history: HistoryRecord[];
  /** A startHistoryId below this is stale (404). */
  oldestValidHistoryId: number;
  /** Draft id → message id. */
  drafts: Map<string, string>;
  /** Message-ID header → message id (first message carrying it). */
  byMessageId: Map<string, string>;
}

/** A new, empty mailbox whose history starts at `historyId`. */
export function newMailbox(email: string, historyId: number): Mailbox {
  return {
    email: email.toLowerCase(),
    messages: new Map(),
    labels: systemLabels(),
    nextLabelNumber: 1,
    historyId,
    history: [],
    oldestValidHistoryId: historyId,
    drafts: new Map(),
    byMessageId: new Map(),
  };
}

/** Bumps the mailbox history id by a small, non-contiguous step. */
export function bumpHistory(mb: Mailbox): number {
  mb.historyId += 1 + (mb.historyId % 3);
  return mb.historyId;
}

/** Appends a history record for `msg` (its label snapshot is taken now). */
export function recordHistory(
  mb: Mailbox,
  kind: HistoryKind,
  msg: StoredMessage,
  labelIds: string[] = [],
): void {
  const id = bumpHistory(mb);
  msg.historyId = id;
  mb.history.push({
    id,
    kind,
    message: {
      id: msg.id,
      threadId: msg.threadId,
      labelIds: [...msg.labelIds],
    },
    labelIds,
  });
}

function escapeSnippet(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(
    />/g,
    "&gt;",
  ).replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Parses raw bytes into a StoredMessage (labels and thread set by caller). */
export function buildStored(
  input: {
    id: string;
    threadId: string;
    raw: Uint8Array;
    internalDate: number;
    labelIds: string[];
  },
): StoredMessage {
  const mime = parseMime(input.raw);
  const h = mime.headers;
  const text = bodyText(mime);
  const parents = [
    ...messageIds(headerValue(h, "In-Reply-To")),
    ...messageIds(headerValue(h, "References")).reverse(),
  ];
  return {
    ...input,
    historyId: 0,
    mime,
    headers: h,
    messageId: messageIds(headerValue(h, "Message-ID"))[0] ?? null,
    parents,
    subject: headerValue(h, "Subject") ?? "",
    from: addresses(headerValue(h, "From")),
    to: [
      ...addresses(headerValue(h, "To")),
      ...addresses(headerValue(h, "Cc")),
      ...addresses(headerValue(h, "Bcc")),
    ],
    text,
    snippet: escapeSnippet(text.replace(/\s+/g, " ").trim().slice(0, 200)),
  };
}

/** Subject with Re:/Fwd: prefixes removed, for thread matching. */
export function normalizeSubject(subject: string): string {
  let s = subject.trim().toLowerCase().replace(/\s+/g, " ");
  for (;;) {
    const next = s.replace(/^(re|fwd?|aw|sv|tr)\s*(\[\d+\])?\s*:\s*/i, "");
    if (next === s) return s;
    s = next;
  }
}

/** Adds a message to the mailbox and its Message-ID index. */
export function storeMessage(mb: Mailbox, msg: StoredMessage): void {
  mb.messages.set(msg.id, msg);
  if (msg.messageId && !mb.byMessageId.has(msg.messageId)) {
    mb.byMessageId.set(msg.messageId, msg.id);
  }
}

/** The thread a message referencing `parents` belongs to, or null. */
export function threadOfParents(mb: Mailbox, parents: string[]): string | null {
  for (const ref of parents) {
    const id = mb.byMessageId.get(ref);
    const found = id ? mb.messages.get(id) : undefined;
    if (found) return found.threadId;
  }
  return null;
}

/** Messages of a thread, oldest first. */
export function threadMessages(mb: Mailbox, threadId: string): StoredMessage[] {
  return [...mb.messages.values()].filter((m) => m.threadId === threadId)
    .sort((a, b) => a.internalDate - b.internalDate);
}

/** Number of distinct threads in the mailbox (excluding drafts-only ones). */
export function threadCount(mb: Mailbox): number {
  return new Set([...mb.messages.values()].map((m) => m.threadId)).size;
}
