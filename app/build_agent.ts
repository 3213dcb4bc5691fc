/**
 * The composition root: builds every collaborator of the agent (Gmail
 * adapter, classifier and knowledge base, worker, web app, metrics) from the
 * configuration and an open store (`open_store.ts`). `main.ts` calls it,
 * and so do the tests that need the whole agent (`tests/helpers/web_app.ts`
 * and a few integration and end-to-end tests). It reads no environment: the
 * configuration comes in, loaded by `main.ts` (the one module that reads
 * `Deno.env`). Nothing outside `app/` and `main.ts` wires adapters together.
 * @module
 */
import type { Hono } from "hono";
import {
  pruneOldRecords,
  type PruneResult,
} from "../pipeline/worker/retention.ts";
import { type Config, maskedConfig, sandboxEnabled } from "./config.ts";
import type { Logger } from "./ops/logger.ts";
import { AppError } from "../pipeline/errors.ts";
import { createMetrics, type Metrics } from "./ops/metrics.ts";
import { createReadiness } from "./ops/readiness.ts";
import type { DecideConfig } from "../pipeline/decide/decide.ts";
import { DEFAULT_ACK_TEMPLATE } from "../pipeline/decide/acknowledge.ts";
import type { PlanServices } from "../pipeline/decide/plan_email.ts";
import { createGoogleOAuth } from "../pipeline/gmail/google_oauth.ts";
import { createGmailMailboxFactory } from "../pipeline/gmail/mailbox_factory.ts";
import {
  GMAIL_COST_TABLES,
  GMAIL_UNITS_PER_MINUTE,
} from "../pipeline/gmail/quota_costs.ts";
import type {
  Clock,
  Embedder,
  MailboxFactory,
  Store,
} from "../pipeline/ports.ts";
import { simulate } from "../pipeline/decide/simulate.ts";
import { answerLine } from "../pipeline/decide/answers_eval.ts";
import type { Plan } from "../pipeline/types.ts";
import { createOpenAiChat } from "../pipeline/llm/openai_chat.ts";
import { loadRefundTemplates } from "../pipeline/refund/templates.ts";
import { createWorker, type PollSummary } from "../pipeline/worker/worker.ts";
import { createApp, createOneTimeLogin } from "../routes/app.ts";
import { createHealthRoutes } from "../routes/health.ts";
import { callbackUrl } from "../routes/oauth_routes.tsx";
import {
  buildUnderstanding,
  type KnowledgeBase,
} from "./build_understanding.ts";
import { type Sandbox, startSandbox } from "./sandbox.ts";
import { newControlToken } from "./server_file.ts";

/** A built agent. */
export interface Agent {
  config: Config;
  store: Store;
  logger: Logger;
  clock: Clock;
  metrics: Metrics;
  knowledge: KnowledgeBase;
  /** The web app (dashboard, OAuth, API, health). */
  app: Hono;
  sandbox: Sandbox | null;
  /** Bearer token of the control routes (`app/server_file.ts`). */
  controlToken: string;
  /** One polling cycle over every active account. */
  pollOnce(): Promise<PollSummary>;
  /** Deletes the records older than RETENTION_DAYS (the daily job). */
  pruneOnce(): Promise<PruneResult>;
  /** The decision for one raw message; nothing is sent or stored. */
  simulate(raw: Uint8Array): Promise<Plan>;
  /** What `accounts add` needs. */
  accountDeps: {
    store: Store;
    config: Config;
    clock: Clock;
    mailboxes: MailboxFactory;
  };
  /** A one-time sign-in link when no ADMIN_PASSWORD is set, else null. */
  loginLink(baseUrl: string): Promise<string | null>;
  /** Builds the knowledge-base index in the background (readiness follows it). */
  startKnowledgeBase(): void;
  /** Marks the poll schedule as registered (readiness). */
  schedulerRegistered(): void;
  close(): Promise<void>;
}

/** Options of `buildAgent`. */
export interface BuildOptions {
  config: Config;
  store: Store;
  logger: Logger;
  clock: Clock;
  /** Start the in-process sandbox mailbox when the configuration asks for it. Default true. */
  sandbox?: boolean;
  /** Replaces the optional dense embedder (tests). */
  embedder?: Embedder | null;
  /** Waits between Gmail retries. Tests pass one that returns at once. */
  sleep?: (ms: number) => Promise<void>;
  /** Worker id for ledger claims and leases. Default: a random id. */
  workerId?: string;
}

/** Builds the agent. */
export async function buildAgent(opts: BuildOptions): Promise<Agent> {
  const { config, store, logger, clock } = opts;
  const metrics = createMetrics();
  const readiness = createReadiness();
  const sandbox = opts.sandbox !== false && sandboxEnabled(config)
    ? await startSandbox({ store, logger, clock })
    : null;

  const controlToken = newControlToken();
  const understanding = await buildUnderstanding(config, {
    logger,
    clock,
    embedder: opts.embedder,
  });
  const decideConfig: DecideConfig = {
    replyMode: config.REPLY_MODE,
    classifyThreshold: config.CLASSIFY_THRESHOLD,
    maxAutoRepliesPerSender: config.MAX_AUTO_REPLIES_PER_SENDER,
    answer: {
      answerThreshold: config.ANSWER_THRESHOLD,
      signature: config.SIGNATURE,
      shopName: config.SHOP_NAME,
    },
    refund: {
      windowDays: config.REFUND_WINDOW_DAYS,
      eligibleStatuses: config.REFUND_ELIGIBLE_STATUSES,
      autoLimit: config.REFUND_AUTO_LIMIT,
      maxInvalidAttempts: config.MAX_INVALID_REFUND_ATTEMPTS,
      orderIdPattern: config.ORDER_ID_PATTERN,
      vipSenders: config.VIP_SENDERS,
      templates: config.REFUND_TEMPLATES_FILE
        ? await loadTemplates(config.REFUND_TEMPLATES_FILE)
        : {},
      minConfidence: config.CLASSIFY_THRESHOLD,
      signature: config.SIGNATURE,
      shopName: config.SHOP_NAME,
    },
    acknowledgement: {
      enabled: config.ACK_ENABLED,
      template: config.ACK_TEMPLATE ?? DEFAULT_ACK_TEMPLATE,
      hours: config.ACK_HOURS,
      signature: config.SIGNATURE,
      shopName: config.SHOP_NAME,
    },
  };
  const planServices: PlanServices = {
    classifier: understanding.classifier,
    retriever: understanding.knowledge.retriever,
    config: decideConfig,
    llm: config.LLM_BASE_URL && config.LLM_MODEL
      ? createOpenAiChat({
        baseUrl: config.LLM_BASE_URL,
        model: config.LLM_MODEL,
        apiKey: config.LLM_API_KEY ?? undefined,
        timeoutMs: 15_000,
        maxAttempts: 2,
        sleep: opts.sleep,
        logger: logger.child({ component: "llm" }),
      })
      : null,
  };

  const mailboxes = createGmailMailboxFactory({
    store,
    clientId: sandbox ? sandbox.clientId : config.GOOGLE_CLIENT_ID ?? "",
    clientSecret: sandbox
      ? sandbox.clientSecret
      : config.GOOGLE_CLIENT_SECRET ?? "",
    baseUrl: sandbox ? sandbox.baseUrl : config.GOOGLE_BASE_URL,
    clock,
    sleep: opts.sleep,
    logger,
    onCall: (method) => metrics.gmailCall(method),
    quota: {
      costs: GMAIL_COST_TABLES[config.GMAIL_COST_TABLE],
      unitsPerMinute: config.GMAIL_UNITS_PER_MINUTE ||
        GMAIL_UNITS_PER_MINUTE[config.GMAIL_COST_TABLE],
    },
  });
  if (sandbox) await sandbox.connect(mailboxes);

  const worker = createWorker({
    store,
    mailboxes,
    decide: planServices,
    sync: {
      initialSyncDays: config.INITIAL_SYNC_DAYS,
      initialSyncMax: config.INITIAL_SYNC_MAX,
    },
    cycleDeadlineMs: config.POLL_DEADLINE_SECONDS * 1000,
    clock,
    logger,
    metrics,
    workerId: opts.workerId,
    instanceId: config.INSTANCE_ID ?? undefined,
    // Without a sandbox here, the sandbox mailbox lives in the server that
    // started it: its token is good only against that server's emulator.
    skipSandboxAccounts: sandbox === null,
  });

  const pollOnce = async () => {
    await understanding.ready();
    return await worker.pollOnce();
  };
  const simulateRaw = async (raw: Uint8Array) => {
    await understanding.ready();
    return await simulate(raw, { account: null, now: clock.now() }, {
      ...planServices,
      store,
      logger,
    });
  };
  const healthRoutes = createHealthRoutes({
    store,
    isReady: readiness.isReady,
    metrics,
    clock,
  });
  const app = createApp({
    config,
    settingsRows: maskedConfig(config),
    store,
    clock,
    logger,
    knowledge: understanding.knowledge,
    pollNow: async () => ({ ...(await pollOnce()) }),
    simulate: simulateRaw,
    evalAnswerLine: async (line) => {
      await understanding.ready();
      return await answerLine(line, {
        classifier: understanding.classifier,
        retriever: understanding.knowledge.retriever,
        config,
      });
    },
    mailboxFor: (account) => mailboxes.mailboxFor(account),
    oauth: createGoogleOAuth({
      clientId: config.GOOGLE_CLIENT_ID,
      clientSecret: config.GOOGLE_CLIENT_SECRET,
      redirectUri: callbackUrl(config),
      baseUrl: config.GOOGLE_BASE_URL,
      sandboxBaseUrl: sandbox?.baseUrl ?? null,
    }),
    sandbox: sandbox
      ? {
        baseUrl: sandbox.baseUrl,
        email: sandbox.email,
        deliver: (raw) => sandbox.deliver(raw),
      }
      : null,
    controlToken,
    signature: config.SIGNATURE,
    refundTemplates: {
      overrides: decideConfig.refund.templates,
      signature: config.SIGNATURE,
      shopName: config.SHOP_NAME,
    },
    healthRoutes,
  });

  return {
    config,
    store,
    logger,
    clock,
    metrics,
    knowledge: understanding.knowledge,
    app: app as unknown as Hono,
    sandbox,
    controlToken,
    pollOnce,
    pruneOnce: async () => {
      const result = await pruneOldRecords(store, {
        now: clock.now(),
        retentionDays: config.RETENTION_DAYS,
      });
      logger.info("old records pruned", { ...result });
      return result;
    },
    simulate: simulateRaw,
    accountDeps: { store, config, clock, mailboxes },
    loginLink: async (baseUrl) => {
      if (config.ADMIN_PASSWORD) return null;
      const token = await createOneTimeLogin(store.oauthStates, clock.now());
      return `${baseUrl.replace(/\/+$/, "")}/login/once?token=${token}`;
    },
    startKnowledgeBase: () => {
      readiness.watch("kb", understanding.ready()).catch((e) =>
        logger.error("knowledge base build failed", {
          error: e instanceof Error ? e.message : String(e),
        })
      );
    },
    schedulerRegistered: () => readiness.set("scheduler", true),
    close: async () => {
      await sandbox?.close();
    },
  };
}

async function loadTemplates(path: string): Promise<Record<string, string>> {
  try {
    return await loadRefundTemplates(path, (p) => Deno.readTextFile(p));
  } catch (e) {
    throw new AppError(
      "invalid_input",
      `REFUND_TEMPLATES_FILE: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
}
