/**
 * OAuth grants, codes and tokens. Access tokens last 3599 s on the injected
 * clock; revoking any token of a grant revokes the whole grant.
 * @module
 */
import {
  type AccessToken,
  type EmulatorState,
  type Grant,
  randomToken,
} from "./state.ts";

/** Lifetime of an access token, in seconds (Google's `expires_in`). */
export const ACCESS_TOKEN_SECONDS = 3599;

/** The scopes a control-issued refresh token carries. */
export const DEFAULT_SCOPE = [
  "https://mail.google.com/",
  "https://www.googleapis.com/auth/gmail.modify",
  "https://www.googleapis.com/auth/userinfo.email",
  "openid",
].join(" ");

/** Creates a grant (with a refresh token unless `withRefresh` is false). */
export function createGrant(
  state: EmulatorState,
  input: {
    email: string;
    clientId: string | null;
    scope: string;
    withRefresh: boolean;
  },
): Grant {
  const grant: Grant = {
    id: randomToken(9),
    email: input.email.toLowerCase(),
    clientId: input.clientId,
    scope: input.scope,
    refreshToken: input.withRefresh ? `1//0${randomToken(48)}` : null,
    revoked: false,
  };
  state.grants.set(grant.id, grant);
  if (grant.refreshToken) state.refreshTokens.set(grant.refreshToken, grant.id);
  return grant;
}

/** Issues a new access token for a grant. */
export function issueAccessToken(
  state: EmulatorState,
  grant: Grant,
): AccessToken {
  const token: AccessToken = {
    token: `ya29.${randomToken(60)}`,
    grantId: grant.id,
    expiresAt: state.now().getTime() + ACCESS_TOKEN_SECONDS * 1000,
  };
  state.accessTokens.set(token.token, token);
  return token;
}

/** The live grant behind a refresh token, or undefined (unknown/revoked). */
export function grantForRefresh(
  state: EmulatorState,
  refreshToken: string,
): Grant | undefined {
  const id = state.refreshTokens.get(refreshToken);
  const grant = id ? state.grants.get(id) : undefined;
  return grant && !grant.revoked ? grant : undefined;
}

/** The grant and token of a valid (known, unexpired, unrevoked) access token. */
export function verifyAccessToken(
  state: EmulatorState,
  token: string,
): { grant: Grant; access: AccessToken } | undefined {
  const access = state.accessTokens.get(token);
  if (!access || access.expiresAt <= state.now().getTime()) return undefined;
  const grant = state.grants.get(access.grantId);
  if (!grant || grant.revoked) return undefined;
  return { grant, access };
}

/** The bearer token of an Authorization header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(header?.trim() ?? "");
  return m ? m[1]! : null;
}

/**
 * Revokes the grant a refresh or access token belongs to. Returns the kind
 * of token found, or null when the token is unknown.
 */
export function revokeToken(
  state: EmulatorState,
  token: string,
): "refresh_token" | "access_token" | null {
  const viaRefresh = state.refreshTokens.get(token);
  const viaAccess = state.accessTokens.get(token)?.grantId;
  const grantId = viaRefresh ?? viaAccess;
  const grant = grantId ? state.grants.get(grantId) : undefined;
  if (!grant || grant.revoked) return null;
  grant.revoked = true;
  const tokenType = viaRefresh ? "refresh_token" : "access_token";
  state.revocations.push({
    email: grant.email,
    clientId: grant.clientId,
    tokenType,
    at: state.now().toISOString(),
  });
  return tokenType;
}

/** Revokes every grant of a user (control route); returns how many. */
export function revokeUser(state: EmulatorState, email: string): number {
  let n = 0;
  for (const g of state.grants.values()) {
    if (g.email === email.toLowerCase() && !g.revoked) {
      g.revoked = true;
      n++;
    }
  }
  state.revocations.push({
    email: email.toLowerCase(),
    clientId: null,
    tokenType: "control",
    at: state.now().toISOString(),
  });
  return n;
}

/** Whether `scope` (space-separated) holds any of `accepted`. */
export function hasAnyScope(
  scope: string,
  accepted: readonly string[],
): boolean {
  const have = new Set(scope.split(/\s+/));
  return accepted.some((s) => have.has(s));
}

/** A stable numeric Google account id (`sub`) for an email. */
export function subjectId(email: string): string {
  let h = 1469598103934665603n;
  for (const ch of new TextEncoder().encode(email.toLowerCase())) {
    h = ((h ^ BigInt(ch)) * 1099511628211n) & 0xffffffffffffffffn;
  }
  return "1" + h.toString().padStart(20, "0");
}
