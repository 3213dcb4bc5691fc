/**
 * The polling worker: for each active account (under a lease, so two
 * instances never poll one account at once) sync, process each message
 * exactly once (the account's own SENT mail only tells whether a person
 * took a thread over), then move the cursor. One account's failure is recorded on
 * it and the cycle carries on with the others.
 * @module
 */
import type { Logger } from "./log.ts";
import type { PlanServices } from "./plan_email.ts";
import { type CrashStep, processMessage } from "./process_message.ts";
import {
  DEFAULT_MAX_MESSAGE_FAILURES,
  recordMessageFailure,
} from "./message_failures.ts";
import { isOwnSent, noteSentMessage } from "./sent_messages.ts";
import {
  type Clock,
  type Mailbox,
  type MailboxFactory,
  type MessageRef,
  ReconnectNeededError,
  type Store,
} from "./ports.ts";
import { processedLabelId, syncAccount, type SyncConfig } from "./sync.ts";
import type { Account, Decision } from "./types.ts";

export type { CrashStep } from "./process_message.ts";

/** The `poll --once` summary (README, "Command line"). */
export interface PollSummary {
  accounts: number;
  fetched: number;
  replied: number;
  drafted: number;
  queued: number;
  ignored: number;
  errors: number;
}

/** Optional metric recorders (ops/metrics.ts `Metrics` fits). */
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
  /** Stable id of this instance. Default: a random UUID. */
  workerId?: string;
  /** Lease on one account while it is polled. Default 5 minutes. */
  leaseTtlMs?: number;
  /** A claim older than this is taken over after a crash. Default 10 minutes. */
  claimStaleMs?: number;
  metrics?: WorkerMetrics;
  /** Failed cycles (non-transient errors) before a message goes to review. Default 5. */
  maxMessageFailures?: number;
  /** Test hook: throw from here to simulate a crash after a step. */
  crashAt?: (step: CrashStep, gmailId: string) => void;
}

/** The worker. */
export interface Worker {
  readonly workerId: string;
  /** One cycle over every active account. */
  pollOnce(): Promise<PollSummary>;
  /** One account (under its lease); the summary counts only it. */
  processAccount(account: Account): Promise<PollSummary>;
}

/** An all-zero summary. */
export function emptySummary(): PollSummary {
  return {
    accounts: 0,
    fetched: 0,
    replied: 0,
    drafted: 0,
    queued: 0,
    ignored: 0,
    errors: 0,
  };
}

function add(a: PollSummary, b: PollSummary): PollSummary {
  return {
    accounts: a.accounts + b.accounts,
    fetched: a.fetched + b.fetched,
    replied: a.replied + b.replied,
    drafted: a.drafted + b.drafted,
    queued: a.queued + b.queued,
    ignored: a.ignored + b.ignored,
    errors: a.errors + b.errors,
  };
}

function count(s: PollSummary, d: Decision): void {
  s.fetched++;
  if (d.action === "reply") s.replied++;
  else if (d.action === "draft") s.drafted++;
  else if (d.action === "review") s.queued++;
  else s.ignored++;
}

/** Creates the worker. */
export function createWorker(deps: WorkerDeps): Worker {
  const workerId = deps.workerId ?? crypto.randomUUID();
  const leaseTtlMs = deps.leaseTtlMs ?? 5 * 60_000;
  const claimStaleMs = deps.claimStaleMs ?? 10 * 60_000;
  const maxFailures = deps.maxMessageFailures ??
    DEFAULT_MAX_MESSAGE_FAILURES;
  const { store, clock } = deps;

  async function runAccount(account: Account, s: PollSummary): Promise<void> {
    const log = deps.logger.child({ accountId: account.id });
    const mailbox = deps.mailboxes.mailboxFor(account);
    const batch = await syncAccount(account, mailbox, {
      store,
      config: deps.sync,
      logger: log,
    });
    let labelId = batch.processedLabelId;
    let complete = true;
    for (const ref of batch.messages) {
      if (isOwnSent(ref)) {
        // In history order, so a person's reply counts before later mail.
        if (!(await noteSent(ref, account, mailbox, s))) complete = false;
        continue;
      }
      const started = performance.now();
      try {
        const out = await processMessage(ref, {
          account,
          mailbox,
          processedLabelId: labelId,
          relabel: async () =>
            labelId = await processedLabelId(account, mailbox, store.meta, {
              refresh: true,
            }),
        }, {
          store,
          decide: deps.decide,
          clock,
          workerId,
          claimStaleMs,
          crashAt: deps.crashAt,
          logger: log,
        });
        if (out.status === "skipped") {
          if (out.why === "busy") complete = false;
          continue;
        }
        count(s, out.decision);
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
        if (err instanceof ReconnectNeededError) throw err;
        s.errors++;
        deps.metrics?.error("message");
        const outcome = await recordMessageFailure(ref, account, err, {
          store,
          now: clock.now(),
          maxFailures,
        }).catch(() => "retry" as const);
        if (outcome === "retry") complete = false;
        log.error(
          outcome === "retry"
            ? "email failed; it will be retried"
            : "email failed again; handed to review",
          { gmailId: ref.id, error: err },
        );
      }
    }
    // The cursor moves only past messages that are all handled.
    if (complete) await batch.commit();
    else log.warn("cursor kept: some messages are not finished");
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
      if (err instanceof ReconnectNeededError) throw err;
      s.errors++;
      deps.metrics?.error("message");
      log.error("sent message not checked; it will be retried", {
        gmailId: ref.id,
        error: err,
      });
      return false;
    }
  }

  async function processAccount(account: Account): Promise<PollSummary> {
    const s = emptySummary();
    const lease = `poll:${account.id}`;
    if (
      !(await store.leases.acquire(lease, workerId, leaseTtlMs, clock.now()))
    ) {
      deps.logger.info("account is polled by another instance", {
        accountId: account.id,
      });
      return s;
    }
    s.accounts = 1;
    try {
      await runAccount(account, s);
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
      const reason = err instanceof Error ? err.message : String(err);
      if (err instanceof ReconnectNeededError) {
        deps.metrics?.error("invalid_grant");
        await store.accounts.setStatus(account.id, "needs_reconnect", reason);
      } else {
        deps.metrics?.error("sync");
      }
      deps.logger.error("account sync failed", {
        accountId: account.id,
        error: err,
      });
      await store.accounts.recordSync(account.id, clock.now(), reason);
    } finally {
      await store.leases.release(lease, workerId);
    }
    return s;
  }

  return {
    workerId,
    processAccount,
    async pollOnce() {
      const started = performance.now();
      let total = emptySummary();
      const accounts = (await store.accounts.list()).filter((a) =>
        a.status === "active"
      );
      for (const account of accounts) {
        total = add(total, await processAccount(account));
      }
      deps.metrics?.observeLatency(
        (performance.now() - started) / 1000,
        "poll_cycle",
      );
      return total;
    },
  };
}
