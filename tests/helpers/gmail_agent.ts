/**
 * Test helper for the Gmail path end to end: a real emulator over HTTP, a
 * real store (Deno KV or Postgres), one or more connected accounts, and a
 * worker built from the real mailbox factory. The clock is fake (advance
 * it), sleeps return at once.
 * @module
 */
import { silentLogger } from "../../app/ops/logger.ts";
import type { DecideConfig } from "../../pipeline/decide/decide.ts";
import type { PlanServices } from "../../pipeline/decide/plan_email.ts";
import { createGmailMailboxFactory } from "../../pipeline/gmail/mailbox_factory.ts";
import type {
  Classifier,
  MailboxFactory,
  Retriever,
  Store,
} from "../../pipeline/ports.ts";
import {
  type AckConfig,
  DEFAULT_ACK_TEMPLATE,
} from "../../pipeline/decide/acknowledge.ts";
import type { Account, ReplyMode } from "../../pipeline/types.ts";
import {
  type CrashStep,
  createWorker,
  type Worker,
} from "../../pipeline/worker/worker.ts";
import { startTestEmulator, type TestEmulator } from "./emulator.ts";
import { openKvTestStore, openPgTestStore } from "./stores.ts";
import { understandingForTests } from "./gmail_understanding.ts";

/** A clock the test moves. */
export interface FakeClock {
  now(): Date;
  advance(ms: number): void;
}

/** A fake clock starting at `start`. */
export function fakeClock(start = Date.now()): FakeClock {
  let t = start;
  return { now: () => new Date(t), advance: (ms) => void (t += ms) };
}

/** The shop's sample orders used by the refund scenarios. */
export const TEST_ORDERS = [
  { orderId: "ORD10001", customerEmail: "jane@example.com", amount: 49.99 },
  { orderId: "ORD10002", customerEmail: "bob@example.org", amount: 19.5 },
];

/** A running end-to-end setup. */
export interface GmailAgent {
  emu: TestEmulator;
  store: Store;
  clock: FakeClock;
  /** The first connected account. */
  account: Account;
  accounts: Account[];
  decideDeps: PlanServices;
  /** The real mailbox factory the workers use. */
  mailboxes: MailboxFactory;
  /** Store round trips so far (with `countTrips`). */
  trips?: () => number;
  /** A worker over this setup (one per call unless `workerId` repeats). */
  worker(
    opts?: {
      crashAt?: (step: CrashStep, gmailId: string) => void;
      workerId?: string;
      claimStaleMs?: number;
      leaseTtlMs?: number;
      cycleDeadlineMs?: number;
      instanceId?: string;
      messageConcurrency?: number;
      accountConcurrency?: number;
      retryBackoffMs?: number;
      maxRetryBackoffMs?: number;
    },
  ): Worker;
  close(): Promise<void>;
}

/** Options of `openGmailAgent`. */
export interface GmailAgentOptions {
  backend?: "kv" | "postgres";
  /**
   * The emulator runs on the test's fake clock too (quota windows, timed
   * faults, the Pacific-Time day), and every retry wait moves that clock
   * instead of returning at once. Default false: the emulator keeps the
   * wall clock and waits are skipped.
   */
  sharedClock?: boolean;
  /** Where the fake clock starts (default: the wall clock's now). */
  clockStart?: Date;
  /** The client-side quota limiter (default: none). */
  quota?: { costs: Readonly<Record<string, number>>; unitsPerMinute: number };
  /** Mailboxes to connect. Default one: support@shop.example. */
  emails?: string[];
  replyMode?: ReplyMode;
  maxAutoRepliesPerSender?: number;
  maxAttempts?: number;
  /** Gmail list/history page size (small to force paging). */
  pageSize?: number;
  initialSyncDays?: number;
  /** Where the agent reaches Google (default: the emulator), e.g. a proxy in front of it. */
  googleBaseUrl?: (emulatorUrl: string) => string | Promise<string>;
  initialSyncMax?: number;
  /** The acknowledgement (ACK_ENABLED): true for the defaults. Default off. */
  acknowledgement?: boolean | Partial<AckConfig>;
  /** Count the store's round trips (`GmailAgent.trips`). */
  countTrips?: boolean;
}

/** Starts the emulator, opens a store, connects the accounts. */
export async function openGmailAgent(
  opts: GmailAgentOptions = {},
): Promise<GmailAgent> {
  const clock = fakeClock(opts.clockStart?.getTime());
  const emu = await startTestEmulator(
    opts.sharedClock ? { now: () => clock.now() } : {},
  );
  const opened = opts.backend === "postgres"
    ? await openPgTestStore({ countTrips: opts.countTrips })
    : await openKvTestStore({ countTrips: opts.countTrips });
  const store = opened.store;
  try {
    const accounts: Account[] = [];
    for (const email of opts.emails ?? ["support@shop.example"]) {
      const { refresh_token } = await emu.addUser(email);
      accounts.push(
        await store.accounts.upsert({
          email,
          tokens: {
            accessToken: null,
            refreshToken: refresh_token,
            expiryDate: null,
          },
        }),
      );
    }
    const now = clock.now().getTime();
    await store.orders.importAll(TEST_ORDERS.map((o) => ({
      ...o,
      orderDate: new Date(now - 5 * 86_400_000),
      status: "delivered",
      refundRequestedAt: null,
    })));
    const u = await understandingForTests();
    const decideDeps = {
      classifier: u.classifier as Classifier,
      retriever: u.retriever as Retriever,
      config: decideConfig(opts),
    };
    const mailboxes = createGmailMailboxFactory({
      store,
      clientId: "test-client",
      clientSecret: "test-secret",
      baseUrl: opts.googleBaseUrl ? await opts.googleBaseUrl(emu.url) : emu.url,
      clock,
      sleep: opts.sharedClock
        ? (ms) => Promise.resolve(clock.advance(ms))
        : () => Promise.resolve(),
      maxAttempts: opts.maxAttempts,
      pageSize: opts.pageSize,
      quota: opts.quota,
      logger: silentLogger,
    });
    return {
      emu,
      store,
      clock,
      account: accounts[0]!,
      accounts,
      decideDeps,
      mailboxes,
      trips: opened.trips,
      worker: (w = {}) =>
        createWorker({
          store,
          mailboxes,
          decide: decideDeps,
          sync: {
            initialSyncDays: opts.initialSyncDays ?? 3,
            initialSyncMax: opts.initialSyncMax ?? 50,
          },
          clock,
          logger: silentLogger,
          workerId: w.workerId,
          claimStaleMs: w.claimStaleMs,
          leaseTtlMs: w.leaseTtlMs,
          instanceId: w.instanceId,
          cycleDeadlineMs: w.cycleDeadlineMs,
          messageConcurrency: w.messageConcurrency,
          accountConcurrency: w.accountConcurrency,
          retryBackoffMs: w.retryBackoffMs,
          maxRetryBackoffMs: w.maxRetryBackoffMs,
          // Time is the fake clock's only: the real-time backstops never fire.
          timers: { setTimeout: () => 0, clearTimeout: () => {} },
          crashAt: w.crashAt,
        }),
      async close() {
        await opened.close();
        await emu.close();
      },
    };
  } catch (err) {
    await opened.close();
    await emu.close();
    throw err;
  }
}

/**
 * The decision settings of the tests: the configuration's defaults
 * (`app/config.ts`), except a classify threshold of 0.6 (default 0.7) and
 * only `delivered` and `shipped` orders eligible for a refund.
 */
export function decideConfig(opts: GmailAgentOptions = {}): DecideConfig {
  return {
    replyMode: opts.replyMode ?? "auto",
    classifyThreshold: 0.6,
    maxAutoRepliesPerSender: opts.maxAutoRepliesPerSender ?? 3,
    answer: {
      answerThreshold: 0.5,
      signature: "The Support Team",
      shopName: "Northwind Goods",
    },
    refund: {
      windowDays: 30,
      eligibleStatuses: ["delivered", "shipped"],
      autoLimit: 200,
      maxInvalidAttempts: 3,
      orderIdPattern: null,
      vipSenders: [],
      templates: {},
      signature: "The Support Team",
      shopName: "Northwind Goods",
    },
    ...(opts.acknowledgement
      ? {
        acknowledgement: {
          enabled: true,
          template: DEFAULT_ACK_TEMPLATE,
          hours: 24,
          signature: "The Support Team",
          shopName: "Northwind Goods",
          ...(opts.acknowledgement === true ? {} : opts.acknowledgement),
        },
      }
      : {}),
  };
}
