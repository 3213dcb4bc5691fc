/**
 * What the web app needs from the rest of the agent: ports only, so tests
 * pass real stores and the real emulator. `app/build_agent.ts` builds one
 * and calls `createApp(deps)`.
 * @module
 */
import type { Hono } from "hono";
import type { Logger } from "../pipeline/log.ts";
import type { Clock, GoogleOAuth, Mailbox, Store } from "../pipeline/ports.ts";
import type { SuggestSection } from "../pipeline/dashboard/suggest_reply.ts";
import type {
  AnswerCase,
  AnswerLine,
} from "../pipeline/decide/answers_eval.ts";
import type { KbChanges } from "../pipeline/knowledge/kb_folder.ts";
import type { Account, Plan } from "../pipeline/types.ts";

/** What the knowledge page shows: the shape of the KB's `status()`. */
export interface KnowledgeStatusInfo {
  /** An index has been built. */
  ready: boolean;
  /** Documents by path relative to the KB folder, with section counts. */
  documents: Array<{ id: string; title: string; sections: number }>;
  /** A reindex is running. */
  building: boolean;
  /** Progress of the running reindex, when known. */
  progress: { done: number; total: number } | null;
}

/** The knowledge base as the web app drives it (`createKnowledgeBase`). */
export interface KnowledgeAdmin {
  /** Rebuilds the index; the returned promise settles when done. */
  reindex(onProgress?: (done: number, total: number) => void): Promise<unknown>;
  status(): KnowledgeStatusInfo;
  /** The sections of the current index (for suggested replies). */
  sections(): readonly SuggestSection[];
  /** Files that differ from the index; null before it is built or while building. */
  changes(): Promise<KbChanges | null>;
  /** Writes a checked upload into the folder and reindexes; resolves when done. */
  addDocument(
    name: string,
    text: string,
    opts: { replace: boolean },
  ): Promise<unknown>;
}

/** The sandbox mailbox served by the in-process emulator, if on. */
export interface SandboxInfo {
  /** Emulator origin, e.g. `http://127.0.0.1:8025`. */
  baseUrl: string;
  /** The sandbox mailbox address (the connected account). */
  email: string;
  /** Delivers a raw RFC 822 message into the sandbox inbox. */
  deliver(raw: Uint8Array): Promise<void>;
}

/** The settings the web app reads (the agent's `Config` fits). */
export interface WebConfig {
  PORT: number;
  PUBLIC_URL: string | null;
  GOOGLE_BASE_URL: string | null;
  GOOGLE_CLIENT_ID: string | null;
  GOOGLE_CLIENT_SECRET: string | null;
  KNOWLEDGE_BASE_DIR: string;
  REPLY_MODE: "auto" | "draft";
  ADMIN_PASSWORD: string | null;
  /**
   * Behind a reverse proxy: the client address is the last one in
   * X-Forwarded-For (the one the proxy added). Default false.
   */
  TRUST_PROXY?: boolean;
}

/** Everything `createApp` needs. */
export interface WebDeps {
  config: WebConfig;
  /** The effective configuration as name/value rows, secrets masked. */
  settingsRows: [string, string][];
  store: Store;
  clock: Clock;
  logger: Logger;
  knowledge: KnowledgeAdmin;
  /** Runs one polling cycle now; returns its summary counts. */
  pollNow(): Promise<Record<string, number>>;
  /** Runs the decision pipeline on one raw message; sends nothing. */
  simulate(raw: Uint8Array): Promise<Plan>;
  /**
   * One `eval answers` line against the running agent's classifier and
   * current index (`answerLine`); sends nothing.
   */
  evalAnswerLine(line: AnswerLine): Promise<AnswerCase>;
  /** An authorised Mailbox for a stored account. */
  mailboxFor(account: Account): Mailbox | Promise<Mailbox>;
  /** The signature under replies (SIGNATURE). */
  signature: string;
  /** What the refund verdict messages are written with. */
  refundTemplates: {
    /** REFUND_TEMPLATES_FILE's texts by template name. */
    overrides: Record<string, string>;
    signature: string;
    shopName: string;
  };
  /** The sandbox, or null when it is off. */
  sandbox: SandboxInfo | null;
  /**
   * Bearer token of the control routes a CLI command on the same data
   * folder uses (`/internal/poll`); null or absent turns them off.
   */
  controlToken?: string | null;
  /** Routes mounted before sign-in (/healthz, /readyz, /metrics). */
  healthRoutes?: Hono;
  /** Google's OAuth: consent, code exchange, userinfo, revoke. */
  oauth: GoogleOAuth;
  /** Used to deliver into the sandbox mailbox. Default: global fetch. */
  fetch?: typeof fetch;
}
