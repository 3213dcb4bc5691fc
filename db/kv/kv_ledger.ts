/**
 * The message ledger (idempotency) and activity log on Deno KV. A claim is
 * an atomic check-and-set on the entry's versionstamp.
 * @module
 */
import type { ActivityFilter, LedgerStore } from "../../pipeline/ports.ts";
import type { LedgerEntry } from "../../pipeline/types.ts";
import { keys, retryAtomic } from "./keys.ts";

/** Value of the per-sender index. */
interface SenderMark {
  at: Date;
  action: string;
}

/** Actions that count as an automatic reply for the per-sender limit. */
const AUTO_REPLY = "reply";

/** The ledger store over `kv`. */
export function createKvLedger(kv: Deno.Kv): LedgerStore {
  const change = (
    accountId: string,
    gmailId: string,
    what: string,
    fn: (e: LedgerEntry, op: Deno.AtomicOperation) => LedgerEntry,
  ) =>
    retryAtomic(what, async () => {
      const key = keys.ledger(accountId, gmailId);
      const cur = await kv.get<LedgerEntry>(key);
      if (!cur.value) {
        throw new RangeError(
          `Cannot ${what} as message ${gmailId} of account ${accountId} was never claimed`,
        );
      }
      const op = kv.atomic().check(cur);
      const res = await op.set(key, fn(cur.value, op)).commit();
      return res.ok ? true : undefined;
    });

  const countBySender = async (
    accountId: string,
    sender: string,
    since: Date,
    onlyAction?: string,
  ) => {
    let n = 0;
    const prefix = keys.ledgerBySenderPrefix(accountId, sender.toLowerCase());
    for await (const e of kv.list<SenderMark>({ prefix })) {
      if (e.value.at.getTime() < since.getTime()) continue;
      if (onlyAction && e.value.action !== onlyAction) continue;
      n++;
    }
    return n;
  };

  return {
    claim(input) {
      const { accountId, gmailId, workerId, now } = input;
      const key = keys.ledger(accountId, gmailId);
      return retryAtomic("claim the message", async () => {
        const cur = await kv.get<LedgerEntry>(key);
        const e = cur.value;
        if (e === null) {
          const entry: LedgerEntry = {
            accountId,
            gmailId,
            threadId: input.threadId,
            state: "claimed",
            claimedBy: workerId,
            claimedAt: now,
            decision: null,
            effects: [],
            replyMessageId: null,
            sender: null,
            senderAddress: null,
            subject: null,
            error: null,
            updatedAt: now,
          };
          const res = await kv.atomic().check(cur).set(key, entry)
            .set(keys.ledgerByTime(now.getTime(), accountId, gmailId), null)
            .set(
              keys.ledgerByAccountTime(accountId, now.getTime(), gmailId),
              null,
            )
            .commit();
          return res.ok ? { status: "claimed" as const, entry } : undefined;
        }
        if (e.state === "done") return { status: "done" as const, entry: e };
        const stale =
          now.getTime() - e.claimedAt.getTime() >= input.staleAfterMs;
        if (!stale && e.claimedBy !== workerId) {
          return { status: "busy" as const, entry: e };
        }
        const entry: LedgerEntry = {
          ...e,
          claimedBy: workerId,
          claimedAt: now,
          updatedAt: now,
        };
        const res = await kv.atomic().check(cur).set(key, entry)
          .delete(keys.ledgerByTime(e.claimedAt.getTime(), accountId, gmailId))
          .set(keys.ledgerByTime(now.getTime(), accountId, gmailId), null)
          .delete(
            keys.ledgerByAccountTime(accountId, e.claimedAt.getTime(), gmailId),
          )
          .set(
            keys.ledgerByAccountTime(accountId, now.getTime(), gmailId),
            null,
          )
          .commit();
        return res.ok ? { status: "claimed" as const, entry } : undefined;
      });
    },
    async recordDecision(accountId, gmailId, input) {
      const senderAddress = input.senderAddress?.toLowerCase() ?? null;
      await change(accountId, gmailId, "record the decision", (e, op) => {
        if (senderAddress) {
          const mark: SenderMark = {
            at: e.claimedAt,
            action: input.decision.action,
          };
          op.set(keys.ledgerBySender(accountId, senderAddress, gmailId), mark);
        }
        return {
          ...e,
          state: e.state === "claimed" ? "decided" : e.state,
          decision: input.decision,
          effects: input.effects,
          replyMessageId: input.replyMessageId,
          sender: input.sender,
          senderAddress,
          subject: input.subject,
          updatedAt: input.now,
        };
      });
    },
    async markSent(accountId, gmailId, now) {
      await change(accountId, gmailId, "mark the message sent", (e) => ({
        ...e,
        state: e.state === "done" ? "done" : "sent",
        updatedAt: now,
      }));
    },
    async markDone(accountId, gmailId, now, error = null) {
      await change(accountId, gmailId, "mark the message done", (e) => ({
        ...e,
        state: "done",
        error: error ?? null,
        updatedAt: now,
      }));
    },
    async get(accountId, gmailId) {
      return (await kv.get<LedgerEntry>(keys.ledger(accountId, gmailId))).value;
    },
    async listActivity(f: ActivityFilter) {
      const limit = f.limit ?? 50;
      const out: LedgerEntry[] = [];
      // Newest first: the per-account index when filtering by account.
      const it = kv.list<null>(
        {
          prefix: f.accountId
            ? keys.ledgerByAccountTimePrefix(f.accountId)
            : keys.ledgerByTimePrefix(),
        },
        { reverse: true, batchSize: 100 },
      );
      for await (const idx of it) {
        const k = idx.key;
        const accountId = (f.accountId ? k[1] : k[2]) as string;
        const gmailId = k[3] as string;
        const e = (await kv.get<LedgerEntry>(keys.ledger(accountId, gmailId)))
          .value;
        if (!e) continue;
        if (f.category && e.decision?.category !== f.category) continue;
        if (f.action && e.decision?.action !== f.action) continue;
        if (f.reason && e.decision?.reason !== f.reason) continue;
        out.push(e);
        if (out.length >= limit) break;
      }
      return out;
    },
    countRepliesTo(accountId, senderAddress, since) {
      return countBySender(accountId, senderAddress, since, AUTO_REPLY);
    },
    countFrom(accountId, senderAddress, since) {
      return countBySender(accountId, senderAddress, since);
    },
  };
}
