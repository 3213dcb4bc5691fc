/**
 * Google OAuth endpoints and the google-auth-library client. Every endpoint
 * honours `GOOGLE_BASE_URL` (passed in as `baseUrl`): with it, each URL is
 * that origin plus Google's own path, which is how the emulator is reached.
 * @module
 */
import { OAuth2Client } from "google-auth-library";

/** The Google endpoints the agent talks to. */
export interface GoogleEndpoints {
  /** OAuth consent page. */
  authorize: string;
  /** Token endpoint (code exchange and refresh). */
  token: string;
  /** Token revocation. */
  revoke: string;
  /** OpenID Connect userinfo (the account's email). */
  userinfo: string;
  /** Root of the Gmail API, ending in "/" (`rootUrl` of the Gmail client). */
  gmailRoot: string;
}

/** The scopes the agent asks for. */
export const GMAIL_SCOPES: readonly string[] = [
  "https://www.googleapis.com/auth/gmail.readonly",
  "https://www.googleapis.com/auth/gmail.modify",
  "https://www.googleapis.com/auth/gmail.send",
  "https://www.googleapis.com/auth/userinfo.email",
  "openid",
];

/**
 * Google's endpoints, or the same paths on `baseUrl`'s origin when it is set
 * (e.g. "http://127.0.0.1:8025" for the emulator).
 */
export function googleEndpoints(baseUrl: string | null): GoogleEndpoints {
  if (baseUrl === null || baseUrl.trim() === "") {
    return {
      authorize: "https://accounts.google.com/o/oauth2/v2/auth",
      token: "https://oauth2.googleapis.com/token",
      revoke: "https://oauth2.googleapis.com/revoke",
      userinfo: "https://openidconnect.googleapis.com/v1/userinfo",
      gmailRoot: "https://gmail.googleapis.com/",
    };
  }
  let origin: string;
  try {
    origin = new URL(baseUrl).origin;
  } catch (cause) {
    throw new TypeError(
      `Cannot use GOOGLE_BASE_URL as it is not a URL: current value is "${baseUrl}"`,
      { cause },
    );
  }
  return {
    authorize: `${origin}/o/oauth2/v2/auth`,
    token: `${origin}/token`,
    revoke: `${origin}/revoke`,
    userinfo: `${origin}/v1/userinfo`,
    gmailRoot: `${origin}/`,
  };
}

/** Options of `createOAuthClient`. */
export interface OAuthClientOptions {
  clientId: string;
  clientSecret: string;
  /** Where Google sends the user back after consent (web flow only). */
  redirectUri?: string;
  /** `GOOGLE_BASE_URL`, or null for real Google. */
  baseUrl: string | null;
}

/** An OAuth2Client whose token, consent and revoke URLs honour `baseUrl`. */
export function createOAuthClient(opts: OAuthClientOptions): OAuth2Client {
  const ep = googleEndpoints(opts.baseUrl);
  return new OAuth2Client({
    clientId: opts.clientId,
    clientSecret: opts.clientSecret,
    redirectUri: opts.redirectUri,
    endpoints: {
      oauth2AuthBaseUrl: ep.authorize,
      oauth2TokenUrl: ep.token,
      oauth2RevokeUrl: ep.revoke,
      ...(opts.baseUrl
        ? { tokenInfoUrl: `${new URL(opts.baseUrl).origin}/tokeninfo` }
        : {}),
    },
  });
}
