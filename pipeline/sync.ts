/**
 * Which messages of an account to look at this cycle. The first sync seeds
 * the cursor from `getProfile.historyId` and lists recent unprocessed inbox
 * mail and recent sent mail; later syncs read `history.list` since the
 * cursor (inbound and sent mail in one listing); a stale cursor (Gmail 404)
 * falls back to the same full sync by query. The cursor moves only when the
 * caller commits, after the messages are processed.
 * @module
 */
import type { Logger } from "./log.ts";
import {
  type CursorStore,
  HistoryExpiredError,
  type Mailbox,
  type MessageRef,
  type MetaStore,
} from "./ports.ts";
import type { Account } from "./types.ts";

/** The label added to every handled message. */
export const PROCESSED_LABEL = "Agent/Processed";

/** Settings of the sync. */
export interface SyncConfig {
  /** `INITIAL_SYNC_DAYS`: how far back a full sync looks. */
  initialSyncDays: number;
  /** `INITIAL_SYNC_MAX`: most messages a full sync returns. */
  initialSyncMax: number;
}

/** What `syncAccount` needs. */
export interface SyncDeps {
  store: { cursors: CursorStore; meta: MetaStore };
  config: SyncConfig;
  logger: Logger;
}

/** The messages to process, and how to move the cursor past them. */
export interface SyncBatch {
  mode: "initial" | "incremental" | "full_resync";
  /**
   * Oldest first. An incremental sync also lists the account's own SENT
   * mail (`labelIds` set; see `isOwnSent`), never to be processed as inbound.
   */
  messages: MessageRef[];
  /** The id of the `Agent/Processed` label. */
  processedLabelId: string;
  /** Saves the new cursor. Call only when every message is handled. */
  commit(): Promise<void>;
}

/** The Gmail search of a full sync (recent unprocessed inbox mail, not ours). */
export function fullSyncQuery(days: number): string {
  const label = PROCESSED_LABEL.toLowerCase().replace(/[/\s]+/g, "-");
  const window = days > 0 ? ` newer_than:${days}d` : "";
  return `in:inbox -label:${label} -from:me${window}`;
}

/**
 * The Gmail search of a full sync for the account's own recent sent mail
 * (a person's reply there marks the thread as taken over).
 */
export function fullSyncSentQuery(days: number): string {
  const window = days > 0 ? ` newer_than:${days}d` : "";
  return `in:sent -in:inbox${window}`;
}

/** The meta key caching the processed label id of an account. */
export function labelMetaKey(accountId: string): string {
  return `gmail_label:${accountId}:${PROCESSED_LABEL}`;
}

/**
 * The `Agent/Processed` label id, created once per account and cached in
 * the meta store (no `labels.list` per cycle).
 */
export async function processedLabelId(
  account: Account,
  mailbox: Mailbox,
  meta: MetaStore,
  opts: { refresh?: boolean } = {},
): Promise<string> {
  const key = labelMetaKey(account.id);
  if (!opts.refresh) {
    const cached = await meta.get(key);
    if (cached) return cached;
  }
  const id = await mailbox.ensureLabel(PROCESSED_LABEL);
  await meta.set(key, id);
  return id;
}

/** The meta key set once the first full sync of an account is committed. */
export function initialSyncMetaKey(accountId: string): string {
  return `initial_sync_done:${accountId}`;
}

/**
 * Lists what this account needs processed since its cursor. The first sync
 * of an account is a full sync even when the cursor was seeded at connect.
 */
export async function syncAccount(
  account: Account,
  mailbox: Mailbox,
  deps: SyncDeps,
): Promise<SyncBatch> {
  const { cursors, meta } = deps.store;
  const labelId = await processedLabelId(account, mailbox, meta);
  const cursor = await cursors.get(account.id);

  const fullSync = async (
    mode: "initial" | "full_resync",
  ): Promise<SyncBatch> => {
    // The history id is read BEFORE listing: mail that arrives meanwhile is
    // in the next history.list (and the ledger skips what was handled).
    const profile = await mailbox.getProfile();
    const max = deps.config.initialSyncMax;
    const days = deps.config.initialSyncDays;
    const listed = max > 0
      ? await mailbox.listMessages(fullSyncQuery(days), max)
      : [];
    // A search gives no order between sent and inbound mail: the sent mail
    // goes first, so a thread a person answered is not answered again.
    const sent = max > 0
      ? await mailbox.listMessages(fullSyncSentQuery(days), max)
      : [];
    return {
      mode,
      // Gmail lists newest first; process oldest first.
      messages: [
        ...sent.reverse().map((m) => ({ ...m, labelIds: ["SENT"] })),
        ...listed.reverse(),
      ],
      processedLabelId: labelId,
      commit: async () => {
        await cursors.set(account.id, profile.historyId);
        await meta.set(initialSyncMetaKey(account.id), "1");
      },
    };
  };

  const initialDone = await meta.get(initialSyncMetaKey(account.id));
  if (cursor === null || initialDone === null) return await fullSync("initial");
  try {
    const h = await mailbox.listHistory(cursor);
    return {
      mode: "incremental",
      messages: h.messages,
      processedLabelId: labelId,
      commit: async () => {
        if (h.historyId !== cursor) await cursors.set(account.id, h.historyId);
      },
    };
  } catch (err) {
    if (!(err instanceof HistoryExpiredError)) throw err;
    deps.logger.warn("history id expired; running a full sync", {
      accountId: account.id,
    });
    return await fullSync("full_resync");
  }
}

/**
 * Seeds the cursor of a newly connected account from `getProfile.historyId`.
 * A reconnect keeps its cursor: mail that arrived while the account was
 * disconnected is still listed from there (or by a full sync when stale).
 * Returns which of the two happened.
 */
export async function seedCursor(
  account: Account,
  mailbox: Pick<Mailbox, "getProfile">,
  cursors: CursorStore,
): Promise<"seeded" | "kept"> {
  if ((await cursors.get(account.id)) !== null) return "kept";
  const profile = await mailbox.getProfile();
  await cursors.set(account.id, profile.historyId);
  return "seeded";
}
