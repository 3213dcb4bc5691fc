/**
 * The emulator's OAuth endpoints behave like Google's for google-auth-library:
 * consent redirect, PKCE code exchange, refresh, revoke, userinfo, tokeninfo.
 */
import assert from "node:assert/strict";
import { gmail } from "@googleapis/gmail";
import {
  CodeChallengeMethod,
  type Credentials,
  OAuth2Client,
} from "google-auth-library";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator.ts";

const OWNER = "owner@shop.test";
const REDIRECT = "http://127.0.0.1:9/oauth/callback";
const SCOPES = [
  "https://www.googleapis.com/auth/gmail.modify",
  "https://www.googleapis.com/auth/userinfo.email",
  "openid",
];

type OAuthErr = {
  message?: string;
  status?: number;
  response?: {
    status?: number;
    data?: { error?: string; error_description?: string };
  };
};

function newClient(
  emu: TestEmulator,
  forceRefreshOnFailure = false,
): OAuth2Client {
  return new OAuth2Client({
    forceRefreshOnFailure,
    clientId: "client-123.apps.googleusercontent.com",
    clientSecret: "s3cret",
    redirectUri: REDIRECT,
    endpoints: {
      oauth2AuthBaseUrl: `${emu.url}/o/oauth2/v2/auth`,
      oauth2TokenUrl: `${emu.url}/token`,
      oauth2RevokeUrl: `${emu.url}/revoke`,
      tokenInfoUrl: `${emu.url}/tokeninfo`,
    },
  });
}

/** Follows the consent URL once; returns the redirect's query parameters. */
async function consent(url: string): Promise<URLSearchParams> {
  const res = await fetch(url, { redirect: "manual" });
  await res.body?.cancel();
  assert.equal(res.status, 302);
  const location = new URL(res.headers.get("location")!);
  assert.equal(location.origin + location.pathname, REDIRECT);
  return location.searchParams;
}

async function authorize(
  client: OAuth2Client,
  extra: { access_type?: string; login_hint?: string } = {
    access_type: "offline",
  },
) {
  const pkce = await client.generateCodeVerifierAsync();
  const url = client.generateAuthUrl({
    scope: SCOPES,
    state: "st-42",
    code_challenge_method: CodeChallengeMethod.S256,
    code_challenge: pkce.codeChallenge,
    prompt: "consent",
    login_hint: OWNER,
    ...extra,
  });
  const params = await consent(url);
  return { params, verifier: pkce.codeVerifier! };
}

function isInvalidGrant(description: string) {
  return (e: OAuthErr) =>
    e.message === "invalid_grant" && e.response?.status === 400 &&
    e.response?.data?.error_description === description;
}

Deno.test("oauth emulator runs Google's authorization-code flow with PKCE", async (t) => {
  const emu = await startTestEmulator();
  try {
    await emu.addUser(OWNER);
    const client = newClient(emu);

    let tokens: Credentials = {};
    await t.step(
      "consent redirects with code and state; the code exchanges once",
      async () => {
        const { params, verifier } = await authorize(client);
        assert.equal(params.get("state"), "st-42");
        assert.match(params.get("code") ?? "", /^4\/0A/);
        const res = await client.getToken({
          code: params.get("code")!,
          codeVerifier: verifier,
        });
        tokens = res.tokens;
        assert.match(tokens.access_token ?? "", /^ya29\./);
        assert.match(tokens.refresh_token ?? "", /^1\/\//);
        assert.equal(tokens.token_type, "Bearer");
        assert.equal(tokens.scope, SCOPES.join(" "));
        assert.ok(tokens.id_token);
        const left = (tokens.expiry_date ?? 0) - Date.now();
        assert.ok(left > 3500_000 && left <= 3599_000, `expiry in ${left} ms`);
        await assert.rejects(
          client.getToken({
            code: params.get("code")!,
            codeVerifier: verifier,
          }),
          isInvalidGrant("Bad Request"),
        );
      },
    );

    await t.step("a wrong PKCE verifier is invalid_grant", async () => {
      const { params } = await authorize(client);
      await assert.rejects(
        client.getToken({
          code: params.get("code")!,
          codeVerifier: "x".repeat(64),
        }),
        isInvalidGrant("Invalid code verifier."),
      );
    });

    await t.step(
      "a different redirect_uri is redirect_uri_mismatch",
      async () => {
        const { params, verifier } = await authorize(client);
        await assert.rejects(
          client.getToken({
            code: params.get("code")!,
            codeVerifier: verifier,
            redirect_uri: "http://evil.test/cb",
          }),
          (e: OAuthErr) => e.response?.data?.error === "redirect_uri_mismatch",
        );
      },
    );

    await t.step("userinfo and tokeninfo describe the account", async () => {
      const res = await fetch(`${emu.url}/v1/userinfo`, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
      const info = await res.json();
      assert.equal(info.email, OWNER);
      assert.equal(info.email_verified, true);
      assert.equal(info.verified_email, true);
      assert.match(info.sub, /^\d{21}$/);
      const bad = await fetch(`${emu.url}/v1/userinfo`, {
        headers: { authorization: "Bearer nope" },
      });
      assert.equal(bad.status, 401);
      assert.deepEqual(await bad.json(), {
        error: "invalid_request",
        error_description: "Invalid Credentials",
      });
      const ti = await client.getTokenInfo(tokens.access_token!);
      assert.equal(ti.email, OWNER);
      assert.deepEqual(ti.scopes, SCOPES);
    });

    await t.step(
      "refresh issues a new access token and fires the tokens event",
      async () => {
        const c2 = newClient(emu);
        c2.setCredentials({ refresh_token: tokens.refresh_token });
        const seen: string[] = [];
        c2.on("tokens", (tk) => seen.push(tk.access_token ?? ""));
        const { token } = await c2.getAccessToken();
        assert.ok(token && token !== tokens.access_token);
        assert.deepEqual(seen, [token]);
      },
    );

    await t.step(
      "revoke kills the grant: refresh is invalid_grant, access token is 401",
      async () => {
        await client.revokeToken(tokens.refresh_token!);
        const revs = await emu.revocations();
        assert.equal(revs.length, 1);
        assert.equal(revs[0]?.email, OWNER);
        assert.equal(
          revs[0]?.client_id,
          "client-123.apps.googleusercontent.com",
        );
        assert.equal(revs[0]?.token_type, "refresh_token");
        const c2 = newClient(emu);
        c2.setCredentials({ refresh_token: tokens.refresh_token });
        await assert.rejects(
          c2.getAccessToken(),
          isInvalidGrant("Token has been expired or revoked."),
        );
        const res = await fetch(`${emu.url}/gmail/v1/users/me/profile`, {
          headers: { authorization: `Bearer ${tokens.access_token}` },
        });
        assert.equal(res.status, 401);
        assert.equal((await res.json()).error.errors[0].reason, "authError");
        const again = await fetch(
          `${emu.url}/revoke?token=${tokens.refresh_token}`,
          { method: "POST" },
        );
        assert.equal(again.status, 400);
        assert.equal((await again.json()).error, "invalid_token");
      },
    );

    await t.step(
      "without access_type=offline there is no refresh token",
      async () => {
        const { params, verifier } = await authorize(client, {
          login_hint: OWNER,
        });
        const res = await client.getToken({
          code: params.get("code")!,
          codeVerifier: verifier,
        });
        assert.equal(res.tokens.refresh_token, undefined);
      },
    );

    await t.step(
      "the omit_refresh_token flag drops refresh tokens",
      async () => {
        await emu.oauth({ omit_refresh_token: true });
        const { params, verifier } = await authorize(client);
        const res = await client.getToken({
          code: params.get("code")!,
          codeVerifier: verifier,
        });
        assert.ok(res.tokens.access_token);
        assert.equal(res.tokens.refresh_token, undefined);
        await emu.oauth({ omit_refresh_token: false });
      },
    );

    await t.step(
      "a repeat consent without prompt=consent gets no refresh token, like Google",
      async () => {
        const first = await authorize(client, { access_type: "offline" });
        const t1 = await client.getToken({
          code: first.params.get("code")!,
          codeVerifier: first.verifier,
        });
        assert.ok(
          t1.tokens.refresh_token,
          "first offline grant (prompt=consent) has one",
        );
        const again = await client.generateCodeVerifierAsync();
        const params = await consent(client.generateAuthUrl({
          scope: SCOPES,
          access_type: "offline",
          login_hint: OWNER,
          code_challenge_method: CodeChallengeMethod.S256,
          code_challenge: again.codeChallenge,
        }));
        const t2 = await client.getToken({
          code: params.get("code")!,
          codeVerifier: again.codeVerifier,
        });
        assert.ok(t2.tokens.access_token);
        assert.equal(t2.tokens.refresh_token, undefined);
      },
    );

    await t.step(
      "a queued denial redirects with error=access_denied once",
      async () => {
        await emu.oauth({ deny: true });
        const { params } = await authorize(client);
        assert.equal(params.get("error"), "access_denied");
        assert.equal(params.get("state"), "st-42");
        assert.equal(params.get("code"), null);
        const next = await authorize(client);
        assert.ok(next.params.get("code"));
      },
    );

    await t.step(
      "several users and no login_hint show a chooser without scripts",
      async () => {
        await emu.addUser("second@shop.test");
        const url = client.generateAuthUrl({ scope: SCOPES, state: "s" });
        const res = await fetch(url, { redirect: "manual" });
        const html = await res.text();
        assert.equal(res.status, 200);
        assert.match(html, /owner@shop\.test/);
        assert.match(html, /second@shop\.test/);
        assert.doesNotMatch(html, /<script/i);
        const href = /href="([^"]*second[^"]*)"/.exec(html)?.[1]?.replaceAll(
          "&amp;",
          "&",
        );
        const params = await consent(new URL(href!, emu.url).toString());
        assert.ok(params.get("code"));
      },
    );

    await t.step(
      "unknown grant types and unknown refresh tokens answer Google's errors",
      async () => {
        const res = await fetch(`${emu.url}/token`, {
          method: "POST",
          body: new URLSearchParams({ grant_type: "password", client_id: "c" }),
        });
        assert.equal(res.status, 400);
        assert.deepEqual(await res.json(), {
          error: "unsupported_grant_type",
          error_description: "Invalid grant_type: password",
        });
        const res2 = await fetch(`${emu.url}/token`, {
          method: "POST",
          body: new URLSearchParams({
            grant_type: "refresh_token",
            client_id: "c",
            refresh_token: "1//nope",
          }),
        });
        assert.equal(res2.status, 400);
        assert.deepEqual(await res2.json(), {
          error: "invalid_grant",
          error_description: "Token has been expired or revoked.",
        });
      },
    );
  } finally {
    await emu.close();
  }
});

Deno.test("oauth emulator expires access tokens on its clock; a client with forceRefreshOnFailure refreshes after the 401", async () => {
  let now = new Date("2026-03-01T10:00:00Z");
  const emu = await startTestEmulator({ now: () => now });
  try {
    const { refresh_token } = await emu.addUser(OWNER);
    const auth = newClient(emu, true);
    auth.setCredentials({ refresh_token });
    const api = gmail({ version: "v1", auth, rootUrl: emu.url + "/" });
    await api.users.getProfile({ userId: "me" });
    const first = auth.credentials.access_token;
    now = new Date(now.getTime() + 3600_000);
    const res = await fetch(`${emu.url}/gmail/v1/users/me/profile`, {
      headers: { authorization: `Bearer ${first}` },
    });
    assert.equal(res.status, 401);
    await res.body?.cancel();
    // Without forceRefreshOnFailure the library trusts its own expiry_date and
    // surfaces the 401; with it, it refreshes once and retries.
    const plain = newClient(emu);
    plain.setCredentials({
      refresh_token,
      access_token: first,
      expiry_date: Date.now() + 3000_000,
    });
    await assert.rejects(
      gmail({ version: "v1", auth: plain, rootUrl: emu.url + "/" }).users
        .getProfile({ userId: "me" }),
      (e: OAuthErr) => e.status === 401,
    );
    const { data } = await api.users.getProfile({ userId: "me" });
    assert.equal(data.emailAddress, OWNER);
    assert.notEqual(auth.credentials.access_token, first);
    await emu.revoke(OWNER);
    await emu.expireAccessTokens(OWNER);
    await assert.rejects(
      api.users.getProfile({ userId: "me" }),
      isInvalidGrant("Token has been expired or revoked."),
    );
  } finally {
    await emu.close();
  }
});
