/**
 * Injected faults answer with Google's exact error bodies, and the official
 * client's retry behaviour against them is what it is against Gmail.
 */
import assert from "node:assert/strict";
import { gmail } from "@googleapis/gmail";
import { OAuth2Client } from "google-auth-library";
import { startTestEmulator } from "../helpers/emulator.ts";

const USER = "faults@shop.test";

const EXPECTED: {
  status: number;
  reason?: string;
  body: { message: string; reason: string; domain: string; status: string };
}[] = [
  {
    status: 400,
    body: {
      message: "Invalid argument",
      reason: "invalidArgument",
      domain: "global",
      status: "INVALID_ARGUMENT",
    },
  },
  {
    status: 400,
    reason: "failedPrecondition",
    body: {
      message: "Precondition check failed.",
      reason: "failedPrecondition",
      domain: "global",
      status: "FAILED_PRECONDITION",
    },
  },
  {
    status: 403,
    body: {
      message: "Rate Limit Exceeded",
      reason: "rateLimitExceeded",
      domain: "usageLimits",
      status: "PERMISSION_DENIED",
    },
  },
  {
    status: 403,
    reason: "userRateLimitExceeded",
    body: {
      message: "User Rate Limit Exceeded",
      reason: "userRateLimitExceeded",
      domain: "usageLimits",
      status: "PERMISSION_DENIED",
    },
  },
  {
    status: 404,
    body: {
      message: "Requested entity was not found.",
      reason: "notFound",
      domain: "global",
      status: "NOT_FOUND",
    },
  },
  {
    status: 429,
    body: {
      message: "Too many concurrent requests for user",
      reason: "rateLimitExceeded",
      domain: "usageLimits",
      status: "RESOURCE_EXHAUSTED",
    },
  },
  {
    status: 500,
    body: {
      message: "Backend Error",
      reason: "backendError",
      domain: "global",
      status: "INTERNAL",
    },
  },
  {
    status: 503,
    body: {
      message: "The service is currently unavailable.",
      reason: "backendError",
      domain: "global",
      status: "UNAVAILABLE",
    },
  },
];

Deno.test("gmail emulator faults answer Google's error bodies", async (t) => {
  const emu = await startTestEmulator();
  try {
    const token = await emu.accessToken(USER);
    const profile = () =>
      fetch(`${emu.url}/gmail/v1/users/me/profile`, {
        headers: { authorization: `Bearer ${token}` },
      });

    for (const c of EXPECTED) {
      await t.step(`${c.status} ${c.body.reason}`, async () => {
        await emu.fault({
          status: c.status,
          path: "/profile",
          ...(c.reason ? { reason: c.reason } : {}),
        });
        const res = await profile();
        assert.equal(res.status, c.status);
        assert.match(
          res.headers.get("content-type") ?? "",
          /application\/json/,
        );
        assert.deepEqual(await res.json(), {
          error: {
            code: c.status,
            message: c.body.message,
            errors: [{
              message: c.body.message,
              domain: c.body.domain,
              reason: c.body.reason,
            }],
            status: c.body.status,
          },
        });
        const ok = await profile();
        assert.equal(ok.status, 200);
        await ok.body?.cancel();
      });
    }

    await t.step("401 names the Authorization header like Google", async () => {
      await emu.fault({ status: 401, path: "/profile" });
      const res = await profile();
      const body = await res.json();
      assert.equal(res.status, 401);
      assert.deepEqual(body.error.errors, [{
        message: "Invalid Credentials",
        domain: "global",
        reason: "authError",
        location: "Authorization",
        locationType: "header",
      }]);
      assert.equal(body.error.status, "UNAUTHENTICATED");
    });

    await t.step("count and path select which calls fail", async () => {
      await emu.fault({ status: 500, count: 2, path: "/messages" });
      const list = () =>
        fetch(`${emu.url}/gmail/v1/users/me/messages`, {
          headers: { authorization: `Bearer ${token}` },
        });
      const p = await profile();
      assert.equal(p.status, 200);
      await p.body?.cancel();
      for (const expected of [500, 500, 200]) {
        const r = await list();
        assert.equal(r.status, expected);
        await r.body?.cancel();
      }
    });

    await t.step("faults apply to the token endpoint too", async () => {
      await emu.fault({ status: 503, path: "/token" });
      await assert.rejects(emu.accessToken(USER), /503/);
      assert.ok(await emu.accessToken(USER));
    });
  } finally {
    await emu.close();
  }
});

Deno.test("the official client retries GET 429/5xx but not POSTs or 403 userRateLimitExceeded", async (t) => {
  const emu = await startTestEmulator();
  try {
    const { refresh_token } = await emu.addUser(USER);
    const auth = new OAuth2Client({
      clientId: "c",
      clientSecret: "s",
      endpoints: { oauth2TokenUrl: `${emu.url}/token` },
    });
    auth.setCredentials({ refresh_token });
    const api = gmail({ version: "v1", auth, rootUrl: emu.url + "/" });
    // gaxios backs off (100 ms, then more) between retries: real time, no sleep in the test itself.
    await t.step("a GET with one 503 succeeds on the retry", async () => {
      await emu.fault({ status: 503, path: "/messages" });
      const { data } = await api.users.messages.list({ userId: "me" });
      assert.equal(data.resultSizeEstimate, 0);
      assert.equal((await emu.calls()).calls["messages.list"], 2);
    });

    await t.step(
      "a GET with 403 userRateLimitExceeded is not retried",
      async () => {
        await emu.fault({
          status: 403,
          reason: "userRateLimitExceeded",
          path: "/profile",
        });
        await assert.rejects(
          api.users.getProfile({ userId: "me" }),
          (e: { status?: number }) => e.status === 403,
        );
        assert.equal((await emu.calls()).calls["users.getProfile"], 1);
      },
    );

    await t.step(
      "a POST send with 429 is not retried and sends nothing",
      async () => {
        await emu.fault({ status: 429, path: "/messages/send" });
        const raw = btoa("To: a@b.test\r\nSubject: x\r\n\r\nhi\r\n").replaceAll(
          "+",
          "-",
        ).replaceAll("/", "_");
        await assert.rejects(
          api.users.messages.send({ userId: "me", requestBody: { raw } }),
          (e: { status?: number }) => e.status === 429,
        );
        assert.equal((await emu.calls()).calls["messages.send"], 1);
        assert.deepEqual(await emu.sent(USER), []);
      },
    );

    await t.step("failed calls count their quota units", async () => {
      const { units } = await emu.calls();
      // 2 × messages.list (5) + 1 × getProfile (1) + 1 × send (100)
      assert.equal(units, 111);
    });
  } finally {
    await emu.close();
  }
});
