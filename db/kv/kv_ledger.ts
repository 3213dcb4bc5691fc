/**
 * The message ledger (idempotency) and activity log on Deno KV. A claim is
 * an atomic check-and-set on the entry's versionstamp.
 * @module
 */
import {
  type ActivityFilter,
  LeaseLostError,
  type LedgerStore,
} from "../../pipeline/ports.ts";
import type { LedgerEntry } from "../../pipeline/types.ts";
import { claimable } from "../claim_rules.ts";
import { keys, retryAtomic } from "./keys.ts";
import {
  MARKS_EXPIRE_MS,
  type ReplyMarks,
  withMark,
  withoutMark,
} from "./kv_reply_marks.ts";
import type { Lease } from "./kv_small.ts";

/** True when `lease` is held by `owner` at `now`. */
function holds(lease: Lease | null, owner: string, now: Date): boolean {
  return lease !== null && lease.owner === owner &&
    lease.expiresAt > now.getTime();
}

/** Value of the per-sender and per-recipient indexes. */
export interface SenderMark {
  at: Date;
  action: string;
  /**
   * Counts as an automatic reply for the per-sender limit: an auto reply,
   * or a review decision's acknowledgement. Absent on older marks: then
   * action "reply" counts.
   */
  auto?: boolean;
}

/** True when a mark counts as an automatic reply. */
export const isAutoReply = (m: SenderMark) => m.auto ?? m.action === "reply";

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

  const countMarks = async (
    prefix: Deno.KvKey,
    since: Date,
    onlyAutoReplies = false,
  ) => {
    let n = 0;
    for await (const e of kv.list<SenderMark>({ prefix })) {
      if (e.value.at.getTime() < since.getTime()) continue;
      if (onlyAutoReplies && !isAutoReply(e.value)) continue;
      n++;
    }
    return n;
  };

  return {
    claim(input) {
      const { accountId, gmailId, workerId, now } = input;
      const key = keys.ledger(accountId, gmailId);
      return retryAtomic("claim the message", async () => {
        const [cur, lease] = input.lease === undefined
          ? [await kv.get<LedgerEntry>(key), null]
          : await kv.getMany<[LedgerEntry, Lease]>([
            key,
            keys.lease(input.lease),
          ]);
        const e = cur.value;
        if (e?.state === "done") return { status: "done" as const, entry: e };
        if (lease !== null && !holds(lease.value, workerId, now)) {
          throw new LeaseLostError(
            `Cannot claim message ${gmailId} as attempt ${workerId} no longer holds lease ${input.lease}`,
          );
        }
        const op = kv.atomic().check(cur);
        if (lease !== null) op.check(lease);
        if (e === null) {
          const entry: LedgerEntry = {
            accountId,
            gmailId,
            threadId: input.threadId,
            state: "claimed",
            claimedBy: workerId,
            claimedAt: now,
            retryAt: null,
            decision: null,
            effects: [],
            replyMessageId: null,
            sender: null,
            senderAddress: null,
            subject: null,
            error: null,
            updatedAt: now,
          };
          const res = await op.set(key, entry)
            .set(keys.ledgerByTime(now.getTime(), accountId, gmailId), null)
            .set(
              keys.ledgerByAccountTime(accountId, now.getTime(), gmailId),
              null,
            )
            .set(keys.ledgerByThread(accountId, input.threadId, gmailId), null)
            .commit();
          return res.ok ? { status: "claimed" as const, entry } : undefined;
        }
        if (!claimable(e, input)) return { status: "busy" as const, entry: e };
        const entry: LedgerEntry = {
          ...e,
          claimedBy: workerId,
          claimedAt: now,
          retryAt: null,
          updatedAt: now,
        };
        const res = await op.set(key, entry)
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
    release(accountId, gmailId, input) {
      const key = keys.ledger(accountId, gmailId);
      return retryAtomic("release the claim", async () => {
        const cur = await kv.get<LedgerEntry>(key);
        const e = cur.value;
        if (!e || e.state === "done" || e.claimedBy !== input.workerId) {
          return true;
        }
        const res = await kv.atomic().check(cur).set(key, {
          ...e,
          claimedBy: null,
          retryAt: input.retryAt,
          ...(input.failed ? { retries: (e.retries ?? 0) + 1 } : {}),
          updatedAt: input.now,
        }).commit();
        return res.ok ? true : undefined;
      }).then(() => undefined);
    },
    async recordDecision(accountId, gmailId, input) {
      const senderAddress = input.senderAddress?.toLowerCase() ?? null;
      const recipient = input.recipientAddress?.toLowerCase() ?? null;
      const key = keys.ledger(accountId, gmailId);
      await retryAtomic("record the decision", async () => {
        const cur = await kv.get<LedgerEntry>(key);
        const e = cur.value;
        if (!e) {
          throw new RangeError(
            `Cannot record the decision as message ${gmailId} of account ${accountId} was never claimed`,
          );
        }
        // A decision made again (a conflict, an acknowledgement another
        // message of the thread has) may send to no one, or elsewhere.
        const before = e.recipientAddress ?? null;
        const markKeys = [
          ...(senderAddress
            ? [keys.replyMarks(accountId, "sender", senderAddress)]
            : []),
          ...(recipient ? [keys.replyMarks(accountId, "to", recipient)] : []),
          ...(before && before !== recipient
            ? [keys.replyMarks(accountId, "to", before)]
            : []),
        ];
        const marks = markKeys.length > 0
          ? await kv.getMany<ReplyMarks[]>(markKeys)
          : [];
        const op = kv.atomic().check(cur);
        const d = input.decision;
        const auto = d.action === "reply" || d.acknowledgement !== undefined;
        const mark: SenderMark = { at: e.claimedAt, action: d.action, auto };
        if (senderAddress) {
          op.set(keys.ledgerBySender(accountId, senderAddress, gmailId), mark);
        }
        if (before && before !== recipient) {
          op.delete(keys.ledgerByRecipient(accountId, before, gmailId));
        }
        if (recipient) {
          op.set(keys.ledgerByRecipient(accountId, recipient, gmailId), mark);
        }
        // The one-read counts of `store.emails` follow the indexes.
        for (const m of marks) {
          const gone = before !== recipient &&
            m.key[3] === before && m.key[2] === "to";
          op.check(m).set(
            m.key,
            gone ? withoutMark(m.value, gmailId) : withMark(
              m.value,
              [gmailId, e.claimedAt.getTime(), auto ? 1 : 0],
              input.now,
            ),
            { expireIn: MARKS_EXPIRE_MS },
          );
        }
        const next: LedgerEntry = {
          ...e,
          state: e.state === "claimed" ? "decided" : e.state,
          decision: input.decision,
          effects: input.effects,
          replyMessageId: input.replyMessageId,
          sender: input.sender,
          senderAddress,
          recipientAddress: recipient,
          subject: input.subject,
          updatedAt: input.now,
        };
        const res = await op.set(key, next).commit();
        return res.ok ? true : undefined;
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
      const prefix = f.accountId
        ? keys.ledgerByAccountTimePrefix(f.accountId)
        : keys.ledgerByTimePrefix();
      const a = f.after;
      // The next page ends (exclusive, listing backwards) at the cursor.
      const end = a
        ? (f.accountId
          ? keys.ledgerByAccountTime(f.accountId, a.at.getTime(), a.gmailId)
          : keys.ledgerByTime(a.at.getTime(), a.accountId, a.gmailId))
        : null;
      const text = f.text?.toLowerCase();
      const it = kv.list<null>(
        end ? { prefix, end } : { prefix },
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
        if (
          text && !(e.subject ?? "").toLowerCase().includes(text) &&
          !(e.senderAddress ?? "").includes(text)
        ) continue;
        out.push(e);
        if (out.length >= limit) break;
      }
      return out;
    },
    async prune(before, limit) {
      let n = 0;
      const it = kv.list<null>({
        start: keys.ledgerByTimePrefix(),
        end: [...keys.ledgerByTimePrefix(), before.getTime()],
      }, { limit: limit * 4, batchSize: 100 });
      for await (const idx of it) {
        if (n >= limit) break;
        const [, atMs, accountId, gmailId] = idx.key as [
          string,
          number,
          string,
          string,
        ];
        const cur = await kv.get<LedgerEntry>(keys.ledger(accountId, gmailId));
        const e = cur.value;
        if (e !== null && (e.state !== "done" || e.updatedAt >= before)) {
          continue;
        }
        const op = kv.atomic().check(cur).delete(idx.key)
          .delete(keys.ledgerByAccountTime(accountId, atMs, gmailId));
        if (e?.senderAddress) {
          op.delete(keys.ledgerBySender(accountId, e.senderAddress, gmailId));
        }
        if (e?.recipientAddress) {
          op.delete(
            keys.ledgerByRecipient(accountId, e.recipientAddress, gmailId),
          );
        }
        if (e !== null) {
          op.delete(keys.ledgerByThread(accountId, e.threadId, gmailId));
        }
        if (e !== null) op.delete(cur.key);
        if ((await op.commit()).ok && e !== null) n++;
      }
      return n;
    },
    async listThread(accountId, threadId) {
      const out: LedgerEntry[] = [];
      const prefix = keys.ledgerByThreadPrefix(accountId, threadId);
      for await (const idx of kv.list<null>({ prefix })) {
        const gmailId = idx.key[idx.key.length - 1] as string;
        const e = (await kv.get<LedgerEntry>(keys.ledger(accountId, gmailId)))
          .value;
        if (e) out.push(e);
      }
      return out.sort((a, b) =>
        a.claimedAt.getTime() - b.claimedAt.getTime() ||
        (a.gmailId < b.gmailId ? -1 : a.gmailId > b.gmailId ? 1 : 0)
      );
    },
    countRepliesTo(accountId, senderAddress, since) {
      return countMarks(
        keys.ledgerBySenderPrefix(accountId, senderAddress.toLowerCase()),
        since,
        true,
      );
    },
    countRepliesAddressedTo(accountId, recipient, since) {
      return countMarks(
        keys.ledgerByRecipientPrefix(accountId, recipient.toLowerCase()),
        since,
        true,
      );
    },
    countFrom(accountId, senderAddress, since) {
      return countMarks(
        keys.ledgerBySenderPrefix(accountId, senderAddress.toLowerCase()),
        since,
      );
    },
  };
}
