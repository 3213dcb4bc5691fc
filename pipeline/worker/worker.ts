/**
 * The polling worker: for each active account, one cycle at a time anywhere
 * (a lease owned by the cycle's own attempt id, renewed while it runs, with
 * a deadline), sync, process each message exactly once (the account's own
 * SENT mail only tells whether a person took a thread over), then move the
 * cursor. A second poll while one runs joins it. A failed email gives its
 * claim back with a back-off that doubles with each of its failures (up to
 * a cap); a stopped cycle gives back its claim at once. Several messages of
 * a mailbox are handled at a time, and accounts in parallel (lanes.ts).
 * One account's failure is recorded on it and the cycle carries on with
 * the others; a store that stops answering ends the whole poll.
 * @module
 */
import type { Logger } from "../log.ts";
import type { PlanServices } from "../decide/plan_email.ts";
import { type CrashStep, processMessage } from "./process_message.ts";
import {
  DEFAULT_MAX_MESSAGE_FAILURES,
  recordMessageFailure,
  retryBackoff,
} from "./message_failures.ts";
import { isOwnSent, noteSentMessage } from "./sent_messages.ts";
import {
  pauseAccount,
  pausedUntil,
  pauseFor,
  stopsTheAccount,
} from "./account_pause.ts";
import {
  type CycleGuard,
  CycleStoppedError,
  startCycleGuard,
  type Timers,
} from "./cycle_guard.ts";
import {
  addSummaries,
  countProcessed,
  emptySummary,
  type PollSummary,
} from "./poll_summary.ts";
import {
  type Clock,
  InsufficientScopeError,
  LabelConflictError,
  LeaseLostError,
  type Mailbox,
  type MailboxFactory,
  type MessageRef,
  type PeekedEntry,
  ReconnectNeededError,
  type Store,
  StoreUnavailableError,
} from "../ports.ts";
import { createLookahead, type Lookahead } from "./lookahead.ts";
import { createLanes, createSlots, mapBounded, type Ticket } from "./lanes.ts";
import { processedLabelId, syncAccount, type SyncConfig } from "./sync.ts";
import type { Account } from "../types.ts";

export type { CrashStep } from "./process_message.ts";
export { emptySummary, type PollSummary } from "./poll_summary.ts";

/** Messages of one mailbox handled at a time, by default. */
export const DEFAULT_MESSAGE_CONCURRENCY = 6;
/** Accounts polled at a time, by default. */
export const DEFAULT_ACCOUNT_CONCURRENCY = 4;

/** One account's cycle while its messages are handled. */
interface AccountRun {
  account: Account;
  mailbox: Mailbox;
  guard: CycleGuard;
  s: PollSummary;
  log: Logger;
  /** The id of the processed label (looked up again if deleted). */
  labelId: string;
  /** False once a message is left for a later cycle (the cursor stays). */
  complete: boolean;
  /** Messages processed or failed (a full sync's share counts them). */
  handled: number;
  lookahead: Lookahead;
}

/** Optional metric recorders (`app/ops/metrics.ts` `Metrics` fits). */
export interface WorkerMetrics {
  emailProcessed(l: { category: string; action: string; reason: string }): void;
  error(kind: string): void;
  observeLatency(seconds: number, stage?: "email" | "poll_cycle"): void;
  syncSucceeded(accountId: string, at: Date): void;
}

/** What the worker needs. */
export interface WorkerDeps {
  store: Store;
  mailboxes: MailboxFactory;
  decide: PlanServices;
  sync: SyncConfig;
  clock: Clock;
  logger: Logger;
  /** Id of this instance, the prefix of its attempt ids. Default: random. */
  workerId?: string;
  /**
   * An instance id stable across restarts (INSTANCE_ID; unique per running
   * instance): it becomes the worker id, and a restarted process takes the
   * leases its killed predecessor left at once instead of waiting them out.
   */
  instanceId?: string;
  /** Lease on one account while a cycle runs, renewed every third. Default 60 s. */
  leaseTtlMs?: number;
  /** A cycle of one account stops cleanly after this long. Default 4 minutes. */
  cycleDeadlineMs?: number;
  /**
   * A failed email is claimed again after this back-off, doubled with each
   * failure of it up to `maxRetryBackoffMs`. Default 30 s.
   */
  retryBackoffMs?: number;
  /** The longest back-off of a failed email. Default 15 minutes. */
  maxRetryBackoffMs?: number;
  /** A claim older than this is taken over by an unfenced claim. Default 10 minutes. */
  claimStaleMs?: number;
  metrics?: WorkerMetrics;
  /**
   * Messages of one mailbox handled at a time (its Gmail calls all go
   * through the mailbox's quota limiter). Default 6.
   */
  messageConcurrency?: number;
  /** Accounts polled at a time. Default 4. */
  accountConcurrency?: number;
  /** Failed cycles (non-transient errors) before a message goes to review. Default 5. */
  maxMessageFailures?: number;
  /** Backstop timers of the cycle guard (tests pass ones that never fire). */
  timers?: Timers;
  /**
   * Leave sandbox accounts out of `pollOnce`: true in a process with no
   * sandbox (a CLI command), whose emulator token is good only against the
   * server that started the sandbox. Default false.
   */
  skipSandboxAccounts?: boolean;
  /** Test hook: throw from here to simulate a crash after a step. */
  crashAt?: (step: CrashStep, gmailId: string) => void;
}

/** The worker. */
export interface Worker {
  readonly workerId: string;
  /** One cycle over every active account; a call while one runs joins it. */
  pollOnce(): Promise<PollSummary>;
  /** One account (under its lease); a call while it runs joins it. */
  processAccount(account: Account): Promise<PollSummary>;
}

/**
 * Errors that end an account's cycle at once instead of failing one email:
 * the account needs a person (reconnect, missing permission), the store or
 * the lease is gone, or Gmail's quota is out (every further call would fail
 * too: the rest of the mail waits, nothing is counted against it).
 */
function endsCycle(err: unknown): boolean {
  return needsReconnect(err) ||
    err instanceof StoreUnavailableError ||
    err instanceof CycleStoppedError || err instanceof LeaseLostError ||
    stopsTheAccount(err);
}

/** True when only a person reconnecting the account can make calls work. */
function needsReconnect(err: unknown): boolean {
  return err instanceof ReconnectNeededError ||
    err instanceof InsufficientScopeError;
}

/** Creates the worker. */
export function createWorker(deps: WorkerDeps): Worker {
  const workerId = deps.instanceId ?? deps.workerId ?? crypto.randomUUID();
  const leaseTtlMs = deps.leaseTtlMs ?? 60_000;
  const cycleDeadlineMs = deps.cycleDeadlineMs ?? 4 * 60_000;
  const backoff = {
    baseMs: deps.retryBackoffMs ?? 30_000,
    maxMs: deps.maxRetryBackoffMs ?? 15 * 60_000,
  };
  const claimStaleMs = deps.claimStaleMs ?? 10 * 60_000;
  const messageConcurrency = deps.messageConcurrency ??
    DEFAULT_MESSAGE_CONCURRENCY;
  const accountConcurrency = deps.accountConcurrency ??
    DEFAULT_ACCOUNT_CONCURRENCY;
  const maxFailures = deps.maxMessageFailures ??
    DEFAULT_MAX_MESSAGE_FAILURES;
  const { store, clock } = deps;
  let polling: Promise<PollSummary> | null = null;
  const running = new Map<string, Promise<PollSummary>>();

  /**
   * Gives this attempt's claim of `ref` back; the next claim waits `delayMs`.
   * `failed`: the email's failure, counted in its entry (the back-off).
   */
  async function release(
    account: Account,
    ref: MessageRef,
    guard: CycleGuard,
    delayMs: number,
    failed = false,
  ): Promise<void> {
    const now = clock.now();
    await store.ledger.release(account.id, ref.id, {
      workerId: guard.attemptId,
      retryAt: new Date(now.getTime() + delayMs),
      now,
      failed,
    }).catch(() => undefined); // the attempt's claim is not live anyway
  }

  async function runAccount(
    account: Account,
    s: PollSummary,
    guard: CycleGuard,
  ): Promise<void> {
    const log = deps.logger.child({ accountId: account.id });
    const mailbox = deps.mailboxes.mailboxFor(account);
    const batch = await syncAccount(account, mailbox, {
      store,
      config: deps.sync,
      logger: log,
      clock,
    });
    const run: AccountRun = {
      account,
      mailbox,
      guard,
      s,
      log,
      labelId: batch.processedLabelId,
      complete: true,
      handled: 0,
      lookahead: createLookahead(
        batch.messages,
        isOwnSent,
        (ids) =>
          store.emails.peek({
            accountId: account.id,
            ...ids,
            workerId: guard.attemptId,
            now: clock.now(),
            staleAfterMs: claimStaleMs,
            lease: guard.lease,
          }),
      ),
    };
    // Several messages at a time (bounded); one thread's in order, and
    // those sharing a sender or recipient one after the other (lanes.ts).
    const lanes = createLanes();
    const slots = createSlots(messageConcurrency);
    const tasks = new Set<Promise<void>>();
    let stop: { err: unknown } | null = null;
    let running = 0;
    const seen = new Set<string>();
    try {
      for (const [i, ref] of batch.messages.entries()) {
        if (stop !== null) break;
        if (seen.has(ref.id)) continue;
        seen.add(ref.id);
        await guard.check();
        const known = await run.lookahead.at(i);
        // The agent's own reply: nothing to check.
        if (known.kind === "sent" && known.byAgent) continue;
        const peeked = known.kind === "inbound" ? known.entry : null;
        if (peeked?.claim === "done") continue;
        if (peeked?.claim === "busy") {
          run.complete = false;
          continue;
        }
        const own = isOwnSent(ref);
        if (!own && run.handled + running >= batch.budget) {
          // A full sync's share for this cycle: the rest follows next cycle.
          run.complete = false;
          log.info("full sync share done; the rest follows next cycle", {
            handled: run.handled + running,
          });
          break;
        }
        await slots.take();
        if (stop !== null) {
          slots.give();
          break;
        }
        const ticket = lanes.ticket(ref.threadId);
        if (!own) running++;
        const task = (async () => {
          try {
            await ticket.thread;
            if (own) {
              // In history order, so a person's reply counts before later mail.
              if (!(await noteSent(ref, account, mailbox, s))) {
                run.complete = false;
              }
            } else await handleMessage(run, ref, peeked, ticket);
          } catch (err) {
            stop ??= { err };
          } finally {
            ticket.done();
            slots.give();
            if (!own) running--;
          }
        })();
        tasks.add(task);
        task.finally(() => tasks.delete(task));
      }
    } catch (err) {
      stop ??= { err };
    }
    // Every message started finishes (or fails) before the cycle ends.
    while (tasks.size > 0) await Promise.all([...tasks]);
    if (stop !== null) throw stop.err;
    // The cursor moves only past messages that are all handled.
    await guard.check();
    if (run.complete) await batch.commit();
    else log.warn("cursor kept: some messages are not finished");
  }

  /** One inbound message; throws only what ends the cycle. */
  async function handleMessage(
    run: AccountRun,
    ref: MessageRef,
    peeked: PeekedEntry | null,
    ticket: Ticket,
  ): Promise<void> {
    const { account, mailbox, guard, s, log } = run;
    const started = performance.now();
    try {
      const out = await processMessage(ref, {
        account,
        mailbox,
        processedLabelId: run.labelId,
        relabel: async () =>
          run.labelId = await processedLabelId(
            account,
            mailbox,
            store.syncState,
            { refresh: true },
          ),
      }, {
        store,
        decide: deps.decide,
        clock,
        workerId: guard.attemptId,
        lease: guard.lease,
        checkLive: guard.check,
        claimStaleMs,
        crashAt: deps.crashAt,
        logger: log,
        lookahead: run.lookahead,
        serialize: (keys) => ticket.enter(keys),
      }, peeked);
      if (out.status === "skipped") {
        if (out.why === "busy") run.complete = false;
        return;
      }
      run.handled++;
      countProcessed(s, out.decision, out.sent);
      const d = out.decision;
      deps.metrics?.emailProcessed({
        category: d.category,
        action: d.action,
        reason: d.reason,
      });
      deps.metrics?.observeLatency((performance.now() - started) / 1000);
      log.info("email processed", {
        gmailId: ref.id,
        action: d.action,
        category: d.category,
        reason: d.reason,
      });
    } catch (err) {
      if (endsCycle(err)) {
        await release(account, ref, guard, 0);
        throw err;
      }
      s.errors++;
      run.handled++;
      deps.metrics?.error("message");
      const outcome = await recordMessageFailure(ref, account, err, {
        store,
        now: clock.now(),
        maxFailures,
      }).catch(() => "retry" as const);
      if (outcome === "retry") {
        run.complete = false;
        // Doubled with each failure of this email (its entry counts them).
        const entry = await store.ledger.get(account.id, ref.id)
          .catch(() => null);
        const delay = retryBackoff(entry?.retries ?? 0, backoff);
        await release(account, ref, guard, delay, true);
      }
      log.error(
        outcome === "retry"
          ? "email failed; it will be retried"
          : "email failed again; handed to review",
        { gmailId: ref.id, error: err },
      );
    }
  }

  /** One SENT message of the account; false when it must be seen again. */
  async function noteSent(
    ref: MessageRef,
    account: Account,
    mailbox: Mailbox,
    s: PollSummary,
  ): Promise<boolean> {
    const log = deps.logger.child({ accountId: account.id });
    try {
      const out = await noteSentMessage(ref, { account, mailbox }, {
        store,
        now: clock.now(),
      });
      if (out === "person") {
        log.info("a person replied in Gmail; the thread is theirs", {
          gmailId: ref.id,
          threadId: ref.threadId,
        });
      }
      return true;
    } catch (err) {
      if (endsCycle(err)) throw err;
      s.errors++;
      deps.metrics?.error("message");
      log.error("sent message not checked; it will be retried", {
        gmailId: ref.id,
        error: err,
      });
      return false;
    }
  }

  /** One cycle of one account under a fresh attempt id. */
  async function cycle(account: Account): Promise<PollSummary> {
    const s = emptySummary();
    const guard = await startCycleGuard({
      leases: store.leases,
      clock,
      lease: `poll:${account.id}`,
      attemptId: `${workerId}/${crypto.randomUUID()}`,
      ttlMs: leaseTtlMs,
      deadlineMs: cycleDeadlineMs,
      // In this process one cycle per account runs (joins): any other live
      // lease of this instance id is a killed predecessor's.
      reclaimFrom: deps.instanceId ? `${deps.instanceId}/` : undefined,
      timers: deps.timers,
    });
    if (guard === null) {
      deps.logger.info("account is polled by another cycle", {
        accountId: account.id,
      });
      return s;
    }
    s.accounts = 1;
    let fatal: unknown = null;
    try {
      const until = await pausedUntil(store.syncState, account.id, clock.now());
      if (until !== null) {
        // Paused by Gmail's quota: no call until then; the mail waits.
        deps.logger.info("account paused by Gmail's quota", {
          accountId: account.id,
          until: until.toISOString(),
        });
        return s;
      }
      await runAccount(account, s, guard);
      const at = clock.now();
      await store.accounts.recordSync(
        account.id,
        at,
        s.errors > 0
          ? `${s.errors} message(s) failed; they will be retried`
          : null,
      );
      if (s.errors === 0) deps.metrics?.syncSucceeded(account.id, at);
    } catch (err) {
      s.errors++;
      let reason = err instanceof Error ? err.message : String(err);
      const pause = pauseFor(err, clock.now());
      if (pause !== null) {
        reason = pause.reason;
        await pauseAccount(store.syncState, account.id, pause.until)
          .catch((e) => fatal = e);
      }
      if (err instanceof InsufficientScopeError) {
        reason =
          "Gmail refused a call as the account did not grant the permission it needs (insufficientPermissions): reconnect it and allow reading, sending and labelling mail";
      }
      if (err instanceof StoreUnavailableError) {
        deps.metrics?.error("store");
        fatal = err;
      } else if (needsReconnect(err)) {
        deps.metrics?.error("invalid_grant");
        await store.accounts.setStatus(account.id, "needs_reconnect", reason)
          .catch((e) => fatal = e);
      } else if (err instanceof LabelConflictError) {
        // Handled once: the account waits for a person, not the next cycle.
        deps.metrics?.error("sync");
        await store.accounts.setStatus(account.id, "paused", reason)
          .catch((e) => fatal = e);
      } else if (
        err instanceof CycleStoppedError || err instanceof LeaseLostError
      ) {
        deps.metrics?.error("cycle_stopped");
      } else {
        deps.metrics?.error("sync");
      }
      deps.logger.error(
        err instanceof CycleStoppedError || err instanceof LeaseLostError
          ? "account cycle stopped; its unfinished mail is left for the next cycle"
          : "account sync failed",
        { accountId: account.id, error: err },
      );
      if (fatal === null) {
        await store.accounts.recordSync(account.id, clock.now(), reason)
          .catch((e) => fatal = e);
      }
    } finally {
      await guard.end().catch(() => undefined); // the lease then expires alone
    }
    if (fatal !== null) throw fatal;
    return s;
  }

  function processAccount(account: Account): Promise<PollSummary> {
    const joined = running.get(account.id);
    if (joined) return joined;
    const run = cycle(account).finally(() => running.delete(account.id));
    running.set(account.id, run);
    return run;
  }

  async function pollAll(): Promise<PollSummary> {
    const started = performance.now();
    let total = emptySummary();
    const accounts = (await store.accounts.list()).filter((a) =>
      a.status === "active" && !(deps.skipSandboxAccounts && a.sandbox)
    );
    // Accounts in parallel (bounded); each has its own lease and quota.
    const each = await mapBounded(
      accounts,
      accountConcurrency,
      processAccount,
    );
    for (const one of each) total = addSummaries(total, one);
    deps.metrics?.observeLatency(
      (performance.now() - started) / 1000,
      "poll_cycle",
    );
    return total;
  }

  return {
    workerId,
    processAccount,
    pollOnce() {
      polling ??= pollAll().finally(() => polling = null);
      return polling;
    },
  };
}
