/**
 * Gmail's Message resource for `format=full|metadata|minimal|raw`, with the
 * payload tree (`partId`, `mimeType`, `filename`, `headers`, `body`, `parts`).
 * @module
 */
import type { StoredMessage } from "./mailbox.ts";
import { type Header, type MimePart, toBase64Url } from "./mime.ts";

/** The formats messages.get accepts. */
export type MessageFormat = "full" | "metadata" | "minimal" | "raw";

/** A payload part as Gmail returns it. */
export interface PayloadPart {
  partId: string;
  mimeType: string;
  filename: string;
  headers: Header[];
  body: { size: number; data?: string; attachmentId?: string };
  parts?: PayloadPart[];
}

/** The attachment id of a part (opaque to clients; encodes the part id). */
export function attachmentIdFor(msgId: string, partId: string): string {
  return "ANGjdJ" + toBase64Url(new TextEncoder().encode(`${msgId}:${partId}`))
    .replaceAll("=", "");
}

function toPayload(msgId: string, part: MimePart, partId: string): PayloadPart {
  const out: PayloadPart = {
    partId,
    mimeType: part.mimeType,
    filename: part.filename,
    headers: part.headers,
    body: { size: 0 },
  };
  if (part.parts.length > 0) {
    const prefix = partId === "" ? "" : partId + ".";
    out.parts = part.parts.map((p, i) => toPayload(msgId, p, `${prefix}${i}`));
    return out;
  }
  out.body = part.filename
    ? { attachmentId: attachmentIdFor(msgId, partId), size: part.body.length }
    : {
      size: part.body.length,
      ...(part.body.length > 0 ? { data: toBase64Url(part.body) } : {}),
    };
  return out;
}

/** Finds the leaf part with this part id, or undefined. */
export function findPart(root: MimePart, partId: string): MimePart | undefined {
  if (partId === "") return root;
  let cur: MimePart | undefined = root;
  for (const i of partId.split(".")) cur = cur?.parts[Number(i)];
  return cur;
}

/** The `{id, threadId, labelIds}` shape send/modify/history answer with. */
export function minimalRef(msg: StoredMessage) {
  return { id: msg.id, threadId: msg.threadId, labelIds: [...msg.labelIds] };
}

/** The Message resource in the requested format. */
export function formatMessage(
  msg: StoredMessage,
  format: MessageFormat,
  metadataHeaders: string[] = [],
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: msg.id,
    threadId: msg.threadId,
    labelIds: [...msg.labelIds],
    snippet: msg.snippet,
  };
  if (format === "full") out.payload = toPayload(msg.id, msg.mime, "");
  if (format === "metadata") {
    const wanted = metadataHeaders.map((h) => h.toLowerCase());
    out.payload = {
      mimeType: msg.mime.mimeType,
      headers: wanted.length === 0
        ? msg.headers
        : msg.headers.filter((h) => wanted.includes(h.name.toLowerCase())),
    };
  }
  out.sizeEstimate = msg.raw.length;
  if (format === "raw") out.raw = toBase64Url(msg.raw);
  out.historyId = String(msg.historyId);
  out.internalDate = String(msg.internalDate);
  return out;
}
