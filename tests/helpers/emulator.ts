/**
 * Test helper: a Gmail/OAuth emulator on a random port, driven over real
 * HTTP through its `/__emu/*` control routes.
 * @module
 */
import {
  createEmulator,
  type Emulator,
  startEmulator,
} from "../../emulator/mod.ts";
import { checkGmailExchange, type Violation } from "./gmail_contract.ts";

/** A message to deliver with the simple form of `POST /__emu/messages`. */
export interface DeliverInput {
  from: string;
  subject: string;
  text: string;
  html?: string;
  in_reply_to?: string;
  references?: string[];
  message_id?: string;
  headers?: Record<string, string>;
  /** ISO date; sets the Date header and Gmail's internalDate. */
  date?: string;
  /** Gmail's Authentication-Results verdict stamped on top (default "pass"). */
  auth?: "pass" | "fail" | "none" | "missing";
  /** Gmail's spam filter takes it: SPAM and UNREAD, not INBOX. */
  spam?: boolean;
}

/** Provider settings of `POST /__emu/settings`. */
export interface EmulatorSettings {
  /** messages.send and drafts.create replace the client's Message-ID. */
  rewrite_message_ids: boolean;
  /** history.list shows each message's labelIds (false: left out). */
  history_label_ids: boolean;
  /** How history.list answers a stale start id: 404 (default) or 400. */
  stale_history_status: 404 | 400;
}

/** Quota settings of `POST /__emu/quota`. */
export interface QuotaSettings {
  cost_table: "legacy" | "current";
  units_per_minute: number | null;
  daily_units: number | null;
  rate_limit_style: "429" | "403_user" | "403_rate";
}

/** A message as the control routes list it; `rfc822` is `raw` decoded. */
export interface RawMessage {
  id: string;
  threadId: string;
  raw: string;
  rfc822: string;
}

/** A running emulator with helpers. Call `close()` (or use withEmulator). */
export interface TestEmulator {
  /** Origin, e.g. http://127.0.0.1:34567 — use as GOOGLE_BASE_URL. */
  url: string;
  emulator: Emulator;
  /**
   * Stops the emulator. Throws when a Gmail response broke the contract
   * (tests/helpers/gmail_contract.ts): every e2e test checks every answer.
   */
  close(): Promise<void>;
  /** Contract violations of the Gmail answers so far (close() throws on any). */
  violations(): Violation[];
  /**
   * Creates the user if needed; returns a fresh refresh token (with
   * `scopes`, a token granting only those).
   */
  addUser(
    email: string,
    scopes?: string[],
  ): Promise<{ email: string; refresh_token: string }>;
  /** Delivers a composed message (or `{raw}` base64url) into `to`'s INBOX, UNREAD. */
  deliver(
    to: string,
    msg: DeliverInput | {
      raw: string;
      date?: string;
      auth?: DeliverInput["auth"];
      spam?: boolean;
    },
  ): Promise<{ id: string; threadId: string }>;
  /** A person moves a message in Gmail (history records the label change). */
  move(
    user: string,
    id: string,
    to: "spam" | "trash" | "inbox" | "archive",
  ): Promise<{ id: string; threadId: string; labelIds: string[] }>;
  /**
   * A person sends a draft from Gmail; `edited` gives the sent message a new
   * id, as Gmail does after an edit.
   */
  sendDraft(
    user: string,
    draftId: string,
    opts?: { edited?: boolean },
  ): Promise<{ id: string; threadId: string; labelIds: string[] }>;
  /** Cost table and enforced limits; answers the current settings. */
  quota(
    q: Partial<QuotaSettings>,
  ): Promise<
    QuotaSettings & { costs: Record<string, number>; refused: number }
  >;
  sent(user: string): Promise<RawMessage[]>;
  drafts(user: string): Promise<(RawMessage & { messageId: string })[]>;
  /** Every message of the mailbox with its labels. */
  messages(user: string): Promise<(RawMessage & { labelIds: string[] })[]>;
  calls(): Promise<{ calls: Record<string, number>; units: number }>;
  /**
   * The next `count` calls whose path contains `path` fail with `status`
   * (with `for_ms`: every such call, for that long on the emulator clock;
   * with `retry_after_ms`: Google's retry time is given).
   */
  fault(
    f: {
      status: number;
      count?: number;
      path?: string;
      /** Only calls with this HTTP method. */
      method?: string;
      reason?: string;
      for_ms?: number;
      retry_after_ms?: number;
    },
  ): Promise<void>;
  /** Removes every fault not used up yet. */
  clearFaults(): Promise<void>;
  revoke(email: string): Promise<void>;
  expireHistory(email: string): Promise<void>;
  /** Expires every access token of the user now. */
  expireAccessTokens(email: string): Promise<void>;
  /**
   * Deny the next consent, omit refresh tokens from code exchanges, leave
   * scopes unticked at consent, or require this client secret at /token.
   */
  oauth(
    flags: {
      deny?: boolean | number;
      omit_refresh_token?: boolean;
      drop_scopes?: string[];
      client_secret?: string | null;
    },
  ): Promise<void>;
  /** Provider behaviour (see `EmulatorSettings`). */
  settings(s: Partial<EmulatorSettings>): Promise<EmulatorSettings>;
  revocations(): Promise<
    {
      email: string;
      client_id: string | null;
      token_type: string;
      at: string;
    }[]
  >;
  /** A valid access token for a user (refresh grant over HTTP). */
  accessToken(email: string): Promise<string>;
}

function decodeRaw(raw: string): string {
  const b64 = raw.replaceAll("-", "+").replaceAll("_", "/");
  const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

/** Options of `startTestEmulator`. */
export interface TestEmulatorOptions {
  now?: () => Date;
  /**
   * Whether sent mail gets Gmail's own Message-ID. Default: the
   * `EMU_REWRITE_MESSAGE_IDS` environment variable ("1" turns it on; CI runs
   * the e2e suite once that way), else off.
   */
  rewriteMessageIds?: boolean;
}

/** Starts an emulator on 127.0.0.1 and a random port. */
export async function startTestEmulator(
  opts: TestEmulatorOptions = {},
): Promise<TestEmulator> {
  const inner = createEmulator({ now: opts.now });
  inner.state.flags.rewriteMessageIds = opts.rewriteMessageIds ??
    Deno.env.get("EMU_REWRITE_MESSAGE_IDS") === "1";
  const violations: Violation[] = [];
  const checked: Emulator = {
    ...inner,
    fetch: async (req) => {
      const path = new URL(req.url).pathname;
      const res = await inner.fetch(req);
      if (!/^\/(upload\/)?gmail\//.test(path)) return res;
      const body = await res.clone().text();
      violations.push(
        ...checkGmailExchange(
          req.method,
          path,
          res.status,
          res.headers.get("content-type"),
          body,
        ),
      );
      return res;
    },
  };
  const running = await startEmulator({ port: 0, emulator: checked });
  const base = running.url;
  const call = async <T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> => {
    const res = await fetch(`${base}/__emu${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) {
      throw new Error(`emulator ${method} ${path}: ${res.status} ${text}`);
    }
    return JSON.parse(text) as T;
  };
  const withText = <T extends { raw: string }>(list: T[]) =>
    list.map((m) => ({ ...m, rfc822: decodeRaw(m.raw) }));
  const q = (user: string) => `?user=${encodeURIComponent(user)}`;
  return {
    url: base,
    emulator: inner,
    violations: () => [...violations],
    close: async () => {
      await running.close();
      if (violations.length > 0) {
        const first = violations.slice(0, 5).map((v) =>
          `${v.call} ${v.path}: ${v.problem}`
        );
        throw new Error(
          `The emulator broke the Gmail API contract ${violations.length} time(s):\n${
            first.join("\n")
          }`,
        );
      }
    },
    addUser: (email, scopes) =>
      call("POST", "/users", scopes ? { email, scopes } : { email }),
    deliver: (to, msg) => call("POST", "/messages", { to, ...msg }),
    move: (user, id, to) => call("POST", "/messages/move", { user, id, to }),
    sendDraft: (user, id, opts = {}) =>
      call("POST", "/drafts/send", { user, id, ...opts }),
    quota: (q) => call("POST", "/quota", q),
    sent: async (user) =>
      withText(await call<RawMessage[]>("GET", `/sent${q(user)}`)),
    drafts: async (user) =>
      withText(
        await call<(RawMessage & { messageId: string })[]>(
          "GET",
          `/drafts${q(user)}`,
        ),
      ),
    messages: async (user) =>
      withText(
        await call<(RawMessage & { labelIds: string[] })[]>(
          "GET",
          `/messages${q(user)}`,
        ),
      ),
    calls: () => call("GET", "/calls"),
    fault: async (f) => {
      await call("POST", "/faults", { count: 1, ...f });
    },
    clearFaults: async () => {
      await call("DELETE", "/faults");
    },
    revoke: async (email) => {
      await call("POST", "/revoke", { email });
    },
    expireHistory: async (email) => {
      await call("POST", "/history/expire", { email });
    },
    expireAccessTokens: async (email) => {
      await call("POST", "/tokens/expire", { email });
    },
    oauth: async (flags) => {
      await call("POST", "/oauth", flags);
    },
    settings: (s) => call("POST", "/settings", s),
    revocations: () => call("GET", "/revocations"),
    accessToken: async (email) => {
      const { refresh_token } = await call<{ refresh_token: string }>(
        "POST",
        "/users",
        { email },
      );
      const res = await fetch(`${base}/token`, {
        method: "POST",
        body: new URLSearchParams({
          grant_type: "refresh_token",
          client_id: "test-client",
          client_secret: "test-secret",
          refresh_token,
        }),
      });
      const json = await res.json();
      if (!res.ok) {
        throw new Error(`token refresh failed: ${JSON.stringify(json)}`);
      }
      return json.access_token as string;
    },
  };
}

/** Runs `fn` with a fresh emulator and always closes it. */
export async function withEmulator<T>(
  fn: (emu: TestEmulator) => Promise<T>,
  opts: TestEmulatorOptions = {},
): Promise<T> {
  const emu = await startTestEmulator(opts);
  try {
    return await fn(emu);
  } finally {
    await emu.close();
  }
}
