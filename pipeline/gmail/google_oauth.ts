/**
 * The `GoogleOAuth` port on google-auth-library and Google's endpoints
 * (honouring `GOOGLE_BASE_URL`): the consent URL with state and PKCE, the
 * code exchange with the granted-scope check, userinfo and revoke.
 * @module
 */
import { AppError } from "../errors.ts";
import type { GoogleOAuth, GrantedTokens } from "../ports.ts";
import {
  createOAuthClient,
  GMAIL_SCOPES,
  googleEndpoints,
} from "./oauth_client.ts";
import { fetchUserEmail } from "./userinfo.ts";

/** Options of `createGoogleOAuth`. */
export interface GoogleOAuthOptions {
  /** `GOOGLE_CLIENT_ID`; null when none is configured (consent then throws). */
  clientId: string | null;
  clientSecret: string | null;
  /** Where Google sends the person back after consent. */
  redirectUri: string;
  /** `GOOGLE_BASE_URL`, or null for real Google. */
  baseUrl: string | null;
  /** The sandbox emulator's origin: a sandbox account's token is revoked there. Default none. */
  sandboxBaseUrl?: string | null;
  /** Used for the revoke call. Default: global fetch. */
  fetch?: typeof fetch;
}

const MODIFY = "https://www.googleapis.com/auth/gmail.modify";
const FULL_MAIL = "https://mail.google.com/";

/**
 * The scopes missing from Google's granted `scope` string for the agent to
 * work: it reads, labels, drafts and sends, which `gmail.modify` (or full
 * mail access) covers, so unticking `gmail.readonly` or `gmail.send` alone
 * loses nothing. Empty when Google did not list the granted scopes.
 */
export function missingScopes(scope: string | null | undefined): string[] {
  if (!scope) return [];
  const granted = new Set(scope.split(/\s+/));
  return granted.has(MODIFY) || granted.has(FULL_MAIL) ? [] : [MODIFY];
}

/** Builds the adapter. */
export function createGoogleOAuth(opts: GoogleOAuthOptions): GoogleOAuth {
  const doFetch = opts.fetch ?? fetch;
  const client = () => {
    if (!opts.clientId || !opts.clientSecret) {
      throw new AppError(
        "invalid_input",
        "No Google OAuth client is configured: set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET (see the Connect page).",
      );
    }
    return createOAuthClient({
      clientId: opts.clientId,
      clientSecret: opts.clientSecret,
      redirectUri: opts.redirectUri,
      baseUrl: opts.baseUrl,
    });
  };
  return {
    consentOrigin: new URL(googleEndpoints(opts.baseUrl).authorize).origin,
    async consentUrl({ state, loginHint }) {
      const oauth = client();
      const pkce = await oauth.generateCodeVerifierAsync();
      const url = oauth.generateAuthUrl({
        access_type: "offline",
        prompt: "consent",
        scope: [...GMAIL_SCOPES],
        state,
        code_challenge: pkce.codeChallenge,
        // deno-lint-ignore no-explicit-any
        code_challenge_method: "S256" as any,
        ...(loginHint ? { login_hint: loginHint } : {}),
      });
      return { url, verifier: pkce.codeVerifier };
    },
    async exchangeCode(code, verifier): Promise<GrantedTokens> {
      const { tokens } = await client().getToken({
        code,
        codeVerifier: verifier,
      });
      return {
        accessToken: tokens.access_token ?? null,
        refreshToken: tokens.refresh_token ?? null,
        expiryDate: tokens.expiry_date ?? null,
        scope: tokens.scope ?? null,
        missingScopes: missingScopes(tokens.scope),
      };
    },
    async userEmail(accessToken) {
      try {
        return await fetchUserEmail(accessToken, opts.baseUrl);
      } catch {
        return null;
      }
    },
    async revoke(account, refreshToken) {
      const base = account.sandbox && opts.sandboxBaseUrl
        ? opts.sandboxBaseUrl
        : opts.baseUrl;
      try {
        const res = await doFetch(googleEndpoints(base).revoke, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ token: refreshToken }),
        });
        await res.body?.cancel();
        return res.ok;
      } catch {
        return false;
      }
    },
  };
}
