/**
 * Test helper: a Gmail/OAuth emulator on a random port, driven over real
 * HTTP through its `/__emu/*` control routes.
 * @module
 */
import { type Emulator, startEmulator } from "../../emulator/mod.ts";

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
  close(): Promise<void>;
  /** Creates the user if needed; returns a fresh refresh token. */
  addUser(email: string): Promise<{ email: string; refresh_token: string }>;
  /** Delivers a composed message (or `{raw}` base64url) into `to`'s INBOX, UNREAD. */
  deliver(
    to: string,
    msg: DeliverInput | {
      raw: string;
      date?: string;
      auth?: DeliverInput["auth"];
    },
  ): Promise<{ id: string; threadId: string }>;
  sent(user: string): Promise<RawMessage[]>;
  drafts(user: string): Promise<(RawMessage & { messageId: string })[]>;
  /** Every message of the mailbox with its labels. */
  messages(user: string): Promise<(RawMessage & { labelIds: string[] })[]>;
  calls(): Promise<{ calls: Record<string, number>; units: number }>;
  /** The next `count` calls whose path contains `path` fail with `status`. */
  fault(
    f: { status: number; count?: number; path?: string; reason?: string },
  ): Promise<void>;
  revoke(email: string): Promise<void>;
  expireHistory(email: string): Promise<void>;
  /** Expires every access token of the user now. */
  expireAccessTokens(email: string): Promise<void>;
  /** Deny the next consent and/or omit refresh tokens from code exchanges. */
  oauth(
    flags: { deny?: boolean | number; omit_refresh_token?: boolean },
  ): Promise<void>;
  /**
   * Provider behaviour: `rewrite_message_ids` makes messages.send and
   * drafts.create replace the client's Message-ID with a Gmail-style one.
   */
  settings(
    s: { rewrite_message_ids?: boolean },
  ): Promise<{ rewrite_message_ids: boolean }>;
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

/** Starts an emulator on 127.0.0.1 and a random port. */
export async function startTestEmulator(
  opts: { now?: () => Date } = {},
): Promise<TestEmulator> {
  const running = await startEmulator({ port: 0, now: opts.now });
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
    emulator: running.emulator,
    close: running.close,
    addUser: (email) => call("POST", "/users", { email }),
    deliver: (to, msg) => call("POST", "/messages", { to, ...msg }),
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
  opts: { now?: () => Date } = {},
): Promise<T> {
  const emu = await startTestEmulator(opts);
  try {
    return await fn(emu);
  } finally {
    await emu.close();
  }
}
