/**
 * Mailbox operations: delivery, send, drafts, label changes and label
 * creation. Each records history the way Gmail does.
 * @module
 */
import { rawFromAddress, stampAuthResults } from "./auth_results.ts";
import { googleError, invalidArgument, notFound } from "./errors.ts";
import { IMMUTABLE_LABEL_IDS, type Label } from "./labels.ts";
import {
  buildStored,
  type Mailbox,
  normalizeSubject,
  recordHistory,
  type StoredMessage,
  storeMessage,
  threadMessages,
  threadOfParents,
} from "./mailbox.ts";
import { gmailStyleMessageId, rewriteMessageId } from "./rewrite_message_id.ts";
import { type EmulatorState, findUser, nextHexId } from "./state.ts";

const enc = new TextEncoder();

/** Labels of delivered mail: the inbox, or Gmail's spam filter's verdict. */
export function deliveryLabels(spam: boolean): string[] {
  return spam ? ["SPAM", "UNREAD"] : ["INBOX", "UNREAD"];
}

/**
 * The thread inbound mail joins: the thread of the message its
 * In-Reply-To/References name in this mailbox, when the subjects match
 * (a changed subject starts a new thread, as in Gmail); else a new one.
 */
function threadForInbound(mb: Mailbox, msg: StoredMessage): string {
  const threadId = threadOfParents(mb, msg.parents);
  if (threadId === null) return msg.id;
  const subj = normalizeSubject(msg.subject);
  return threadMessages(mb, threadId).some((m) =>
      normalizeSubject(m.subject) === subj
    )
    ? threadId
    : msg.id;
}

/**
 * Delivers raw bytes into `mb` with INBOX and UNREAD (SPAM and UNREAD when
 * `spam`). Threads as `threadForInbound` says.
 */
export function deliver(
  state: EmulatorState,
  mb: Mailbox,
  raw: Uint8Array,
  internalDate?: number,
  opts: { spam?: boolean } = {},
): StoredMessage {
  const id = nextHexId(state);
  const msg = buildStored({
    id,
    threadId: id,
    raw,
    internalDate: internalDate ?? state.now().getTime(),
    labelIds: deliveryLabels(opts.spam ?? false),
  });
  msg.threadId = threadForInbound(mb, msg);
  storeMessage(mb, msg);
  recordHistory(mb, "messageAdded", msg);
  return msg;
}

/**
 * The copy another emulated user receives, stamped as Gmail's MX would:
 * mail from the sender's own address passes DKIM, SPF and DMARC; a From
 * naming anyone else fails.
 */
function stampedCopy(sender: Mailbox, raw: Uint8Array): Uint8Array {
  const own = rawFromAddress(raw) === sender.email.toLowerCase();
  return stampAuthResults(raw, own ? "pass" : "fail");
}

function domainOf(email: string): string {
  return email.split("@")[1] ?? "mail.gmail.com";
}

/** Adds Message-ID, Date and From when the client left them out, like Gmail. */
function completeHeaders(state: EmulatorState, mb: Mailbox, raw: Uint8Array) {
  const text = new TextDecoder("latin1").decode(raw);
  const end = text.search(/\r?\n\r?\n/);
  const head = end < 0 ? text : text.slice(0, end);
  const extra: string[] = [];
  if (!/^message-id:/im.test(head)) {
    extra.push(`Message-ID: <${nextHexId(state)}.emu@${domainOf(mb.email)}>`);
  }
  if (!/^date:/im.test(head)) {
    extra.push(`Date: ${state.now().toUTCString().replace("GMT", "+0000")}`);
  }
  if (!/^from:/im.test(head)) extra.push(`From: ${mb.email}`);
  if (extra.length === 0) return raw;
  const prefix = enc.encode(extra.join("\r\n") + "\r\n");
  const out = new Uint8Array(prefix.length + raw.length);
  out.set(prefix);
  out.set(raw, prefix.length);
  return out;
}

/**
 * The thread a sent message or draft joins: `threadId` is kept only when it
 * exists, the message's In-Reply-To/References name a message of it, and
 * the subjects match (Gmail's documented rules); otherwise a new thread.
 * A `threadId` Gmail cannot resolve is 400 "Invalid thread_id value".
 */
function threadForOutgoing(
  mb: Mailbox,
  msg: StoredMessage,
  threadId: string | undefined,
): string {
  if (!threadId) return msg.id;
  const members = threadMessages(mb, threadId);
  if (members.length === 0) throw invalidArgument("Invalid thread_id value");
  const ids = new Set(members.map((m) => m.messageId));
  const refsOk = msg.parents.some((p) => ids.has(p));
  const subj = normalizeSubject(msg.subject);
  const subjOk = members.some((m) => normalizeSubject(m.subject) === subj);
  return refsOk && subjOk ? threadId : msg.id;
}

function outgoing(
  state: EmulatorState,
  mb: Mailbox,
  rawIn: Uint8Array,
  threadId: string | undefined,
  label: "SENT" | "DRAFT",
): StoredMessage {
  const completed = completeHeaders(state, mb, rawIn);
  const raw = state.flags.rewriteMessageIds
    ? rewriteMessageId(completed, gmailStyleMessageId())
    : completed;
  const id = nextHexId(state);
  const msg = buildStored({
    id,
    threadId: id,
    raw,
    internalDate: state.now().getTime(),
    labelIds: [label],
  });
  if (label === "SENT" && msg.to.length === 0) {
    throw invalidArgument("Recipient address required");
  }
  msg.threadId = threadForOutgoing(mb, msg, threadId);
  storeMessage(mb, msg);
  recordHistory(mb, "messageAdded", msg);
  return msg;
}

/**
 * messages.send: stores the message with SENT and delivers a copy to every
 * recipient that is also an emulated user (other than the sender).
 */
export function sendMessage(
  state: EmulatorState,
  mb: Mailbox,
  raw: Uint8Array,
  threadId?: string,
): StoredMessage {
  const msg = outgoing(state, mb, raw, threadId, "SENT");
  for (const addr of new Set(msg.to)) {
    const other = findUser(state, addr);
    if (other && other !== mb) deliver(state, other, stampedCopy(mb, msg.raw));
  }
  return msg;
}

/**
 * drafts.send: the draft's message leaves DRAFT for SENT (recipients that
 * are emulated users get a copy) and the draft is gone. Gmail gives a draft
 * a new message id each time it is edited: with `edited`, the sent message
 * has a new id (the draft message is deleted), as when a person edits the
 * draft in Gmail before sending it.
 */
export function sendDraft(
  state: EmulatorState,
  mb: Mailbox,
  draftId: string,
  opts: { edited?: boolean } = {},
): StoredMessage {
  const msgId = mb.drafts.get(draftId);
  const draft = msgId ? mb.messages.get(msgId) : undefined;
  if (!draft) throw notFound();
  if (draft.to.length === 0) {
    throw invalidArgument("Recipient address required");
  }
  mb.drafts.delete(draftId);
  let msg = draft;
  if (opts.edited) {
    mb.messages.delete(draft.id);
    recordHistory(mb, "messageDeleted", draft);
    msg = buildStored({
      id: nextHexId(state),
      threadId: draft.threadId,
      raw: draft.raw,
      internalDate: state.now().getTime(),
      labelIds: ["SENT"],
    });
    storeMessage(mb, msg);
    recordHistory(mb, "messageAdded", msg);
  } else {
    msg.labelIds = msg.labelIds.filter((l) => l !== "DRAFT");
    msg.labelIds.push("SENT");
    msg.internalDate = state.now().getTime();
    // Gmail lists the sent draft as a new message in history.
    recordHistory(mb, "messageAdded", msg);
  }
  for (const addr of new Set(msg.to)) {
    const other = findUser(state, addr);
    if (other && other !== mb) deliver(state, other, stampedCopy(mb, msg.raw));
  }
  return msg;
}

/** Where `moveMessage` puts a message, as a person does in Gmail. */
export type MoveTarget = "spam" | "trash" | "inbox" | "archive";

const MOVES: Record<MoveTarget, { add: string[]; remove: string[] }> = {
  spam: { add: ["SPAM"], remove: ["INBOX", "TRASH"] },
  trash: { add: ["TRASH"], remove: ["INBOX", "SPAM"] },
  inbox: { add: ["INBOX"], remove: ["SPAM", "TRASH"] },
  archive: { add: [], remove: ["INBOX"] },
};

/** Moves a message to Spam, Trash, the inbox or out of it (history recorded). */
export function moveMessage(
  mb: Mailbox,
  id: string,
  to: MoveTarget,
): StoredMessage {
  const m = MOVES[to];
  return modifyMessage(mb, id, m.add, m.remove);
}

/** drafts.create: a DRAFT message and its draft id (`r` + digits). */
export function createDraft(
  state: EmulatorState,
  mb: Mailbox,
  raw: Uint8Array,
  threadId?: string,
): { draftId: string; message: StoredMessage } {
  const message = outgoing(state, mb, raw, threadId, "DRAFT");
  const draftId = "r" + BigInt("0x" + message.id).toString().slice(-19);
  mb.drafts.set(draftId, message.id);
  return { draftId, message };
}

function checkLabels(mb: Mailbox, ids: string[]): void {
  for (const id of ids) {
    if (!mb.labels.has(id) || IMMUTABLE_LABEL_IDS.has(id)) {
      throw invalidArgument(`Invalid label: ${id}`);
    }
  }
}

/** messages.modify: adds then removes labels, recording history per kind. */
export function modifyMessage(
  mb: Mailbox,
  id: string,
  add: string[],
  remove: string[],
): StoredMessage {
  const msg = mb.messages.get(id);
  if (!msg) throw notFound();
  checkLabels(mb, add);
  checkLabels(mb, remove);
  const added = [...new Set(add)].filter((l) => !msg.labelIds.includes(l));
  msg.labelIds.push(...added);
  if (added.length > 0) recordHistory(mb, "labelAdded", msg, added);
  const removed = [...new Set(remove)].filter((l) => msg.labelIds.includes(l));
  msg.labelIds = msg.labelIds.filter((l) => !removed.includes(l));
  if (removed.length > 0) recordHistory(mb, "labelRemoved", msg, removed);
  return msg;
}

/** labels.create: a user label `Label_N`; a taken name is 409. */
export function createLabel(
  mb: Mailbox,
  input: Partial<Omit<Label, "id" | "type">>,
): Label {
  const name = (input.name ?? "").trim();
  if (!name) throw invalidArgument("Invalid label name");
  for (const l of mb.labels.values()) {
    if (l.name.toLowerCase() === name.toLowerCase()) {
      throw l.type === "system"
        ? invalidArgument("Invalid label name")
        : googleError(409, "duplicate", "Label name exists or conflicts");
    }
  }
  const label: Label = {
    id: `Label_${mb.nextLabelNumber++}`,
    name,
    type: "user",
    messageListVisibility: input.messageListVisibility ?? "show",
    labelListVisibility: input.labelListVisibility ?? "labelShow",
    ...(input.color ? { color: input.color } : {}),
  };
  mb.labels.set(label.id, label);
  return label;
}

/** Drops all retained history: any earlier startHistoryId becomes stale. */
export function expireHistory(mb: Mailbox): void {
  mb.history = [];
  mb.oldestValidHistoryId = mb.historyId;
}

/**
 * drafts.update: the draft keeps its id and gets a new message (Gmail gives
 * an edited draft a new message id; the old message is deleted). 404 when
 * the draft is gone (sent or deleted).
 */
export function updateDraft(
  state: EmulatorState,
  mb: Mailbox,
  draftId: string,
  raw: Uint8Array,
  threadId?: string,
): StoredMessage {
  const old = draftMessage(mb, draftId);
  const message = outgoing(state, mb, raw, threadId ?? old.threadId, "DRAFT");
  mb.messages.delete(old.id);
  recordHistory(mb, "messageDeleted", old);
  mb.drafts.set(draftId, message.id);
  return message;
}

/** drafts.delete: the draft and its message are gone for good. 404 when unknown. */
export function deleteDraft(mb: Mailbox, draftId: string): void {
  const old = draftMessage(mb, draftId);
  mb.drafts.delete(draftId);
  mb.messages.delete(old.id);
  recordHistory(mb, "messageDeleted", old);
}

/** The message of draft `draftId`; 404 when there is no such draft. */
export function draftMessage(mb: Mailbox, draftId: string): StoredMessage {
  const msgId = mb.drafts.get(draftId);
  const msg = msgId ? mb.messages.get(msgId) : undefined;
  if (!msg) throw notFound();
  return msg;
}
