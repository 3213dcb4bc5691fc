/**
 * The sign-in back-off: per client address, growing with each failure past
 * the free ones, never global; the one-time link is never limited; with
 * TRUST_PROXY the address is the last X-Forwarded-For entry. Time is the
 * injected clock.
 */
import assert from "node:assert/strict";
import { createOneTimeLogin } from "../../routes/auth/session.ts";
import {
  addressKey,
  createLoginLimiter,
} from "../../routes/auth/login_limiter.ts";
import { openTestWeb, type TestWeb } from "../helpers/web_app.ts";

const PASSWORD = "correct horse battery staple";
const t0 = new Date("2026-03-02T10:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

Deno.test("createLoginLimiter() doubles the wait after the free failures, up to the cap", () => {
  const l = createLoginLimiter({
    freeFailures: 3,
    baseDelayMs: 1000,
    maxDelayMs: 8000,
  });
  const waits: (number | null)[] = [];
  let t = 0;
  for (let i = 0; i < 8; i++) {
    l.fail("a", at(t));
    const r = l.check("a", at(t));
    waits.push(r.ok ? null : r.retryAfterSec);
    // Wait exactly as told, then fail again.
    t += r.ok ? 0 : r.retryAfterSec * 1000;
  }
  assert.deepEqual(waits, [null, null, 1, 2, 4, 8, 8, 8]);
});

Deno.test("createLoginLimiter() has no global lockout: failures from a thousand addresses leave another free", () => {
  const l = createLoginLimiter();
  for (let i = 0; i < 1000; i++) {
    for (let j = 0; j < 10; j++) l.fail(`10.0.${i >> 8}.${i & 255}`, at(j));
  }
  assert.deepEqual(l.check("192.0.2.7", at(20)), { ok: true });
  assert.equal(l.check("10.0.0.1", at(20)).ok, false);
});

Deno.test("createLoginLimiter() forgets an address after a sign-in, or a day without failures", () => {
  const l = createLoginLimiter({ freeFailures: 1 });
  l.fail("a", at(0));
  l.fail("a", at(0));
  assert.equal(l.check("a", at(1)).ok, false);
  l.succeed("a");
  assert.deepEqual(l.check("a", at(1)), { ok: true });
  // Within the day the count goes on: one more failure waits again.
  for (let i = 0; i < 30; i++) l.fail("b", at(0));
  l.fail("b", at(24 * 3600_000 - 1));
  assert.equal(l.check("b", at(24 * 3600_000 - 1)).ok, false);
  // A whole day after the last failure, the count starts again: the first
  // wait (1 s), not the cap (15 min).
  for (let i = 0; i < 30; i++) l.fail("c", at(0));
  l.fail("c", at(24 * 3600_000));
  assert.deepEqual(l.check("c", at(24 * 3600_000)), {
    ok: false,
    retryAfterSec: 1,
  });
});

Deno.test("addressKey() counts IPv6 by its /64 and IPv4-mapped addresses as IPv4", () => {
  assert.equal(addressKey("203.0.113.9"), "203.0.113.9");
  assert.equal(addressKey("::ffff:203.0.113.9"), "203.0.113.9");
  assert.equal(
    addressKey("2001:db8:1:2::1"),
    addressKey("2001:db8:1:2:ffff::9"),
  );
  assert.notEqual(addressKey("2001:db8:1:2::1"), addressKey("2001:db8:1:3::1"));
  assert.equal(addressKey("2001:0db8:0001:0002:0:0:0:1"), "2001:db8:1:2::/64");
});

/** A sign-in POST from `ip` (the socket address Deno.serve passes). */
async function post(
  web: TestWeb,
  ip: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  const env = { remoteAddr: { hostname: ip } };
  const page = await web.app.request("/login", { headers }, env);
  const cookie = page.headers.get("set-cookie")?.match(/login_csrf=([^;]+)/)
    ?.[1];
  const token = (await page.text()).match(/name="_csrf" value="([^"]+)"/)?.[1];
  assert.ok(cookie && token);
  return await web.app.request("/login", {
    method: "POST",
    headers: { ...headers, cookie: `login_csrf=${cookie}` },
    body: new URLSearchParams({ password, _csrf: token }),
  }, env);
}

async function failTimes(
  web: TestWeb,
  ip: string,
  n: number,
  headers: Record<string, string> = {},
) {
  for (let i = 0; i < n; i++) {
    const r = await post(web, ip, `wrong ${i}`, headers);
    await r.body?.cancel();
  }
}

Deno.test("sign-in: eleven addresses failing five times each do not keep the right password out from a twelfth", async () => {
  const web = await openTestWeb({ emulator: false });
  try {
    for (let i = 1; i <= 11; i++) await failTimes(web, `127.0.0.${i}`, 5);
    const res = await post(web, "127.0.0.12", PASSWORD);
    assert.equal(res.status, 303);
    await res.body?.cancel();
  } finally {
    await web.close();
  }
});

Deno.test("sign-in: an address past its free failures waits, longer each time, and then may try again", async () => {
  const web = await openTestWeb({ emulator: false });
  try {
    await failTimes(web, "198.51.100.1", 5);
    const waited = await post(web, "198.51.100.1", PASSWORD);
    assert.equal(waited.status, 429);
    assert.equal(waited.headers.get("retry-after"), "1");
    assert.match(await waited.text(), /Try again in 1 second/);
    web.clock.advance(1000);
    await failTimes(web, "198.51.100.1", 1);
    const again = await post(web, "198.51.100.1", PASSWORD);
    assert.equal(again.headers.get("retry-after"), "2");
    await again.body?.cancel();
    web.clock.advance(2000);
    const ok = await post(web, "198.51.100.1", PASSWORD);
    assert.equal(ok.status, 303);
    await ok.body?.cancel();
  } finally {
    await web.close();
  }
});

Deno.test("sign-in: the one-time link works from an address in back-off", async () => {
  const web = await openTestWeb({ emulator: false });
  try {
    await failTimes(web, "198.51.100.2", 20);
    const token = await createOneTimeLogin(
      web.store.oauthStates,
      web.clock.now(),
    );
    const res = await web.app.request(`/login/once?token=${token}`, {}, {
      remoteAddr: { hostname: "198.51.100.2" },
    });
    assert.equal(res.status, 303);
    await res.body?.cancel();
  } finally {
    await web.close();
  }
});

Deno.test("sign-in: TRUST_PROXY keys the back-off on the last X-Forwarded-For entry; off, on the socket address", async (t) => {
  const proxy = "10.0.0.2";
  await t.step("TRUST_PROXY=true", async () => {
    const web = await openTestWeb({
      emulator: false,
      env: { TRUST_PROXY: "true" },
    });
    try {
      const xff = (client: string) => ({
        "x-forwarded-for": `6.6.6.6, ${client}`,
      });
      await failTimes(web, proxy, 6, xff("203.0.113.9"));
      const blocked = await post(web, proxy, PASSWORD, xff("203.0.113.9"));
      assert.equal(blocked.status, 429);
      await blocked.body?.cancel();
      // Same forged first entry, another real client: not blocked.
      const other = await post(web, proxy, PASSWORD, xff("203.0.113.10"));
      assert.equal(other.status, 303);
      await other.body?.cancel();
    } finally {
      await web.close();
    }
  });
  await t.step("off (the default): X-Forwarded-For is ignored", async () => {
    const web = await openTestWeb({ emulator: false });
    try {
      await failTimes(web, proxy, 6, { "x-forwarded-for": "203.0.113.9" });
      const res = await post(web, proxy, PASSWORD, {
        "x-forwarded-for": "203.0.113.10",
      });
      assert.equal(res.status, 429);
      await res.body?.cancel();
    } finally {
      await web.close();
    }
  });
});
