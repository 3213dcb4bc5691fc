/**
 * One scenario's world: a fresh Gmail emulator over HTTP, a fresh store
 * (a temp DATA_DIR for KV, or a fresh Postgres database), one connected
 * mailbox, the customer emails delivered to it, and the counting of
 * duplicates and losses (tally.ts) from the emulator and the agent's store.
 * @module
 */
import { loadConfig } from "../../app/config.ts";
import { openStore } from "../../app/open_store.ts";
import { silentLogger } from "../../pipeline/log.ts";
import type { Store } from "../../pipeline/ports.ts";
import {
  startTestEmulator,
  type TestEmulator,
} from "../../tests/helpers/emulator.ts";
import {
  type AgentEnv,
  lastJson,
  runAgent,
  type RunResult,
} from "./agent_process.ts";
import { createDatabase, dropDatabase } from "./pg_database.ts";
import type { Rng } from "./rng.ts";
import {
  type Delivered,
  inReplyTo,
  type Recorded,
  type Tally,
  tally,
} from "./tally.ts";

/** Which store the agent uses. */
export type Backend = "kv" | "postgres";

/** The mailbox every scenario connects. */
export const MAILBOX = "support@shop.example";

const ADMIN_PASSWORD = "chaos horse battery staple";

/** Customer emails: questions the KB answers, refunds, and mail for a person. */
const EMAILS = [
  {
    subject: "Shipping question",
    text: "How long does standard shipping take?",
  },
  {
    subject: "Refund",
    text: "Please refund my order, I do not want it anymore.",
  },
  {
    subject: "Partnership",
    text: "We would like to work together on a joint campaign.",
  },
  { subject: "Returns", text: "What is your return policy?" },
];

/** The poll summary `poll --once` prints. */
export interface PollSummary {
  accounts: number;
  fetched: number;
  replied: number;
  drafted: number;
  queued: number;
  ignored: number;
  errors: number;
}

/** A scenario's world; `close()` removes everything it created. */
export interface Lab {
  emu: TestEmulator;
  backend: Backend;
  /** The agent's environment (store, emulator, Google client, admin). */
  env: AgentEnv;
  /** The admin password of `serve`. */
  adminPassword: string;
  /** Postgres database name (postgres backend). */
  dbName: string | null;
  delivered: Delivered[];
  /** Delivers `n` customer emails (unique senders, seeded mix). */
  deliver(n: number): Promise<void>;
  /** Creates the emulator user and runs `accounts add` (bounded). */
  connect(): Promise<RunResult>;
  /** One `poll --once` (bounded); its summary when it printed one. */
  poll(
    deadlineMs?: number,
  ): Promise<RunResult & { summary: PollSummary | null }>;
  /** Counts duplicates and losses now. */
  count(): Promise<Tally>;
  /** The mailbox's account status in the agent's store (null: no account). */
  accountStatus(): Promise<string | null>;
  close(): Promise<void>;
}

let seq = 0;

/** Opens a fresh world for one scenario. */
export async function openLab(
  backend: Backend,
  rng: Rng,
  extraEnv: AgentEnv = {},
): Promise<Lab> {
  const emu = await startTestEmulator({ rewriteMessageIds: false });
  const dataDir = await Deno.makeTempDir({ prefix: "chaos-" });
  const tag = `${Date.now().toString(36)}_${++seq}_${rng.int(0, 1e6)}`;
  const dbName = backend === "postgres" ? `chaos_${tag}` : null;
  const key = btoa(
    String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))),
  );
  const env: AgentEnv = {
    DATA_DIR: dataDir,
    GOOGLE_BASE_URL: emu.url,
    GOOGLE_CLIENT_ID: "chaos-client",
    GOOGLE_CLIENT_SECRET: "chaos-secret",
    SANDBOX: "off",
    ADMIN_PASSWORD,
    LOG_LEVEL: "error",
    TZ: "UTC",
    ...(dbName
      ? { DATABASE_URL: await createDatabase(dbName), ENCRYPTION_KEY: key }
      : {}),
    ...extraEnv,
  };
  const delivered: Delivered[] = [];
  let n = 0;

  const withStore = async <T>(fn: (store: Store) => Promise<T>) => {
    const loaded = loadConfig(env);
    if (!loaded.ok) throw new Error(loaded.errors.join("; "));
    const store = await openStore(loaded.config, { logger: silentLogger });
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  };
  const readStore = () =>
    withStore(async (store): Promise<Map<string, Recorded>> => {
      const account = (await store.accounts.list()).find((a) =>
        a.email === MAILBOX
      );
      const out = new Map<string, Recorded>();
      if (!account) return out;
      const inReview = new Set(
        (await store.review.list({ accountId: account.id, limit: 100_000 }))
          .map((r) => r.gmailId),
      );
      for (const d of delivered) {
        const e = await store.ledger.get(account.id, d.gmailId);
        if (e) {
          out.set(d.gmailId, {
            state: e.state,
            action: e.decision?.action ?? null,
            inReview: inReview.has(d.gmailId),
          });
        }
      }
      return out;
    });

  return {
    emu,
    backend,
    env,
    adminPassword: ADMIN_PASSWORD,
    dbName,
    delivered,
    deliver: async (count) => {
      for (let i = 0; i < count; i++) {
        const k = ++n;
        const e = rng.pick(EMAILS);
        const messageId = `<chaos.${tag}.${k}@customers.example.net>`;
        const m = await emu.deliver(MAILBOX, {
          from: `Customer ${k} <c${k}.${tag}@customers.example.net>`,
          subject: `${e.subject} ${k}`,
          text: e.text,
          message_id: messageId,
        });
        delivered.push({ gmailId: m.id, messageId });
      }
    },
    connect: async () => {
      const { refresh_token } = await emu.addUser(MAILBOX);
      return await runAgent(
        [
          "accounts",
          "add",
          "--email",
          MAILBOX,
          "--refresh-token",
          refresh_token,
        ],
        env,
        120_000,
      );
    },
    poll: async (deadlineMs = 180_000) => {
      const r = await runAgent(["poll", "--once"], env, deadlineMs);
      const j = lastJson(r);
      const summary = j && typeof j === "object" && "fetched" in j
        ? j as PollSummary
        : null;
      return { ...r, summary };
    },
    count: async () => {
      const outbound = [
        ...(await emu.sent(MAILBOX)),
        ...(await emu.drafts(MAILBOX)),
      ].map((m) => inReplyTo(m.rfc822));
      return tally(delivered, outbound, await readStore());
    },
    accountStatus: () =>
      withStore(async (store) =>
        (await store.accounts.list()).find((a) => a.email === MAILBOX)
          ?.status ?? null
      ),
    close: async () => {
      try {
        await emu.close();
      } finally {
        await Deno.remove(dataDir, { recursive: true }).catch(() => {});
        if (dbName) await dropDatabase(dbName).catch(() => {});
      }
    },
  };
}
