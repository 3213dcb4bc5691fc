/**
 * The two grants of `POST /token`: authorization_code (one-time code,
 * redirect_uri match, PKCE S256/plain) and refresh_token, with Google's
 * error bodies (`invalid_grant`, "Token has been expired or revoked.").
 * @module
 */
import { OAuthError } from "./errors.ts";
import { toBase64Url } from "./mime.ts";
import {
  ACCESS_TOKEN_SECONDS,
  createGrant,
  grantForRefresh,
  issueAccessToken,
  subjectId,
} from "./oauth_state.ts";
import type { EmulatorState, Grant } from "./state.ts";

function b64urlJson(v: unknown): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify(v))).replaceAll(
    "=",
    "",
  );
}

/** An unsigned-in-practice ID token (payload shape like Google's; signature fake). */
function idToken(state: EmulatorState, grant: Grant, clientId: string): string {
  const iat = Math.floor(state.now().getTime() / 1000);
  const header = { alg: "RS256", kid: "emulator", typ: "JWT" };
  const payload = {
    iss: "https://accounts.google.com",
    azp: clientId,
    aud: clientId,
    sub: subjectId(grant.email),
    email: grant.email,
    email_verified: true,
    iat,
    exp: iat + ACCESS_TOKEN_SECONDS + 1,
  };
  return `${b64urlJson(header)}.${b64urlJson(payload)}.ZW11bGF0b3I`;
}

function tokenResponse(
  state: EmulatorState,
  grant: Grant,
  clientId: string,
  withRefresh: boolean,
): Record<string, unknown> {
  const access = issueAccessToken(state, grant);
  const out: Record<string, unknown> = {
    access_token: access.token,
    expires_in: ACCESS_TOKEN_SECONDS,
  };
  if (withRefresh && grant.refreshToken) out.refresh_token = grant.refreshToken;
  out.scope = grant.scope;
  out.token_type = "Bearer";
  if (grant.scope.split(" ").includes("openid")) {
    out.id_token = idToken(state, grant, clientId);
  }
  return out;
}

async function sha256Base64Url(text: string): Promise<string> {
  const d = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(text),
  );
  return toBase64Url(new Uint8Array(d)).replaceAll("=", "");
}

/** grant_type=authorization_code. The code is spent even when the exchange fails. */
export async function exchangeCode(
  state: EmulatorState,
  clientId: string,
  f: Record<string, string>,
): Promise<Record<string, unknown>> {
  const code = state.codes.get(f["code"] ?? "");
  if (!code) throw new OAuthError(400, "invalid_grant", "Malformed auth code.");
  const wasUsed = code.used;
  code.used = true;
  if (
    wasUsed || code.expiresAt <= state.now().getTime() ||
    code.clientId !== clientId
  ) {
    throw new OAuthError(400, "invalid_grant", "Bad Request");
  }
  if ((f["redirect_uri"] ?? "") !== code.redirectUri) {
    throw new OAuthError(400, "redirect_uri_mismatch", "Bad Request");
  }
  const verifier = f["code_verifier"];
  if (code.challenge === null && verifier) {
    throw new OAuthError(
      400,
      "invalid_grant",
      "code_verifier or verifier is not needed.",
    );
  }
  if (code.challenge !== null) {
    if (!verifier) {
      throw new OAuthError(400, "invalid_grant", "Missing code verifier.");
    }
    const expected = code.challengeMethod === "S256"
      ? await sha256Base64Url(verifier)
      : verifier;
    if (expected !== code.challenge) {
      throw new OAuthError(400, "invalid_grant", "Invalid code verifier.");
    }
  }
  const withRefresh = code.accessType === "offline" && !code.alreadyGranted &&
    !state.flags.omitRefreshToken;
  const grant = createGrant(state, {
    email: code.email,
    clientId,
    scope: code.scope,
    withRefresh,
  });
  return tokenResponse(state, grant, clientId, withRefresh);
}

/** grant_type=refresh_token. Unknown or revoked → invalid_grant. */
export function refreshAccess(
  state: EmulatorState,
  clientId: string,
  f: Record<string, string>,
): Record<string, unknown> {
  const grant = grantForRefresh(state, f["refresh_token"] ?? "");
  if (!grant) {
    throw new OAuthError(
      400,
      "invalid_grant",
      "Token has been expired or revoked.",
    );
  }
  if (grant.clientId !== null && grant.clientId !== clientId) {
    throw new OAuthError(401, "unauthorized_client", "Unauthorized");
  }
  return tokenResponse(state, grant, clientId, false);
}
