/**
 * One email's records on Deno KV in three round trips: `snapshot` is one
 * `getMany` (the entry, the lease, the thread's takeover, open review items
 * and refund case, the sender's and recipients' reply marks); `begin` is
 * one atomic commit checked against every value the snapshot read that it
 * changes or relies on (the entry, the lease, the marks, the thread's open
 * items); `finish` is one atomic commit checked against `begin`'s
 * versionstamp. `peek` reads ten entries per `getMany`.
 * @module
 */
import type {
  BeginInput,
  BeginResult,
  ClaimerInput,
  EmailRecordStore,
  EmailSnapshot,
  FinishInput,
  Peeked,
  PeekIds,
  SnapshotQuery,
  StateRetention,
} from "../../pipeline/ports.ts";
import type { LedgerEntry, RefundCase } from "../../pipeline/types.ts";
import { claimStatus } from "../claim_rules.ts";
import { keys, retryAtomic } from "./keys.ts";
import type { SenderMark } from "./kv_ledger.ts";
import {
  countMarks,
  MARKS_EXPIRE_MS,
  type ReplyMarks,
  withMark,
} from "./kv_reply_marks.ts";
import { addItem, newReviewItem } from "./kv_review.ts";
import type { Lease } from "./kv_small.ts";

/** Most keys of one `getMany`. */
const GET_MANY_MAX = 10;

const DAY_MS = 86_400_000;

/** What a snapshot read, for `begin`'s checks. */
interface KvToken {
  entry: Deno.KvEntryMaybe<LedgerEntry>;
  lease: Deno.KvEntryMaybe<Lease> | null;
  open: Deno.KvEntryMaybe<string[]>;
  takeover: Deno.KvEntryMaybe<unknown>;
  /** The message's review item id, if it has one. */
  reviewed: Deno.KvEntryMaybe<string>;
  /** Reply marks read, by `JSON.stringify(key)`. */
  marks: Map<string, Deno.KvEntryMaybe<ReplyMarks>>;
}

/** What `begin` hands to `finish`. */
interface KvBegun {
  versionstamp: string;
  stored: LedgerEntry;
}

const keyId = (k: Deno.KvKey) => JSON.stringify(k);

/** True when `lease` is held by `owner` at `now`. */
function holds(lease: Lease | null, owner: string, now: Date): boolean {
  return lease !== null && lease.owner === owner &&
    lease.expiresAt > now.getTime();
}

/** One key to read ahead: a ledger entry or an agent's sent marker. */
interface PeekKey {
  kind: "entry" | "sent";
  id: string;
  key: Deno.KvKey;
}

/** The keys of `ids`, inbound first. */
function peekKeys(accountId: string, ids: PeekIds): PeekKey[] {
  return [
    ...[...new Set(ids.gmailIds)].map((id) => ({
      kind: "entry" as const,
      id,
      key: keys.ledger(accountId, id),
    })),
    ...[...new Set(ids.sentIds)].map((id) => ({
      kind: "sent" as const,
      id,
      key: keys.sentReply(accountId, id, "agent"),
    })),
  ];
}

/** Records what was read for `wanted` (`got` in the same order) in `out`. */
function fillPeeked(
  out: Peeked,
  wanted: PeekKey[],
  got: Deno.KvEntryMaybe<unknown>[],
  who: ClaimerInput,
): void {
  wanted.forEach((w, i) => {
    const v = got[i]!.value;
    if (w.kind === "entry") {
      const e = v as LedgerEntry | null;
      out.entries.set(
        w.id,
        e ? { entry: e, claim: claimStatus(e, who) } : null,
      );
    } else {
      const m = v as { expiresAt: number } | null;
      out.agentSent.set(w.id, m !== null && m.expiresAt > who.now.getTime());
    }
  });
}

/** The email records over `kv`; sent markers are kept as `retention` says. */
export function createKvEmails(
  kv: Deno.Kv,
  retention: StateRetention,
): EmailRecordStore {
  return {
    async peek(input) {
      const wanted = peekKeys(input.accountId, input);
      const chunks: (typeof wanted)[] = [];
      for (let i = 0; i < wanted.length; i += GET_MANY_MAX) {
        chunks.push(wanted.slice(i, i + GET_MANY_MAX));
      }
      const out: Peeked = { entries: new Map(), agentSent: new Map() };
      const read = await Promise.all(
        chunks.map((c) => kv.getMany<unknown[]>(c.map((w) => w.key))),
      );
      read.forEach((got, i) => fillPeeked(out, chunks[i]!, got, input));
      return out;
    },

    async snapshot(q: SnapshotQuery): Promise<EmailSnapshot> {
      const a = q.accountId;
      const senderKeys = [
        ...new Set([q.capSender, q.sender].filter((x) => x !== null)),
      ].map((s) => keys.replyMarks(a, "sender", s!));
      const toKeys = [...new Set(q.capRecipients)].map((r) =>
        keys.replyMarks(a, "to", r)
      );
      const fixed: Deno.KvKey[] = [
        keys.ledger(a, q.gmailId),
        keys.takeover(a, q.threadId),
        keys.reviewOpenByThread(a, q.threadId),
        keys.refundCase(a, q.threadId),
        keys.reviewByMessage(a, q.gmailId),
        ...(q.lease !== undefined ? [keys.lease(q.lease)] : []),
        ...(q.acknowledgement ? [keys.threadAck(a, q.threadId)] : []),
      ];
      const own = [...fixed, ...senderKeys, ...toKeys];
      if (own.length > GET_MANY_MAX) {
        throw new RangeError(
          `Cannot read the email's records as they need ${own.length} keys: at most ${GET_MANY_MAX}`,
        );
      }
      // The room left in the read carries other listed messages along.
      const along = peekKeys(a, {
        gmailIds: (q.alsoPeek?.gmailIds ?? []).filter((g) => g !== q.gmailId),
        sentIds: q.alsoPeek?.sentIds ?? [],
      }).slice(0, GET_MANY_MAX - own.length);
      const all = [...own, ...along.map((w) => w.key)];
      const got = await kv.getMany<unknown[]>(all);
      const peeked: Peeked = { entries: new Map(), agentSent: new Map() };
      fillPeeked(peeked, along, got.slice(own.length), q);
      const [entryR, takeoverR, openR, caseR, reviewedR] = got;
      const leaseR = q.lease !== undefined
        ? got[5] as Deno.KvEntryMaybe<Lease>
        : null;
      const ackR = q.acknowledgement
        ? got[q.lease !== undefined ? 6 : 5] as Deno.KvEntryMaybe<
          { gmailId: string }
        >
        : null;
      const marks = new Map<string, Deno.KvEntryMaybe<ReplyMarks>>();
      for (const r of got.slice(fixed.length, own.length)) {
        marks.set(keyId(r.key), r as Deno.KvEntryMaybe<ReplyMarks>);
      }
      const marksOf = (k: Deno.KvKey) =>
        (marks.get(keyId(k))?.value ?? null) as ReplyMarks | null;
      const dayAgo = new Date(q.now.getTime() - DAY_MS);
      const weekAgo = new Date(q.now.getTime() - 7 * DAY_MS);
      const entry = entryR!.value as LedgerEntry | null;
      const token: KvToken = {
        entry: entryR as Deno.KvEntryMaybe<LedgerEntry>,
        lease: leaseR,
        open: openR as Deno.KvEntryMaybe<string[]>,
        takeover: takeoverR!,
        reviewed: reviewedR as Deno.KvEntryMaybe<string>,
        marks,
      };
      return {
        entry,
        claim: claimStatus(entry, q),
        leaseHeld: leaseR === null || holds(leaseR.value, q.workerId, q.now),
        takenOver: takeoverR!.value !== null,
        repliesToSenderLast24h: q.capSender
          ? countMarks(
            marksOf(keys.replyMarks(a, "sender", q.capSender)),
            dayAgo,
            true,
          )
          : 0,
        repliesToRecipientLast24h: Math.max(
          0,
          ...toKeys.map((k) => countMarks(marksOf(k), dayAgo, true)),
        ),
        fromSenderLast7d: q.sender
          ? countMarks(
            marksOf(keys.replyMarks(a, "sender", q.sender)),
            weekAgo,
            false,
          )
          : 0,
        openReviewItems: ((openR!.value as string[] | null) ?? []).length,
        refundCase: (caseR!.value as RefundCase | null) ?? null,
        threadAcknowledgedBy: ackR?.value?.gmailId ?? null,
        token,
        peeked,
      };
    },

    async begin(input: BeginInput): Promise<BeginResult> {
      const t = input.snapshot.token as KvToken;
      const { accountId: a, gmailId: g, now, workerId } = input;
      const prev = t.entry.value;
      const status = claimStatus(prev, input);
      if (
        (status !== "new" && status !== "claimable") ||
        (prev !== null && prev.decision !== null) ||
        (input.lease !== undefined &&
          (t.lease === null || !holds(t.lease.value, workerId, now)))
      ) return { status: "changed" };
      const senderAddress = input.senderAddress?.toLowerCase() ?? null;
      const recipient = input.recipientAddress?.toLowerCase() ?? null;
      const markKeys = [
        ...(senderAddress ? [keys.replyMarks(a, "sender", senderAddress)] : []),
        ...(recipient ? [keys.replyMarks(a, "to", recipient)] : []),
      ];
      const missing = markKeys.filter((k) => !t.marks.has(keyId(k)));
      const marks = new Map(t.marks);
      if (missing.length > 0) {
        // Keys the snapshot did not read (an ambiguous From): one more read.
        for (const r of await kv.getMany<ReplyMarks[]>(missing)) {
          marks.set(keyId(r.key), r);
        }
      }
      // Whatever the decision was made from must be as it was read.
      const op = kv.atomic().check(t.entry).check(t.takeover).check(t.open);
      if (t.lease !== null) op.check(t.lease);
      for (const m of t.marks.values()) op.check(m);
      const entry: LedgerEntry = {
        accountId: a,
        gmailId: g,
        threadId: prev?.threadId ?? input.threadId,
        state: "decided",
        claimedBy: workerId,
        claimedAt: now,
        retryAt: null,
        ...(prev?.retries !== undefined ? { retries: prev.retries } : {}),
        decision: input.decision,
        effects: input.effects,
        replyMessageId: input.replyMessageId,
        sender: input.sender,
        senderAddress,
        recipientAddress: recipient,
        subject: input.subject,
        error: null,
        updatedAt: now,
      };
      if (prev !== null) {
        const at = prev.claimedAt.getTime();
        op.delete(keys.ledgerByTime(at, a, g))
          .delete(keys.ledgerByAccountTime(a, at, g));
      }
      op.set(keys.ledgerByTime(now.getTime(), a, g), null)
        .set(keys.ledgerByAccountTime(a, now.getTime(), g), null)
        .set(keys.ledgerByThread(a, entry.threadId, g), null);
      const d = input.decision;
      // An auto reply, or a review decision's acknowledgement.
      const auto = d.action === "reply" || d.acknowledgement !== undefined;
      const mark: SenderMark = { at: now, action: d.action, auto };
      if (senderAddress) op.set(keys.ledgerBySender(a, senderAddress, g), mark);
      if (recipient) op.set(keys.ledgerByRecipient(a, recipient, g), mark);
      const reply: 0 | 1 = auto ? 1 : 0;
      for (const k of markKeys) {
        const m = marks.get(keyId(k))!;
        if (!t.marks.has(keyId(k))) op.check(m);
        op.set(
          k,
          withMark(m.value, [g, now.getTime(), reply], now),
          { expireIn: MARKS_EXPIRE_MS },
        );
      }
      // One review item per message: one added before is kept.
      if (input.review !== null && t.reviewed.value === null) {
        if (t.open.key[2] !== input.review.threadId) {
          throw new RangeError(
            `Cannot add the review item of message ${g} as its thread is not the one read`,
          );
        }
        const item = newReviewItem(input.review, now);
        op.check(t.reviewed);
        addItem(op, item, t.open); // checks t.open again: harmless
      }
      const stored = entry;
      const res = await op.set(keys.ledger(a, g), stored).commit();
      if (!res.ok) return { status: "changed" };
      const begun: KvBegun = { versionstamp: res.versionstamp, stored };
      return { status: "claimed", entry, token: begun };
    },

    async finish(input: FinishInput): Promise<void> {
      const { accountId: a, gmailId: g, now } = input;
      const key = keys.ledger(a, g);
      const write = (
        cur: Deno.AtomicCheck,
        stored: LedgerEntry,
      ) => {
        const op = kv.atomic().check(cur).set(key, {
          ...stored,
          state: "done",
          error: null,
          updatedAt: now,
        });
        for (const id of input.agentSentIds) {
          if (id === "") continue;
          op.set(keys.sentReply(a, id, "agent"), {
            at: now,
            expiresAt: now.getTime() + retention.sentReplyMs,
          }, { expireIn: retention.sentReplyMs });
        }
        return op.commit();
      };
      const begun = input.token as KvBegun | undefined;
      if (
        begun &&
        (await write({ key, versionstamp: begun.versionstamp }, begun.stored))
          .ok
      ) {
        return;
      }
      await retryAtomic("mark the message done", async () => {
        const cur = await kv.get<LedgerEntry>(key);
        if (!cur.value) {
          throw new RangeError(
            `Cannot mark the message done as message ${g} of account ${a} was never claimed`,
          );
        }
        return (await write(cur, cur.value)).ok ? true : undefined;
      });
    },
  };
}
