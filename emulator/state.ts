/**
 * The emulator's whole in-memory state: mailboxes, OAuth grants and tokens,
 * call counters, injected faults and control flags. Plain data; the
 * operations live in mail_ops.ts and oauth_state.ts.
 * @module
 */
import { type Mailbox, newMailbox } from "./mailbox.ts";
import {
  defaultQuotaSettings,
  type QuotaSettings,
  type QuotaUsage,
} from "./quota.ts";

/** An OAuth grant: one consent (or control-issued token) for one user. */
export interface Grant {
  id: string;
  email: string;
  /** null: issued by a control route, usable by any client. */
  clientId: string | null;
  scope: string;
  refreshToken: string | null;
  revoked: boolean;
}

/** An issued access token. */
export interface AccessToken {
  token: string;
  grantId: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** A one-time authorization code. */
export interface AuthCode {
  code: string;
  email: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  accessType: string;
  /**
   * True when the user had already granted this client offline access and
   * `prompt` did not include `consent`: Google then returns no refresh token.
   */
  alreadyGranted: boolean;
  challenge: string | null;
  challengeMethod: string | null;
  used: boolean;
  /** Epoch ms. */
  expiresAt: number;
}

/** A recorded revocation. */
export interface Revocation {
  email: string;
  clientId: string | null;
  /** Which kind of token the caller presented. */
  tokenType: "refresh_token" | "access_token" | "control";
  at: string;
}

/**
 * An injected fault: the next `remaining` matching calls fail, or, with
 * `until`, every matching call fails until then (emulator clock).
 */
export interface Fault {
  status: number;
  remaining: number;
  path: string | null;
  /** Only calls with this HTTP method (e.g. "POST"), or any. */
  method: string | null;
  reason: string | null;
  /** Epoch ms; while set, the fault is time-bound and `remaining` is ignored. */
  until: number | null;
  /** Milliseconds after the call at which Google says to retry, or null. */
  retryAfterMs: number | null;
}

/** Everything the emulator holds. */
export interface EmulatorState {
  now: () => Date;
  users: Map<string, Mailbox>;
  grants: Map<string, Grant>;
  refreshTokens: Map<string, string>;
  accessTokens: Map<string, AccessToken>;
  codes: Map<string, AuthCode>;
  revocations: Revocation[];
  /** Client ids seen at /o/oauth2/v2/auth and /token. */
  clientIds: Set<string>;
  calls: Record<string, number>;
  units: number;
  faults: Fault[];
  /** Cost table and limits (`/__emu/quota`). */
  quota: QuotaSettings;
  /** Per-user spending (keyed by email) when limits are enforced. */
  quotaUsage: Map<string, QuotaUsage>;
  /** Calls refused by an enforced limit (429/403). */
  quotaRefusals: number;
  flags: {
    denyNext: number;
    omitRefreshToken: boolean;
    /** messages.send and drafts.create replace the client's Message-ID. */
    rewriteMessageIds: boolean;
    /** history.list shows each message's labelIds (Gmail may leave them out). */
    historyLabelIds: boolean;
    /** How history.list answers a start id older than what is retained. */
    staleHistoryStatus: 404 | 400;
    /** Scopes the next consents leave unticked (partial consent). */
    dropScopes: string[];
    /** When set, /token refuses any other client secret (`invalid_client`). */
    clientSecret: string | null;
  };
  seq: number;
}

/** A fresh, empty state using `now` as its clock. */
export function createState(now: () => Date): EmulatorState {
  return {
    now,
    users: new Map(),
    grants: new Map(),
    refreshTokens: new Map(),
    accessTokens: new Map(),
    codes: new Map(),
    revocations: [],
    clientIds: new Set(),
    calls: {},
    units: 0,
    faults: [],
    quota: defaultQuotaSettings(),
    quotaUsage: new Map(),
    quotaRefusals: 0,
    flags: {
      denyNext: 0,
      omitRefreshToken: false,
      rewriteMessageIds: false,
      historyLabelIds: true,
      staleHistoryStatus: 404,
      dropScopes: [],
      clientSecret: null,
    },
    seq: 0,
  };
}

/** Clears everything but the clock. */
export function resetState(state: EmulatorState): void {
  Object.assign(state, createState(state.now));
}

/** Random URL-safe token text (`bytes` random bytes). */
export function randomToken(bytes = 24): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...b)).replaceAll("+", "-").replaceAll(
    "/",
    "_",
  ).replaceAll("=", "");
}

/** A new Gmail-style 16-hex-digit id, unique within this emulator. */
export function nextHexId(state: EmulatorState): string {
  state.seq += 1;
  const base = BigInt(state.now().getTime()) * 1048576n;
  return (base + BigInt(state.seq)).toString(16).padStart(16, "0");
}

/** The mailbox for `email`, created (with system labels) when missing. */
export function ensureUser(state: EmulatorState, email: string): Mailbox {
  const key = email.trim().toLowerCase();
  let mb = state.users.get(key);
  if (!mb) {
    mb = newMailbox(key, 1000 + state.users.size * 100);
    state.users.set(key, mb);
  }
  return mb;
}

/** The mailbox for `email`, or undefined. */
export function findUser(
  state: EmulatorState,
  email: string,
): Mailbox | undefined {
  return state.users.get(email.trim().toLowerCase());
}

/** Counts one call of a Gmail method and its quota units. */
export function countCall(
  state: EmulatorState,
  method: string,
  units: number,
): void {
  state.calls[method] = (state.calls[method] ?? 0) + 1;
  state.units += units;
}

/**
 * Takes the first fault matching `path`, if any (decrements a counted one;
 * a time-bound one stays until its end).
 */
export function takeFault(
  state: EmulatorState,
  path: string,
  method = "GET",
): Fault | undefined {
  const now = state.now().getTime();
  const live = (x: Fault) => x.until === null ? x.remaining > 0 : now < x.until;
  state.faults = state.faults.filter(live);
  const f = state.faults.find((x) =>
    (x.path === null || path.includes(x.path)) &&
    (x.method === null || x.method === method.toUpperCase())
  );
  if (f && f.until === null) f.remaining -= 1;
  return f;
}

/** The error a fault answers with (Retry-After / "Retry after" when set). */
export function faultRetry(
  state: EmulatorState,
  f: Fault,
): { retryAt: Date; now: Date } | undefined {
  if (f.retryAfterMs === null) return undefined;
  const now = state.now();
  return { retryAt: new Date(now.getTime() + f.retryAfterMs), now };
}
