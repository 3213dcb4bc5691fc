/**
 * The typed worker state over Deno KV: thread takeovers and
 * acknowledgements, sent-reply markers, sync state (label ids, first sync, sync notes), failure counts
 * and setup steps. Expiring entries
 * carry their own `expiresAt` (checked against the time the caller passes)
 * and are written with `expireIn` so KV drops them later.
 * @module
 */
import type {
  FailureCounterStore,
  SentBy,
  SetupStep,
  SetupStore,
  StateRetention,
  SyncNote,
  SyncStateStore,
  ThreadStateStore,
} from "../../pipeline/ports.ts";
import { keys, retryAtomic } from "./keys.ts";

interface SentMarker {
  at: Date;
  expiresAt: number;
}

interface ThreadAck {
  gmailId: string;
  at: Date;
}

interface FailureCount {
  count: number;
  expiresAt: number;
}

interface SetupRecord {
  state: "claimed" | "failed";
  at: Date;
}

/** Deletes of one prune commit (below KV's 100 checks per commit). */
const PRUNE_COMMIT = 50;

/** Thread takeovers and sent-reply markers over `kv`. */
export function createKvThreadState(
  kv: Deno.Kv,
  retention: StateRetention,
): ThreadStateStore {
  const live = async (
    accountId: string,
    gmailId: string,
    by: SentBy,
    now: Date,
  ) => {
    const v = (await kv.get<SentMarker>(keys.sentReply(accountId, gmailId, by)))
      .value;
    return v !== null && v.expiresAt > now.getTime();
  };
  return {
    async isTakenOver(accountId, threadId) {
      return (await kv.get(keys.takeover(accountId, threadId))).value !== null;
    },
    async markTakenOver(accountId, threadId, at) {
      const key = keys.takeover(accountId, threadId);
      // The first time is kept: a second mark changes nothing.
      await kv.atomic().check({ key, versionstamp: null }).set(key, at)
        .commit();
    },
    async recordSent({ accountId, gmailId, by, at }) {
      if (gmailId === "") return;
      const v: SentMarker = {
        at,
        expiresAt: at.getTime() + retention.sentReplyMs,
      };
      await kv.set(keys.sentReply(accountId, gmailId, by), v, {
        expireIn: retention.sentReplyMs,
      });
    },
    async sentBy(accountId, gmailId, now) {
      if (await live(accountId, gmailId, "agent", now)) return "agent";
      if (await live(accountId, gmailId, "person", now)) return "person";
      return null;
    },
    async acknowledgementOf(accountId, threadId) {
      return (await kv.get<ThreadAck>(keys.threadAck(accountId, threadId)))
        .value?.gmailId ?? null;
    },
    claimAcknowledgement({ accountId, threadId, gmailId, at }) {
      const key = keys.threadAck(accountId, threadId);
      return retryAtomic("claim the thread's acknowledgement", async () => {
        const cur = await kv.get<ThreadAck>(key);
        if (cur.value !== null) return cur.value.gmailId === gmailId;
        const v: ThreadAck = { gmailId, at };
        const res = await kv.atomic().check(cur).set(key, v).commit();
        return res.ok ? true : undefined;
      });
    },
    async pruneSent(now, limit) {
      let n = 0;
      let op = kv.atomic();
      let pending = 0;
      const it = kv.list<SentMarker>({ prefix: ["sent_replies"] }, {
        batchSize: 500,
      });
      for await (const e of it) {
        if (n + pending >= limit) break;
        if (e.value.expiresAt > now.getTime()) continue;
        op.check(e).delete(e.key);
        if (++pending === PRUNE_COMMIT) {
          if ((await op.commit()).ok) n += pending;
          op = kv.atomic();
          pending = 0;
        }
      }
      if (pending > 0 && (await op.commit()).ok) n += pending;
      return n;
    },
  };
}

/** Label ids and first-sync marks over `kv`. */
export function createKvSyncState(kv: Deno.Kv): SyncStateStore {
  return {
    async labelId(accountId, name) {
      return (await kv.get<string>(keys.syncLabel(accountId, name))).value;
    },
    async setLabelId(accountId, name, labelId) {
      await kv.set(keys.syncLabel(accountId, name), labelId);
    },
    async isInitialSyncDone(accountId) {
      return (await kv.get(keys.initialSync(accountId))).value !== null;
    },
    async markInitialSyncDone(accountId, at) {
      await kv.set(keys.initialSync(accountId), at);
    },
    async syncNote(accountId) {
      return (await kv.get<SyncNote>(keys.syncNote(accountId))).value;
    },
    async setSyncNote(accountId, note) {
      await kv.set(keys.syncNote(accountId), note);
    },
    async pausedUntil(accountId) {
      return (await kv.get<Date>(keys.mailPause(accountId))).value;
    },
    async setPausedUntil(accountId, until) {
      await kv.set(keys.mailPause(accountId), until);
    },
  };
}

/** Failure counts over `kv`: one atomic read-and-add per failure. */
export function createKvFailureCounters(
  kv: Deno.Kv,
  retention: StateRetention,
): FailureCounterStore {
  return {
    increment({ accountId, gmailId, at }) {
      const key = keys.failureCount(accountId, gmailId);
      return retryAtomic("count the failure", async () => {
        const cur = await kv.get<FailureCount>(key);
        const prior = cur.value && cur.value.expiresAt > at.getTime()
          ? cur.value.count
          : 0;
        const next: FailureCount = {
          count: prior + 1,
          expiresAt: at.getTime() + retention.failureCountMs,
        };
        const res = await kv.atomic().check(cur)
          .set(key, next, { expireIn: retention.failureCountMs })
          .commit();
        return res.ok ? next.count : undefined;
      });
    },
  };
}

/** Setup steps over `kv`: a claim is one checked write. */
export function createKvSetup(kv: Deno.Kv): SetupStore {
  return {
    claim(step: SetupStep, at: Date) {
      const key = keys.setupStep(step);
      return retryAtomic("claim the setup step", async () => {
        const cur = await kv.get<SetupRecord>(key);
        if (cur.value && cur.value.state !== "failed") return false;
        const res = await kv.atomic().check(cur)
          .set(key, { state: "claimed", at } satisfies SetupRecord)
          .commit();
        return res.ok ? true : undefined;
      });
    },
    async fail(step) {
      const key = keys.setupStep(step);
      const cur = await kv.get<SetupRecord>(key);
      await kv.set(
        key,
        {
          state: "failed",
          at: cur.value?.at ?? new Date(0),
        } satisfies SetupRecord,
      );
    },
  };
}
