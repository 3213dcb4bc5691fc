/**
 * `history.list`: records after `startHistoryId`, filtered by type and
 * label, paged; 404 when `startHistoryId` is older than what is retained.
 * @module
 */
import { invalidArgument, notFound } from "./errors.ts";
import type { HistoryKind, HistoryRecord, Mailbox } from "./mailbox.ts";

/** Query of history.list, already parsed. */
export interface HistoryQuery {
  startHistoryId: string | undefined;
  historyTypes: string[];
  labelId: string | undefined;
  maxResults: number;
  offset: number;
  /**
   * Whether each record's message carries its labelIds. Google says they
   * may be left out; false drops them (the `history_label_ids` setting).
   */
  withLabelIds?: boolean;
  /**
   * The status of a start id older than the retained history: 404 (what
   * Google documents) or 400 "Invalid startHistoryId" (also seen).
   */
  staleStatus?: 404 | 400;
}

const KINDS: HistoryKind[] = [
  "messageAdded",
  "messageDeleted",
  "labelAdded",
  "labelRemoved",
];

const FIELD: Record<HistoryKind, string> = {
  messageAdded: "messagesAdded",
  messageDeleted: "messagesDeleted",
  labelAdded: "labelsAdded",
  labelRemoved: "labelsRemoved",
};

function toJson(
  r: HistoryRecord,
  withLabelIds: boolean,
): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    message: withLabelIds
      ? { ...r.message, labelIds: [...r.message.labelIds] }
      : { id: r.message.id, threadId: r.message.threadId },
  };
  if (r.kind === "labelAdded" || r.kind === "labelRemoved") {
    entry.labelIds = r.labelIds;
  }
  return {
    id: String(r.id),
    messages: [{ id: r.message.id, threadId: r.message.threadId }],
    [FIELD[r.kind]]: [entry],
  };
}

/** The ListHistoryResponse for `q`. Throws 404 for a stale start id. */
export function listHistory(
  mb: Mailbox,
  q: HistoryQuery,
): Record<string, unknown> {
  if (!q.startHistoryId || !/^\d+$/.test(q.startHistoryId)) {
    throw invalidArgument("Invalid startHistoryId");
  }
  const start = Number(q.startHistoryId);
  if (start < mb.oldestValidHistoryId) {
    throw q.staleStatus === 400
      ? invalidArgument("Invalid startHistoryId")
      : notFound();
  }
  for (const t of q.historyTypes) {
    if (!KINDS.includes(t as HistoryKind)) {
      throw invalidArgument(`Invalid value at 'history_types' (${t})`);
    }
  }
  const hits = mb.history.filter((r) =>
    r.id > start &&
    (q.historyTypes.length === 0 || q.historyTypes.includes(r.kind)) &&
    (!q.labelId || r.message.labelIds.includes(q.labelId) ||
      r.labelIds.includes(q.labelId))
  );
  const page = hits.slice(q.offset, q.offset + q.maxResults);
  const out: Record<string, unknown> = {};
  if (page.length > 0) {
    out.history = page.map((r) => toJson(r, q.withLabelIds ?? true));
  }
  if (q.offset + q.maxResults < hits.length) {
    out.nextPageToken = String(q.offset + q.maxResults);
  }
  out.historyId = String(mb.historyId);
  return out;
}
