/**
 * The web app's gate, in-process: every route needs a session but the
 * public ones, state changes need the CSRF token, sign-in is rate-limited,
 * one-time links work once, security headers are on every response.
 */
import assert from "node:assert/strict";
import { createOneTimeLogin } from "../../routes/app.ts";
import { sessionKey } from "../../routes/auth/session.ts";
import { isPublicPath, PUBLIC_PATHS } from "../../routes/auth/require_admin.ts";
import {
  CookieJar,
  openTestWeb,
  postLogin,
  signIn,
} from "../helpers/web_app.ts";

const PASSWORD = "correct horse battery staple";

/** What each public route answers without a session (its own checks). */
const PUBLIC_ANSWERS: Record<string, number[]> = {
  "GET /healthz": [200],
  "GET /readyz": [200, 503],
  "GET /metrics": [200],
  "GET /static/app.css": [200],
  "GET /static/review_keys.js": [200],
  "GET /login": [200],
  "POST /login": [403], // no sign-in CSRF token
  "GET /login/once": [401], // no token
  "GET /oauth2callback": [400], // no state
};

Deno.test("web app refuses every non-public route without a session", async (t) => {
  const web = await openTestWeb({ emulator: false });
  try {
    const routes = web.app.routes.filter((r) => r.method !== "ALL");
    const seen = new Set<string>();
    await t.step("the route table lists the pages", () => {
      const paths = new Set(routes.map((r) => r.path));
      for (
        const p of [
          "/",
          "/accounts",
          "/review/:id",
          "/playground",
          "/settings",
          "/api/review",
        ]
      ) {
        assert.ok(paths.has(p), `route ${p} missing from the table`);
      }
      assert.ok(routes.length >= 30, `only ${routes.length} routes`);
    });
    await t.step(
      "each route answers 401 or a redirect to sign-in",
      async () => {
        for (const r of routes) {
          const path = r.path.replace(/:[a-z]+/g, "x");
          const key = `${r.method} ${path}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const res = await web.app.request(path, {
            method: r.method,
            ...(r.method === "GET"
              ? {}
              : { body: new URLSearchParams({ a: "b" }) }),
          });
          await res.body?.cancel();
          if (isPublicPath(path)) {
            const expected = PUBLIC_ANSWERS[key];
            assert.ok(expected, `no expectation for public route ${key}`);
            assert.ok(
              expected.includes(res.status),
              `${key} answered ${res.status}, expected one of ${expected}`,
            );
            continue;
          }
          if (res.status === 302) {
            assert.match(
              res.headers.get("location") ?? "",
              /^\/login\?next=/,
              key,
            );
          } else {
            assert.equal(res.status, 401, `${key} answered ${res.status}`);
          }
        }
        assert.ok(seen.size >= 30);
      },
    );
    await t.step("the public routes are exactly the documented ones", () => {
      assert.deepEqual([...PUBLIC_PATHS].sort(), [
        "/healthz",
        "/login",
        "/login/once",
        "/metrics",
        "/oauth2callback",
        "/readyz",
      ]);
      for (const p of ["/healthz", "/readyz", "/metrics"]) {
        assert.ok(routes.some((r) => r.path === p), `${p} not mounted`);
      }
    });
    await t.step("/healthz answers without a session", async () => {
      const res = await web.app.request("/healthz");
      assert.equal(res.status, 200);
      await res.body?.cancel();
    });
    await t.step(
      "an unknown path redirects to sign-in, not a 404 leak",
      async () => {
        const res = await web.app.request("/nope/secret");
        assert.equal(res.status, 302);
      },
    );
  } finally {
    await web.close();
  }
});

Deno.test("web app CSRF protection", async (t) => {
  const web = await openTestWeb({ emulator: false });
  try {
    const { jar, csrf } = await signIn(web);
    await t.step(
      "a POST without a CSRF token is refused with 403",
      async () => {
        const res = await web.app.request("/knowledge/reindex", {
          method: "POST",
          headers: { cookie: jar.header() },
          body: new URLSearchParams({}),
        });
        assert.equal(res.status, 403);
        assert.match(await res.text(), /CSRF/);
      },
    );
    await t.step("a POST with a wrong token is refused", async () => {
      const res = await web.app.request("/logout", {
        method: "POST",
        headers: { cookie: jar.header() },
        body: new URLSearchParams({ _csrf: csrf.slice(0, -2) + "xx" }),
      });
      assert.equal(res.status, 403);
      await res.body?.cancel();
    });
    await t.step("a JSON API call needs the x-csrf-token header", async () => {
      const without = await web.app.request("/api/review/none", {
        method: "POST",
        headers: { cookie: jar.header(), "content-type": "application/json" },
        body: JSON.stringify({ status: "resolved" }),
      });
      assert.equal(without.status, 403);
      assert.deepEqual(Object.keys(await without.json()), ["error"]);
      const withToken = await web.app.request("/api/review/none", {
        method: "POST",
        headers: {
          cookie: jar.header(),
          "content-type": "application/json",
          "x-csrf-token": csrf,
        },
        body: JSON.stringify({ status: "resolved" }),
      });
      assert.equal(withToken.status, 404);
      await withToken.body?.cancel();
    });
    await t.step(
      "the right token is accepted and logout ends the session",
      async () => {
        const res = jar.take(
          await web.app.request("/logout", {
            method: "POST",
            headers: { cookie: jar.header() },
            body: new URLSearchParams({ _csrf: csrf }),
          }),
        );
        assert.equal(res.status, 303);
        const after = await web.app.request("/settings", {
          headers: { cookie: `sid=${"x"}` },
        });
        assert.equal(after.status, 302);
      },
    );
  } finally {
    await web.close();
  }
});

Deno.test("web app sign-in", async (t) => {
  const web = await openTestWeb({
    emulator: false,
  });
  try {
    await t.step(
      "a sign-in post without the form's CSRF token is refused with 403, even with the right password",
      async () => {
        const res = await web.app.request("/login", {
          method: "POST",
          body: new URLSearchParams({ password: PASSWORD }),
        });
        assert.equal(res.status, 403);
        assert.equal(res.headers.get("set-cookie")?.includes("sid="), false);
        await res.body?.cancel();
        const page = await web.app.request("/login");
        const cookie = page.headers.get("set-cookie") ?? "";
        assert.match(cookie, /login_csrf=/);
        assert.match(cookie, /HttpOnly/);
        assert.match(cookie, /SameSite=Strict/);
        await page.body?.cancel();
        const forged = await web.app.request("/login", {
          method: "POST",
          headers: { cookie: "login_csrf=" + "a".repeat(43) },
          body: new URLSearchParams({
            password: PASSWORD,
            _csrf: "b".repeat(43),
          }),
        });
        assert.equal(forged.status, 403);
        await forged.body?.cancel();
      },
    );
    await t.step("a wrong password is refused with 401", async () => {
      const res = await postLogin(web.app, "/login", {
        body: new URLSearchParams({ password: "wrong" }),
      });
      assert.equal(res.status, 401);
      assert.match(await res.text(), /Wrong password/);
    });
    await t.step(
      "the session cookie is HttpOnly, SameSite=Lax, Path=/",
      async () => {
        const res = await postLogin(web.app, "/login", {
          body: new URLSearchParams({ password: PASSWORD, next: "/review" }),
        });
        assert.equal(res.status, 303);
        assert.equal(res.headers.get("location"), "/review");
        const cookie = res.headers.get("set-cookie") ?? "";
        assert.match(cookie, /^sid=[A-Za-z0-9_-]{43};/);
        assert.match(cookie, /HttpOnly/);
        assert.match(cookie, /SameSite=Lax/);
        assert.match(cookie, /Path=\//);
        assert.doesNotMatch(cookie, /Secure/);
      },
    );
    await t.step(
      "the store keeps only a hash of the session id; a new sign-in ends the old session",
      async () => {
        const jar = new CookieJar();
        jar.take(
          await postLogin(web.app, "/login", {
            body: new URLSearchParams({ password: PASSWORD }),
          }),
        );
        const sid = jar.get("sid")!;
        const now = web.clock.now();
        assert.equal(await web.store.sessions.get(sid, now), null);
        assert.ok(await web.store.sessions.get(await sessionKey(sid), now));
        const again = await postLogin(web.app, "/login", {
          headers: { cookie: jar.header() },
          body: new URLSearchParams({ password: PASSWORD }),
        });
        assert.equal(again.status, 303);
        assert.equal(
          await web.store.sessions.get(await sessionKey(sid), now),
          null,
        );
        const old = await web.app.request("/", {
          headers: { cookie: jar.header() },
        });
        assert.equal(old.status, 302);
      },
    );
    await t.step("the cookie is Secure over https", async () => {
      const res = await postLogin(web.app, "https://agent.example/login", {
        body: new URLSearchParams({ password: PASSWORD }),
      });
      assert.match(res.headers.get("set-cookie") ?? "", /Secure/);
    });
    await t.step("an off-site next is ignored", async () => {
      const res = await postLogin(web.app, "/login", {
        body: new URLSearchParams({
          password: PASSWORD,
          next: "//evil.example/",
        }),
      });
      assert.equal(res.headers.get("location"), "/");
    });
    await t.step(
      "after 5 failures the IP is refused with 429, even with the right password",
      async () => {
        for (let i = 0; i < 5; i++) {
          const r = await postLogin(web.app, "/login", {
            body: new URLSearchParams({ password: `wrong${i}` }),
          });
          assert.equal(r.status, 401);
          await r.body?.cancel();
        }
        const res = await postLogin(web.app, "/login", {
          body: new URLSearchParams({ password: PASSWORD }),
        });
        assert.equal(res.status, 429);
        assert.ok(Number(res.headers.get("retry-after")) > 0);
        assert.match(await res.text(), /Too many failed sign-in attempts/);
      },
    );
    await t.step(
      "the window passes with the clock and sign-in works again",
      async () => {
        web.clock.advance(15 * 60_000 + 1);
        const res = await postLogin(web.app, "/login", {
          body: new URLSearchParams({ password: PASSWORD }),
        });
        assert.equal(res.status, 303);
      },
    );
    await t.step("a session expires after 12 hours", async () => {
      const jar = new CookieJar();
      jar.take(
        await postLogin(web.app, "/login", {
          body: new URLSearchParams({ password: PASSWORD }),
        }),
      );
      const ok = await web.app.request("/", {
        headers: { cookie: jar.header() },
      });
      assert.equal(ok.status, 200);
      await ok.body?.cancel();
      web.clock.advance(12 * 3600_000 + 1);
      const late = await web.app.request("/", {
        headers: { cookie: jar.header() },
      });
      assert.equal(late.status, 302);
    });
  } finally {
    await web.close();
  }
});

for (const backend of ["kv", "postgres"] as const) {
  Deno.test(`one-time login link (${backend})`, async (t) => {
    const web = await openTestWeb({
      emulator: false,
      backend,
      env: { ADMIN_PASSWORD: "" },
    });
    try {
      await t.step(
        "without ADMIN_PASSWORD the sign-in page explains the link",
        async () => {
          const html = await (await web.app.request("/login")).text();
          assert.match(html, /one-time login link/);
          assert.doesNotMatch(html, /type="password"/);
          const res = await web.app.request("/login", {
            method: "POST",
            body: new URLSearchParams({ password: "" }),
          });
          assert.equal(res.status, 400);
          await res.body?.cancel();
        },
      );
      const token = await createOneTimeLogin(
        web.store.oauthStates,
        web.clock.now(),
      );
      await t.step("the link signs in once", async () => {
        const jar = new CookieJar();
        const res = jar.take(
          await web.app.request(`/login/once?token=${token}`),
        );
        assert.equal(res.status, 303);
        assert.ok(jar.get("sid"));
        const home = await web.app.request("/", {
          headers: { cookie: jar.header() },
        });
        assert.equal(home.status, 200);
        await home.body?.cancel();
      });
      await t.step("the same link is refused the second time", async () => {
        const res = await web.app.request(`/login/once?token=${token}`);
        assert.equal(res.status, 401);
        assert.match(await res.text(), /already used or has expired/);
        assert.equal(res.headers.get("set-cookie"), null);
      });
      await t.step("an expired link is refused", async () => {
        const t2 = await createOneTimeLogin(
          web.store.oauthStates,
          web.clock.now(),
          60_000,
        );
        web.clock.advance(60_001);
        const res = await web.app.request(`/login/once?token=${t2}`);
        assert.equal(res.status, 401);
        await res.body?.cancel();
      });
    } finally {
      await web.close();
    }
  });
}

Deno.test("security headers and escaping", async (t) => {
  const web = await openTestWeb({ emulator: false });
  try {
    const { jar } = await signIn(web);
    await t.step("every response carries the security headers", async () => {
      const cases: [string, string][] = [
        ["/login", ""],
        ["/", jar.header()],
        ["/static/app.css", ""],
        ["/healthz", ""],
        ["/nowhere", jar.header()],
      ];
      for (const [path, cookie] of cases) {
        const res = await web.app.request(path, { headers: { cookie } });
        await res.body?.cancel();
        const csp = res.headers.get("content-security-policy") ?? "";
        assert.match(csp, /default-src 'self'/, path);
        assert.match(csp, /script-src 'self'/, path);
        assert.doesNotMatch(csp, /unsafe-inline/, path);
        assert.match(csp, /frame-ancestors 'none'/, path);
        assert.match(
          csp,
          /form-action 'self' https:\/\/accounts\.google\.com/,
          path,
        );
        assert.equal(
          res.headers.get("x-content-type-options"),
          "nosniff",
          path,
        );
        assert.equal(res.headers.get("referrer-policy"), "no-referrer", path);
        assert.equal(res.headers.get("x-frame-options"), "DENY", path);
      }
    });
    await t.step("pages carry no inline script or style", async () => {
      for (
        const path of [
          "/",
          "/accounts",
          "/review",
          "/activity",
          "/refunds",
          "/knowledge",
          "/playground",
          "/settings",
          "/connect",
        ]
      ) {
        const html = await (await web.app.request(path, {
          headers: { cookie: jar.header() },
        })).text();
        // Only same-origin script files (the review queue's shortcuts).
        assert.doesNotMatch(html, /<script(?![^>]*\ssrc="\/static\/)/i, path);
        assert.doesNotMatch(html, /<script[^>]*>[^<]/i, path);
        assert.doesNotMatch(html, /\sstyle=/i, path);
        assert.doesNotMatch(html, /<style/i, path);
        assert.doesNotMatch(html, /\son[a-z]+=/i, path);
      }
    });
    await t.step("a subject with <script> is shown escaped", async () => {
      const account = await web.store.accounts.upsert({
        email: "support@shop.example",
        tokens: { accessToken: null, refreshToken: "r", expiryDate: null },
      });
      const item = await web.store.review.add({
        accountId: account.id,
        gmailId: "g1",
        threadId: "t1",
        sender: "m***@example.com",
        subject: `<script>alert("x")</script> refund`,
        excerpt: `<img src=x onerror=alert(1)> body & more`,
        category: "Other",
        importance: 4,
        importanceReasons: ["<b>angry</b>"],
        reason: "low_confidence",
      }, web.clock.now());
      for (const path of ["/review", `/review/${item.id}`]) {
        const html = await (await web.app.request(path, {
          headers: { cookie: jar.header() },
        })).text();
        assert.doesNotMatch(html, /<script>alert/, path);
        assert.match(
          html,
          /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/,
          path,
        );
      }
      const detail = await (await web.app.request(`/review/${item.id}`, {
        headers: { cookie: jar.header() },
      })).text();
      assert.match(
        detail,
        /<pre class="excerpt">&lt;img src=x onerror=alert\(1\)&gt; body &amp; more<\/pre>/,
      );
      assert.match(detail, /<li>&lt;b&gt;angry&lt;\/b&gt;<\/li>/);
      assert.doesNotMatch(detail, /key=/);
    });
    await t.step("settings mask secrets", async () => {
      const html = await (await web.app.request("/settings", {
        headers: { cookie: jar.header() },
      })).text();
      assert.doesNotMatch(html, /correct horse/);
      assert.match(html, /ADMIN_PASSWORD<\/code><\/td><td>•••••• \(set\)/);
    });
  } finally {
    await web.close();
  }
});
