import assert from "node:assert/strict";
import {
  createOAuthClient,
  GMAIL_SCOPES,
  googleEndpoints,
} from "../../pipeline/gmail/oauth_client.ts";

Deno.test("googleEndpoints()", async (t) => {
  await t.step("gives Google's own URLs without a base URL", () => {
    const ep = googleEndpoints(null);
    assert.equal(ep.authorize, "https://accounts.google.com/o/oauth2/v2/auth");
    assert.equal(ep.token, "https://oauth2.googleapis.com/token");
    assert.equal(ep.revoke, "https://oauth2.googleapis.com/revoke");
    assert.equal(
      ep.userinfo,
      "https://openidconnect.googleapis.com/v1/userinfo",
    );
    assert.equal(ep.gmailRoot, "https://gmail.googleapis.com/");
  });
  await t.step("puts every endpoint on GOOGLE_BASE_URL's origin", () => {
    const ep = googleEndpoints("http://127.0.0.1:8025/ignored/path");
    assert.equal(ep.authorize, "http://127.0.0.1:8025/o/oauth2/v2/auth");
    assert.equal(ep.token, "http://127.0.0.1:8025/token");
    assert.equal(ep.revoke, "http://127.0.0.1:8025/revoke");
    assert.equal(ep.userinfo, "http://127.0.0.1:8025/v1/userinfo");
    assert.equal(ep.gmailRoot, "http://127.0.0.1:8025/");
  });
  await t.step("rejects a base URL that is not a URL", () => {
    assert.throws(() => googleEndpoints("not a url"), TypeError);
  });
});

Deno.test("createOAuthClient() builds consent URLs on the base URL", () => {
  const c = createOAuthClient({
    clientId: "cid",
    clientSecret: "secret",
    redirectUri: "http://localhost:8000/oauth2callback",
    baseUrl: "http://127.0.0.1:9999",
  });
  const url = new URL(
    c.generateAuthUrl({ scope: [...GMAIL_SCOPES], state: "s1" }),
  );
  assert.equal(
    url.origin + url.pathname,
    "http://127.0.0.1:9999/o/oauth2/v2/auth",
  );
  assert.equal(url.searchParams.get("client_id"), "cid");
  assert.equal(url.searchParams.get("state"), "s1");
  assert.ok(url.searchParams.get("scope")?.includes("gmail.modify"));
  assert.equal(
    String(c.endpoints.oauth2TokenUrl),
    "http://127.0.0.1:9999/token",
  );
  assert.equal(
    String(c.endpoints.oauth2RevokeUrl),
    "http://127.0.0.1:9999/revoke",
  );
});
