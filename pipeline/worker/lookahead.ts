/**
 * What the store knows of a cycle's listed messages, known before each one
 * is handled: the ledger entry of inbound mail (handled mail is skipped
 * before Gmail is asked for it) and the agent's sent marker of the
 * account's own sent mail (the agent's replies need nothing more). Read a
 * few at a time (`store.emails.peek`), and carried along by each email's
 * own snapshot where its read has room (`SnapshotQuery.alsoPeek`), which
 * on Deno KV makes them free. Forgotten once asked for, and never offered
 * again: a snapshot's spare keys go to messages not known yet, so the reads
 * keep ahead of the messages being handled.
 * @module
 */
import type { MessageRef, Peeked, PeekedEntry, PeekIds } from "../ports.ts";

/** How many messages one explicit read asks for. */
export const PEEK_CHUNK = 20;

/** What is known of one listed message. */
export type Known =
  /** Inbound mail: its ledger entry, or null. */
  | { kind: "inbound"; entry: PeekedEntry | null }
  /** The account's own sent mail: whether the agent's marker is live. */
  | { kind: "sent"; byAgent: boolean };

/** The lookahead of one cycle. */
export interface Lookahead {
  /** What is known of `refs[i]`, read first if not known yet. */
  at(i: number): Promise<Known>;
  /** Up to `n` messages not known yet, for a snapshot to read along. */
  wanted(n: number): PeekIds;
  /**
   * What a snapshot read along; `offered` (from `wanted`) not read are
   * offered again.
   */
  add(found: Peeked | undefined, offered?: PeekIds): void;
}

/**
 * A lookahead over `refs`; `isSent(ref)` tells the account's own sent
 * mail; `peek(ids)` reads.
 */
export function createLookahead(
  refs: readonly MessageRef[],
  isSent: (ref: MessageRef) => boolean,
  peek: (ids: PeekIds) => Promise<Peeked>,
): Lookahead {
  const known = new Map<string, Known>();
  const reading = new Map<string, Promise<void>>();
  /** Handed out by `at`: never offered or read again this cycle. */
  const asked = new Set<string>();
  /** Index of the first message never handed out by `wanted` or read. */
  let frontier = 0;
  /** Handed out by `wanted`, not read: offered again first. */
  let unread: MessageRef[] = [];
  const byId = new Map(refs.map((r) => [r.id, r]));

  const open = (r: MessageRef) =>
    !known.has(r.id) && !reading.has(r.id) && !asked.has(r.id);

  const split = (list: MessageRef[]): PeekIds => ({
    gmailIds: list.filter((r) => !isSent(r)).map((r) => r.id),
    sentIds: list.filter(isSent).map((r) => r.id),
  });

  const add = (found: Peeked | undefined, offered?: PeekIds) => {
    for (const [id, entry] of found?.entries ?? []) {
      if (!known.has(id)) known.set(id, { kind: "inbound", entry });
    }
    for (const [id, byAgent] of found?.agentSent ?? []) {
      if (!known.has(id)) known.set(id, { kind: "sent", byAgent });
    }
    for (const id of [...offered?.gmailIds ?? [], ...offered?.sentIds ?? []]) {
      const r = byId.get(id);
      if (r && open(r)) unread.push(r);
    }
  };

  const read = (list: MessageRef[]): Promise<void> => {
    const p = peek(split(list)).then(add).finally(() => {
      for (const r of list) reading.delete(r.id);
    });
    for (const r of list) reading.set(r.id, p);
    return p;
  };

  return {
    async at(i) {
      const ref = refs[i]!;
      while (!known.has(ref.id)) {
        const inFlight = reading.get(ref.id);
        if (inFlight) {
          await inFlight.catch(() => {});
          continue;
        }
        const list = [ref];
        for (let j = i + 1; j < refs.length && list.length < PEEK_CHUNK; j++) {
          const r = refs[j]!;
          if (open(r) && !list.some((x) => x.id === r.id)) list.push(r);
        }
        frontier = Math.max(frontier, i + 1);
        await read(list);
        // Read and not found: nothing is known of it.
        if (!known.has(ref.id)) {
          known.set(
            ref.id,
            isSent(ref)
              ? { kind: "sent", byAgent: false }
              : { kind: "inbound", entry: null },
          );
        }
      }
      const k = known.get(ref.id)!;
      known.delete(ref.id);
      asked.add(ref.id);
      return k;
    },
    wanted(n) {
      const list: MessageRef[] = [];
      const again = unread.filter(open);
      list.push(...again.slice(0, n));
      unread = again.slice(n);
      while (frontier < refs.length && list.length < n) {
        const r = refs[frontier++]!;
        if (open(r) && !list.some((x) => x.id === r.id)) list.push(r);
      }
      return split(list);
    },
    add,
  };
}
