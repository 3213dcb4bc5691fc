/**
 * The sandbox's emulator takes control calls only from the app: without
 * the secret, with a non-JSON body, or under another Host name, a request
 * to `/__emu/*` is refused, while the app itself still connects the
 * mailbox and delivers mail. The standalone test emulator stays open.
 */
import assert from "node:assert/strict";
import { CONTROL_SECRET_HEADER } from "../../emulator/mod.ts";
import { startTestEmulator } from "../helpers/emulator.ts";
import { openTestWeb } from "../helpers/web_app.ts";

const SANDBOX = "support@sandbox.test";

Deno.test("sandbox emulator refuses control calls without the app's secret, as text/plain, or under another Host", async (t) => {
  const web = await openTestWeb({ emulator: false, env: { SANDBOX: "on" } });
  try {
    const sandbox = web.agent.sandbox;
    assert.ok(sandbox, "the sandbox runs");
    const base = sandbox.baseUrl;
    const post = (path: string, init: RequestInit) =>
      fetch(`${base}${path}`, { method: "POST", ...init });

    await t.step(
      "no secret: no refresh token, no delivery, no reading",
      async () => {
        const users = await post("/__emu/users", {
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: SANDBOX }),
        });
        assert.equal(users.status, 403);
        assert.doesNotMatch(await users.text(), /refresh_token/);
        const deliver = await post("/__emu/messages", {
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            to: SANDBOX,
            from: "x@evil.test",
            subject: "s",
            text: "t",
          }),
        });
        assert.equal(deliver.status, 403);
        await deliver.body?.cancel();
        const sent = await fetch(`${base}/__emu/sent?user=${SANDBOX}`);
        assert.equal(sent.status, 403);
        await sent.body?.cancel();
        const encoded = await post("/%5F%5Femu/users", {
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: SANDBOX }),
        });
        assert.notEqual(encoded.status, 200);
        assert.doesNotMatch(await encoded.text(), /refresh_token/);
      },
    );

    await t.step("a wrong secret is refused", async () => {
      const res = await post("/__emu/users", {
        headers: {
          "content-type": "application/json",
          [CONTROL_SECRET_HEADER]: "0".repeat(64),
        },
        body: JSON.stringify({ email: SANDBOX }),
      });
      assert.equal(res.status, 403);
      await res.body?.cancel();
    });

    await t.step("a cross-site text/plain POST is refused", async () => {
      // What a web page can send without a CORS preflight.
      const res = await post("/__emu/messages", {
        headers: { "content-type": "text/plain" },
        body: JSON.stringify({ to: SANDBOX, raw: "eA" }),
      });
      assert.ok([403, 415].includes(res.status), `status ${res.status}`);
      await res.body?.cancel();
    });

    await t.step(
      "the Gmail API itself still answers with a token only",
      async () => {
        const res = await fetch(`${base}/gmail/v1/users/me/profile`);
        assert.equal(res.status, 401);
        await res.body?.cancel();
      },
    );

    await t.step("the app delivers into the sandbox and polls it", async () => {
      const raw = new TextEncoder().encode(
        [
          "From: Bob <bob@example.com>",
          `To: ${SANDBOX}`,
          "Subject: Where is my parcel?",
          "Message-ID: <guard-1@example.com>",
          "",
          "How long does standard shipping take?",
        ].join("\r\n"),
      );
      await sandbox.deliver(raw);
      const summary = await web.agent.pollOnce();
      // The welcome email and ours.
      assert.equal(summary.fetched, 2);
    });
  } finally {
    await web.close();
  }
});

Deno.test("the standalone test emulator's control routes stay open", async () => {
  const emu = await startTestEmulator();
  try {
    const user = await emu.addUser("open@shop.test");
    assert.ok(user.refresh_token);
  } finally {
    await emu.close();
  }
});
