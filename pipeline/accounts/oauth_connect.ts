/**
 * Connecting a Gmail account through Google's consent: `startOAuthConnect`
 * keeps a one-time state with the PKCE verifier and gives the consent URL;
 * `finishOAuthConnect` checks Google's answer on the callback (state, code,
 * refresh token, granted scopes, mailbox address), then `connectAccount`
 * stores the mailbox and seeds its cursor. Each refusal is an outcome the
 * caller renders, not an exception.
 * @module
 */
import { connectAccount } from "./connect_account.ts";
import type { Logger } from "../log.ts";
import type {
  AccountStore,
  AuditStore,
  Clock,
  CursorStore,
  GoogleOAuth,
  Mailbox,
  OAuthStateStore,
} from "../ports.ts";
import { randomId } from "../random_id.ts";
import type { Account } from "../types.ts";

/** How long a started connection may take. */
export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;
const STATE_PREFIX = "connect:";

/** The ports `startOAuthConnect` needs. */
export interface StartOAuthConnectDeps {
  oauth: Pick<GoogleOAuth, "consentUrl">;
  oauthStates: Pick<OAuthStateStore, "put">;
  clock: Clock;
}

/**
 * Starts a connection: keeps a fresh state (with the PKCE verifier) for
 * `OAUTH_STATE_TTL_MS` and returns Google's consent URL. A login hint of
 * 200 characters or more is dropped.
 */
export async function startOAuthConnect(
  input: { loginHint?: string | null },
  deps: StartOAuthConnectDeps,
): Promise<string> {
  const hint = (input.loginHint ?? "").trim();
  const state = randomId();
  const { url, verifier } = await deps.oauth.consentUrl({
    state,
    loginHint: hint && hint.length < 200 ? hint : null,
  });
  await deps.oauthStates.put(
    STATE_PREFIX + state,
    { verifier },
    OAUTH_STATE_TTL_MS,
    deps.clock.now(),
  );
  return url;
}

/** The callback's query, as Google sent it. */
export interface OAuthCallbackQuery {
  error?: string;
  state?: string;
  code?: string;
}

/** Why a callback did not connect a mailbox. */
export type OAuthConnectProblem =
  /** The person denied the consent. */
  | "denied"
  /** Google answered with another error (`googleError`). */
  | "google_error"
  /** The state is missing, expired, already used or never issued. */
  | "bad_state"
  | "no_code"
  /** The code exchange failed (bad code, client or redirect URI). */
  | "code_refused"
  /** Google sent no refresh token (the app was allowed before). */
  | "no_refresh_token"
  /** Some asked-for scopes were not granted (`missingScopes`). */
  | "missing_scope"
  /** Userinfo did not name the mailbox address. */
  | "no_email";

/** What a callback came to. */
export type OAuthConnectOutcome =
  | { ok: true; account: Account }
  | {
    ok: false;
    problem: OAuthConnectProblem;
    /** Google's `error` parameter (at most 80 characters), for `google_error`. */
    googleError?: string;
    /** The scopes not granted, for `missing_scope`. */
    missingScopes?: string[];
  };

/** The ports `finishOAuthConnect` needs. */
export interface FinishOAuthConnectDeps {
  oauth: Pick<GoogleOAuth, "exchangeCode" | "userEmail">;
  oauthStates: Pick<OAuthStateStore, "take">;
  accounts: Pick<AccountStore, "upsert" | "setStatus">;
  cursors: CursorStore;
  audit: Pick<AuditStore, "add">;
  mailboxFor(
    account: Account,
  ): Pick<Mailbox, "getProfile"> | Promise<Pick<Mailbox, "getProfile">>;
  clock: Clock;
  logger: Logger;
}

/**
 * Finishes a connection from the callback's query: takes the state (once),
 * exchanges the code, requires a refresh token, every asked-for scope and
 * the mailbox address, then connects the account and audits it as `actor`.
 */
export async function finishOAuthConnect(
  input: { query: OAuthCallbackQuery; actor: string },
  deps: FinishOAuthConnectDeps,
): Promise<OAuthConnectOutcome> {
  const { query: q } = input;
  if (q.error) {
    return q.error === "access_denied" ? { ok: false, problem: "denied" } : {
      ok: false,
      problem: "google_error",
      googleError: q.error.slice(0, 80),
    };
  }
  const state = q.state ?? "";
  const saved = state.length > 0 && state.length < 200
    ? await deps.oauthStates.take(STATE_PREFIX + state, deps.clock.now())
    : null;
  if (!saved?.verifier) return { ok: false, problem: "bad_state" };
  if (!q.code) return { ok: false, problem: "no_code" };
  let tokens;
  try {
    tokens = await deps.oauth.exchangeCode(q.code, saved.verifier);
  } catch (err) {
    deps.logger.warn("oauth code exchange failed", { error: err });
    return { ok: false, problem: "code_refused" };
  }
  if (!tokens.refreshToken) return { ok: false, problem: "no_refresh_token" };
  if (tokens.missingScopes.length > 0) {
    return {
      ok: false,
      problem: "missing_scope",
      missingScopes: tokens.missingScopes,
    };
  }
  const email = await deps.oauth.userEmail(tokens.accessToken ?? "");
  if (!email) return { ok: false, problem: "no_email" };

  const { account, cursor, cursorError } = await connectAccount({
    email,
    tokens: {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiryDate: tokens.expiryDate,
      ...(tokens.scope ? { scope: tokens.scope } : {}),
    },
  }, deps);
  if (cursor === "failed") {
    deps.logger.warn("could not seed the sync cursor", {
      accountId: account.id,
      error: cursorError,
    });
  }
  await deps.audit.add({
    at: deps.clock.now(),
    actor: input.actor,
    action: "account_connected",
    target: account.id,
    detail: { email },
  });
  deps.logger.info("account connected", { accountId: account.id, email });
  return { ok: true, account };
}
