/**
 * Access tokens of one account: loaded from the store, refreshed only when
 * the stored expiry says so (or Gmail answered 401), and persisted
 * (encrypted by the store) after each refresh. A refused refresh token
 * (`invalid_grant`) becomes a `ReconnectNeededError`.
 * @module
 */
import type { OAuth2Client } from "google-auth-library";
import {
  type AccountStore,
  type Clock,
  ReconnectNeededError,
} from "../ports.ts";
import type { Tokens } from "../types.ts";
import { errorReason } from "./retry.ts";

/** Refresh this long before the stored expiry. */
export const REFRESH_MARGIN_MS = 60_000;

/** A fresh access token from the token endpoint. */
export interface RefreshedToken {
  accessToken: string;
  /** Lifetime in ms from now, or null when the server did not say. */
  expiresInMs: number | null;
  /** A rotated refresh token, when the server sent one. */
  refreshToken: string | null;
  scope: string | null;
}

/**
 * Trades a refresh token for an access token. Throws `ReconnectNeededError`
 * when Google refuses the refresh token (`invalid_grant`).
 */
export type Refresher = (refreshToken: string) => Promise<RefreshedToken>;

/**
 * A refresher on google-auth-library's OAuth2Client (its token endpoint).
 * A fresh client per refresh: credentials never mix between accounts.
 */
export function googleRefresher(newClient: () => OAuth2Client): Refresher {
  return async (refreshToken) => {
    const client = newClient();
    client.setCredentials({ refresh_token: refreshToken });
    let credentials;
    try {
      ({ credentials } = await client.refreshAccessToken());
    } catch (err) {
      throw isInvalidGrant(err)
        ? refusedGrant(err)
        : isInvalidClient(err)
        ? refusedClient(err)
        : err;
    }
    if (!credentials.access_token) {
      throw new Error("the token endpoint returned no access_token");
    }
    // The library turns expires_in into an absolute time on the wall clock.
    const expiresInMs = typeof credentials.expiry_date === "number"
      ? Math.max(0, credentials.expiry_date - Date.now())
      : null;
    return {
      accessToken: credentials.access_token,
      expiresInMs,
      refreshToken: credentials.refresh_token &&
          credentials.refresh_token !== refreshToken
        ? credentials.refresh_token
        : null,
      scope: credentials.scope ?? null,
    };
  };
}

/** The error for a refresh token Google refused. */
function refusedGrant(cause: unknown): ReconnectNeededError {
  return new ReconnectNeededError(
    "Google refused the refresh token (invalid_grant): reconnect the account",
    { cause },
  );
}

/** The error for client credentials Google refused (wrong or deleted secret). */
function refusedClient(cause: unknown): ReconnectNeededError {
  return new ReconnectNeededError(
    "Google refused the app's client credentials (invalid_client): check GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET, then reconnect the account",
    { cause },
  );
}

/** True when Google refused the OAuth client itself (`invalid_client`). */
export function isInvalidClient(err: unknown): boolean {
  if (errorReason(err) === "invalid_client") return true;
  return err instanceof Error && /invalid_client/.test(err.message);
}

/** True when the error is Google refusing the refresh token. */
export function isInvalidGrant(err: unknown): boolean {
  if (err instanceof ReconnectNeededError) return true;
  if (errorReason(err) === "invalid_grant") return true;
  return err instanceof Error && /invalid_grant/.test(err.message);
}

/** The access token of one account. */
export interface TokenSource {
  /** A usable access token, refreshed first when the stored expiry is near. */
  accessToken(): Promise<string>;
  /** Refreshes now (after a 401) and returns the new access token. */
  forceRefresh(): Promise<string>;
}

/** Options of `createTokenSource`. */
export interface TokenSourceOptions {
  accountId: string;
  accounts: Pick<AccountStore, "getTokens" | "setTokens">;
  refresher: Refresher;
  clock: Clock;
}

/** A token source for one account (one refresh in flight at a time). */
export function createTokenSource(opts: TokenSourceOptions): TokenSource {
  let tokens: Tokens | null = null;
  let inFlight: Promise<string> | null = null;
  let loading: Promise<Tokens> | null = null;

  // One read of the store for concurrent first callers; a token refreshed
  // while it was out is never replaced by the older stored copy.
  const load = (): Promise<Tokens> => {
    if (tokens) return Promise.resolve(tokens);
    loading ??= (async () => {
      const t = await opts.accounts.getTokens(opts.accountId);
      if (!t) {
        throw new ReconnectNeededError(
          "no tokens are stored for this account",
        );
      }
      tokens ??= t;
      return tokens;
    })().finally(() => {
      loading = null;
    });
    return loading;
  };

  const refresh = (): Promise<string> => {
    inFlight ??= (async () => {
      const current = await load();
      let r: RefreshedToken;
      try {
        r = await opts.refresher(current.refreshToken);
      } catch (err) {
        throw isInvalidGrant(err) && !(err instanceof ReconnectNeededError)
          ? refusedGrant(err)
          : err;
      }
      const next: Tokens = {
        accessToken: r.accessToken,
        refreshToken: r.refreshToken ?? current.refreshToken,
        expiryDate: r.expiresInMs === null
          ? null
          : opts.clock.now().getTime() + r.expiresInMs,
        ...(r.scope ?? current.scope
          ? { scope: r.scope ?? current.scope }
          : {}),
      };
      await opts.accounts.setTokens(opts.accountId, next);
      tokens = next;
      return r.accessToken;
    })().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };

  return {
    async accessToken() {
      const t = await load();
      const expiring = t.expiryDate !== null &&
        t.expiryDate - REFRESH_MARGIN_MS <= opts.clock.now().getTime();
      if (t.accessToken === null || t.accessToken === "" || expiring) {
        return await refresh();
      }
      return t.accessToken;
    },
    forceRefresh: refresh,
  };
}
