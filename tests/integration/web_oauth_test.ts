/**
 * Connecting and disconnecting a Gmail account through the web app, against
 * the real emulator over HTTP (state + PKCE, code exchange, userinfo,
 * encrypted tokens, seeded cursor, revoke), and the OAuth error pages.
 */
import assert from "node:assert/strict";
import { openTestWeb, signIn, type TestWeb } from "../helpers/web_app.ts";

const MAILBOX = "support@shop.example";

async function emu(web: TestWeb, path: string, body?: unknown) {
  const res = await fetch(
    `${web.emu!.url}${path}`,
    body === undefined ? {} : {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    },
  );
  return await res.json();
}

/**
 * Starts a connection and follows it through the emulator's consent; with
 * `untick`, the person grants every asked-for scope but that one.
 */
async function consent(
  web: TestWeb,
  jar: { header(): string },
  csrf: string,
  untick?: string,
): Promise<URL> {
  const start = await web.app.request("/connect", {
    method: "POST",
    headers: { cookie: jar.header() },
    body: new URLSearchParams({ _csrf: csrf, login_hint: MAILBOX }),
  });
  assert.equal(start.status, 303);
  const authorize = new URL(start.headers.get("location")!);
  if (untick) {
    const scopes = authorize.searchParams.get("scope")!.split(" ");
    authorize.searchParams.set(
      "scope",
      scopes.filter((s) => s !== untick).join(" "),
    );
  }
  const back = await fetch(authorize, { redirect: "manual" });
  await back.body?.cancel();
  assert.equal(back.status, 302, "the emulator consents at once");
  return new URL(back.headers.get("location")!);
}

for (const backend of ["kv", "postgres"] as const) {
  Deno.test(`connect a Gmail account through OAuth and disconnect it (${backend})`, async (t) => {
    const web = await openTestWeb({ backend });
    try {
      const { jar, csrf } = await signIn(web);
      await t.step("the connect page offers the Google button", async () => {
        const html = await (await web.app.request("/connect", {
          headers: { cookie: jar.header() },
        })).text();
        assert.match(html, /Connect with Google/);
      });
      await t.step(
        "POST /connect redirects to the consent page with state and PKCE",
        async () => {
          const res = await web.app.request("/connect", {
            method: "POST",
            headers: { cookie: jar.header() },
            body: new URLSearchParams({ _csrf: csrf }),
          });
          assert.equal(res.status, 303);
          const url = new URL(res.headers.get("location")!);
          assert.equal(
            url.origin + url.pathname,
            `${web.emu!.url}/o/oauth2/v2/auth`,
          );
          const q = url.searchParams;
          assert.equal(q.get("access_type"), "offline");
          assert.equal(q.get("prompt"), "consent");
          assert.equal(q.get("response_type"), "code");
          assert.equal(q.get("code_challenge_method"), "S256");
          assert.match(q.get("code_challenge") ?? "", /^[A-Za-z0-9_-]{43}$/);
          assert.match(q.get("state") ?? "", /^[A-Za-z0-9_-]{43}$/);
          assert.equal(
            q.get("redirect_uri"),
            "http://127.0.0.1:8000/oauth2callback",
          );
          const scopes = (q.get("scope") ?? "").split(" ");
          for (
            const s of [
              "gmail.readonly",
              "gmail.modify",
              "gmail.send",
              "userinfo.email",
            ]
          ) {
            assert.ok(
              scopes.includes(`https://www.googleapis.com/auth/${s}`),
              s,
            );
          }
          assert.ok(scopes.includes("openid"));
        },
      );
      let accountId = "";
      await t.step(
        "the callback stores the account and seeds the cursor",
        async () => {
          const cb = await consent(web, jar, csrf);
          assert.equal(cb.pathname, "/oauth2callback");
          const res = await web.app.request(cb.pathname + cb.search);
          assert.equal(res.status, 303, await res.clone().text());
          assert.equal(
            res.headers.get("location"),
            "/accounts?notice=connected",
          );
          const account = await web.store.accounts.getByEmail(MAILBOX);
          assert.ok(account);
          accountId = account.id;
          assert.equal(account.status, "active");
          const tokens = await web.store.accounts.getTokens(account.id);
          assert.ok(tokens?.refreshToken);
          const cursor = await web.store.cursors.get(account.id);
          assert.match(cursor ?? "", /^\d+$/);
          const audit = await web.store.audit.list(10);
          assert.ok(
            audit.some((e) =>
              e.action === "account_connected" && e.target === account.id
            ),
          );
          const page =
            await (await web.app.request("/accounts?notice=connected", {
              headers: { cookie: jar.header() },
            })).text();
          assert.match(page, /support@shop\.example/);
          assert.match(page, /The mailbox is connected/);
        },
      );
      await t.step(
        "a replayed callback is refused: the state works once",
        async () => {
          const cb = await consent(web, jar, csrf);
          const first = await web.app.request(cb.pathname + cb.search);
          assert.equal(first.status, 303);
          const again = await web.app.request(cb.pathname + cb.search);
          assert.equal(again.status, 400);
          assert.match(
            await again.text(),
            /missing, expired \(after 10 minutes\) or was already used/,
          );
        },
      );
      await t.step("an expired state is refused", async () => {
        const cb = await consent(web, jar, csrf);
        web.clock.advance(10 * 60_000 + 1);
        const res = await web.app.request(cb.pathname + cb.search);
        assert.equal(res.status, 400);
        await res.body?.cancel();
      });
      await t.step(
        "disconnect revokes the token at Google, then deletes the account",
        async () => {
          // Without the confirmation it only asks.
          const ask = await web.app.request(
            `/accounts/${accountId}/disconnect`,
            {
              method: "POST",
              headers: { cookie: jar.header() },
              body: new URLSearchParams({ _csrf: csrf }),
            },
          );
          assert.equal(ask.status, 303);
          assert.equal(
            ask.headers.get("location"),
            `/accounts/${accountId}/disconnect`,
          );
          assert.ok(await web.store.accounts.get(accountId));
          const page = await web.app.request(
            `/accounts/${accountId}/disconnect`,
            { headers: { cookie: jar.header() } },
          );
          assert.match(await page.text(), /Disconnect a mailbox\?/);
          const res = await web.app.request(
            `/accounts/${accountId}/disconnect`,
            {
              method: "POST",
              headers: { cookie: jar.header() },
              body: new URLSearchParams({ _csrf: csrf, confirm: "yes" }),
            },
          );
          assert.equal(res.status, 303);
          assert.equal(
            res.headers.get("location"),
            "/accounts?notice=disconnected",
          );
          const revocations = await emu(web, "/__emu/revocations") as {
            email: string;
          }[];
          assert.ok(
            revocations.some((r) => r.email === MAILBOX),
            JSON.stringify(revocations),
          );
          assert.equal(await web.store.accounts.get(accountId), null);
          assert.equal(await web.store.accounts.getTokens(accountId), null);
        },
      );
    } finally {
      await web.close();
    }
  });
}

Deno.test("OAuth error pages say what to do", async (t) => {
  const web = await openTestWeb();
  try {
    const { jar, csrf } = await signIn(web);
    await t.step("a denied consent", async () => {
      await emu(web, "/__emu/oauth", { deny: 1 });
      const cb = await consent(web, jar, csrf);
      assert.equal(cb.searchParams.get("error"), "access_denied");
      const res = await web.app.request(cb.pathname + cb.search);
      assert.equal(res.status, 400);
      assert.match(await res.text(), /consent was denied/);
    });
    await t.step("a missing refresh token", async () => {
      await emu(web, "/__emu/oauth", { omit_refresh_token: true });
      const cb = await consent(web, jar, csrf);
      const res = await web.app.request(cb.pathname + cb.search);
      assert.equal(res.status, 400);
      const html = await res.text();
      assert.match(html, /https:\/\/myaccount\.google\.com\/permissions/);
      assert.match(html, /remove its access/);
      assert.equal((await web.store.accounts.list()).length, 0);
      await emu(web, "/__emu/oauth", { omit_refresh_token: false });
    });
    await t.step(
      "a consent without gmail.modify connects nothing",
      async () => {
        const cb = await consent(
          web,
          jar,
          csrf,
          "https://www.googleapis.com/auth/gmail.modify",
        );
        const res = await web.app.request(cb.pathname + cb.search);
        assert.equal(res.status, 400);
        const html = await res.text();
        assert.match(html, /Not every permission was granted/);
        assert.match(html, /without gmail\.modify, which the agent needs/);
        assert.equal((await web.store.accounts.list()).length, 0);
      },
    );
    await t.step("a state that was never issued", async () => {
      const res = await web.app.request(
        "/oauth2callback?code=abc&state=forged-state-value",
      );
      assert.equal(res.status, 400);
      assert.match(await res.text(), /cannot be trusted/);
    });
    await t.step("a code Google does not accept", async () => {
      const cb = await consent(web, jar, csrf);
      cb.searchParams.set("code", "not-a-real-code");
      const res = await web.app.request(cb.pathname + cb.search);
      assert.equal(res.status, 502);
      assert.match(await res.text(), /did not accept the authorization code/);
    });
  } finally {
    await web.close();
  }
});

Deno.test("without GOOGLE_CLIENT_ID the connect page explains the setup", async () => {
  const web = await openTestWeb({ emulator: false });
  try {
    const { jar, csrf } = await signIn(web);
    const html = await (await web.app.request("/connect", {
      headers: { cookie: jar.header() },
    })).text();
    for (
      const step of [
        /Gmail API/,
        /OAuth consent screen/,
        /Test users/,
        /Web application/,
        /gmail\.send/,
      ]
    ) {
      assert.match(html, step);
    }
    assert.match(
      html,
      /<pre class="copy">http:\/\/127\.0\.0\.1:8000\/oauth2callback<\/pre>/,
    );
    const res = await web.app.request("/connect", {
      method: "POST",
      headers: { cookie: jar.header() },
      body: new URLSearchParams({ _csrf: csrf }),
    });
    assert.equal(res.status, 400);
    await res.body?.cancel();
  } finally {
    await web.close();
  }
});
