/**
 * Order among the messages a cycle handles at the same time: messages of
 * one thread one after the other, in listing order; and messages that
 * share a sender or a reply recipient (the reply cap's keys, known only
 * once a message is read) one after the other too, in listing order, so
 * two replies never count against the cap on the same stale count. Each
 * message takes a ticket in listing order: the ticket queues for its
 * thread at once, and for its cap keys when it asks, after every earlier
 * ticket has asked or given up asking. Every queue follows ticket order,
 * so no two tickets wait for each other. Also the slots that bound how
 * many run at once.
 * @module
 */

/** One message's place in the order. */
export interface Ticket {
  /** Resolves once the ticket's thread is free for it. */
  readonly thread: Promise<void>;
  /**
   * Queues for `keys` once every earlier ticket has queued for its own or
   * given up, and resolves when they are all free for this ticket.
   */
  enter(keys: readonly string[]): Promise<void>;
  /** Frees what the ticket holds and lets later tickets queue (idempotent). */
  done(): void;
}

/** The order of one cycle. */
export interface Lanes {
  /** The next ticket, for a message of `threadId`. */
  ticket(threadId: string): Ticket;
}

/** FIFO queues by key: a holder holds all its keys, in call order. */
function createQueues() {
  const tails = new Map<string, Promise<void>>();
  return {
    /** Queues now; resolves with a release once every key is free. */
    join(keys: readonly string[]): {
      held: Promise<void>;
      release: () => void;
    } {
      const uniq = [...new Set(keys)];
      let release!: () => void;
      const mine = new Promise<void>((r) => release = r);
      const before = uniq.map((k) => tails.get(k) ?? Promise.resolve());
      for (const k of uniq) tails.set(k, mine);
      return {
        held: Promise.all(before).then(() => {}),
        release: () => {
          release();
          for (const k of uniq) if (tails.get(k) === mine) tails.delete(k);
        },
      };
    },
  };
}

/** New lanes for one cycle. */
export function createLanes(): Lanes {
  const queues = createQueues();
  let issued = 0;
  /** The ticket whose turn it is to queue for its cap keys. */
  let next = 0;
  const passed = new Set<number>();
  const turns = new Map<number, () => void>();

  const pass = (seq: number) => {
    if (seq < next || passed.has(seq)) return;
    passed.add(seq);
    const wake = (n: number) => {
      const w = turns.get(n);
      turns.delete(n);
      w?.();
    };
    while (passed.has(next)) {
      passed.delete(next);
      wake(next); // one that gave up while waiting returns at once
      next++;
    }
    wake(next);
  };
  const turn = (seq: number): Promise<void> =>
    seq === next ? Promise.resolve() : new Promise((r) => turns.set(seq, r));

  return {
    ticket(threadId) {
      const seq = issued++;
      const thread = queues.join([`thread:${threadId}`]);
      const releases = [thread.release];
      let finished = false;
      return {
        thread: thread.held,
        async enter(keys) {
          await turn(seq);
          if (finished) return;
          const cap = queues.join(keys.map((k) => `cap:${k}`));
          releases.push(cap.release);
          pass(seq);
          await cap.held;
        },
        done() {
          if (finished) return;
          finished = true;
          pass(seq);
          for (const r of releases) r();
        },
      };
    },
  };
}

/** At most `n` at a time: `take` waits for a free slot, `give` frees one. */
export interface Slots {
  take(): Promise<void>;
  give(): void;
}

/** `n` slots, served in the order asked. */
export function createSlots(n: number): Slots {
  let free = Math.max(1, n);
  const waiting: (() => void)[] = [];
  return {
    async take() {
      if (free > 0) {
        free--;
        return;
      }
      await new Promise<void>((r) => waiting.push(r));
    },
    give() {
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
  };
}

/**
 * Runs `fn` over `items`, at most `n` at a time; every call settles before
 * it returns; the first error is thrown then.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  n: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const slots = createSlots(n);
  const out: R[] = [];
  let failed: { err: unknown } | null = null;
  await Promise.all(items.map(async (item, i) => {
    await slots.take();
    try {
      if (failed === null) out[i] = await fn(item);
    } catch (err) {
      failed ??= { err };
    } finally {
      slots.give();
    }
  }));
  if (failed !== null) throw (failed as { err: unknown }).err;
  return out;
}
