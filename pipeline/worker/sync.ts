/**
 * Which messages of an account to look at this cycle. The first sync seeds
 * the cursor from `getProfile.historyId` and lists recent unprocessed inbox
 * mail and recent sent mail; later syncs read `history.list` since the
 * cursor (inbound and sent mail in one listing); a stale cursor (`HistoryExpiredError`)
 * falls back to the same full sync by query. The cursor moves only when the
 * caller commits, after the messages are processed.
 * @module
 */
import type { Logger } from "../log.ts";
import {
  type Clock,
  type CursorStore,
  HistoryExpiredError,
  type Mailbox,
  type MessageRef,
  type SyncNote,
  type SyncStateStore,
} from "../ports.ts";
import type { Account } from "../types.ts";

/** The label added to every handled message. */
export const PROCESSED_LABEL = "Agent/Processed";

/** Settings of the sync. */
export interface SyncConfig {
  /** `INITIAL_SYNC_DAYS`: how far back a full sync looks. */
  initialSyncDays: number;
  /**
   * `INITIAL_SYNC_MAX`: most new messages a full sync hands to one cycle;
   * the rest of its window follows in the next cycles.
   */
  initialSyncMax: number;
}

/** Most message ids one full sync lists (every page up to this). */
export const FULL_SYNC_LIST_CAP = 20_000;

/** Most older messages counted when a full sync reports what it left. */
export const LEFT_COUNT_CAP = 1000;

/** What `syncAccount` needs. */
export interface SyncDeps {
  store: { cursors: CursorStore; syncState: SyncStateStore };
  config: SyncConfig;
  logger: Logger;
  /** Dates the first full sync's mark and its note. */
  clock: Clock;
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
  /**
   * Most new messages to process this cycle (a full sync's share); the
   * batch is then unfinished and the next cycle lists the rest again.
   */
  budget: number;
  /** Saves the new cursor. Call only when every message is handled. */
  commit(): Promise<void>;
}

export type { SyncNote };

/** The account's `SyncNote`, or null when its full syncs left nothing. */
export async function readSyncNote(
  syncState: Pick<SyncStateStore, "syncNote">,
  accountId: string,
): Promise<SyncNote | null> {
  const note = await syncState.syncNote(accountId);
  return note !== null && note.leftOlder > 0 ? note : null;
}

/** The Gmail search for unprocessed inbox mail older than the window. */
export function olderThanWindowQuery(days: number): string {
  return fullSyncQuery(0) + ` older_than:${days}d`;
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

/**
 * The `Agent/Processed` label id, created once per account and cached in
 * the sync state (no `labels.list` per cycle).
 */
export async function processedLabelId(
  account: Account,
  mailbox: Mailbox,
  syncState: Pick<SyncStateStore, "labelId" | "setLabelId">,
  opts: { refresh?: boolean } = {},
): Promise<string> {
  if (!opts.refresh) {
    const cached = await syncState.labelId(account.id, PROCESSED_LABEL);
    if (cached) return cached;
  }
  const id = await mailbox.ensureLabel(PROCESSED_LABEL);
  await syncState.setLabelId(account.id, PROCESSED_LABEL, id);
  return id;
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
  const { cursors, syncState } = deps.store;
  const labelId = await processedLabelId(account, mailbox, syncState);
  const cursor = await cursors.get(account.id);

  const fullSync = async (
    mode: "initial" | "full_resync",
  ): Promise<SyncBatch> => {
    // The history id is read BEFORE listing: mail that arrives meanwhile is
    // in the next history.list (and the ledger skips what was handled).
    const profile = await mailbox.getProfile();
    const max = deps.config.initialSyncMax;
    const days = deps.config.initialSyncDays;
    // Every page of the window; handled mail is labelled, so a full sync
    // that takes several cycles lists only what is left each time.
    const listed = max > 0
      ? await mailbox.listMessages(fullSyncQuery(days), FULL_SYNC_LIST_CAP)
      : [];
    // A search gives no order between sent and inbound mail: the sent mail
    // goes first, so a thread a person answered is not answered again.
    const sent = max > 0
      ? await mailbox.listMessages(fullSyncSentQuery(days), max)
      : [];
    if (listed.length > max) {
      deps.logger.info("full sync continues over several cycles", {
        accountId: account.id,
        listed: listed.length,
        perCycle: max,
      });
    }
    return {
      mode,
      // Gmail lists newest first; process oldest first.
      messages: [
        ...sent.reverse().map((m) => ({ ...m, labelIds: ["SENT"] })),
        ...listed.reverse(),
      ],
      processedLabelId: labelId,
      budget: max,
      commit: async () => {
        // A cursor stored at connect (accounts add, OAuth) is kept: history
        // from there also brings mail the window's search cannot see.
        if (mode === "full_resync" || cursor === null) {
          await cursors.set(account.id, profile.historyId);
        }
        await syncState.markInitialSyncDone(account.id, deps.clock.now());
        await noteLeftOlder(days);
      },
    };
  };

  /** Counts (and logs) the inbox mail older than the window, never answered. */
  const noteLeftOlder = async (days: number): Promise<void> => {
    if (days <= 0) return;
    const older = await mailbox.listMessages(
      olderThanWindowQuery(days),
      LEFT_COUNT_CAP + 1,
    );
    const note: SyncNote = {
      leftOlder: Math.min(older.length, LEFT_COUNT_CAP),
      capped: older.length > LEFT_COUNT_CAP,
      windowDays: days,
      at: deps.clock.now().toISOString(),
    };
    await syncState.setSyncNote(account.id, note);
    if (older.length > 0) {
      deps.logger.warn("full sync left inbox mail older than its window", {
        accountId: account.id,
        left: note.capped ? `${LEFT_COUNT_CAP}+` : note.leftOlder,
        windowDays: days,
      });
    }
  };

  const initialDone = await syncState.isInitialSyncDone(account.id);
  if (cursor === null || !initialDone) return await fullSync("initial");
  try {
    const h = await mailbox.listHistory(cursor);
    return {
      mode: "incremental",
      messages: h.messages,
      processedLabelId: labelId,
      budget: Infinity,
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
