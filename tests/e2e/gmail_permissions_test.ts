/**
 * Partial consent and wrong credentials at run time: a token without the
 * send permission (Gmail's 403 insufficientPermissions) and client
 * credentials Google refuses (invalid_client) set the account to
 * needs_reconnect with the reason, instead of failing every minute.
 */
import assert from "node:assert/strict";
import { openGmailAgent } from "../helpers/gmail_agent.ts";

const SHOP = "support@shop.example";

Deno.test("Gmail permissions: a token without the send scope sets the account to needs_reconnect with the reason", async () => {
  const agent = await openGmailAgent();
  try {
    const { emu, store, account } = agent;
    const { refresh_token } = await emu.addUser(SHOP, [
      "https://www.googleapis.com/auth/gmail.readonly",
    ]);
    await store.accounts.setTokens(account.id, {
      accessToken: null,
      refreshToken: refresh_token,
      expiryDate: null,
    });
    const w = agent.worker();
    await w.pollOnce();
    await emu.deliver(SHOP, {
      from: "x@example.net",
      subject: "Tracking",
      text: "Hi, how do I track my order?",
    });
    const s = await w.pollOnce();
    assert.equal(s.replied, 0);
    const a = await store.accounts.get(account.id);
    assert.equal(a?.status, "needs_reconnect");
    assert.match(a?.statusReason ?? "", /insufficientPermissions.*reconnect/);
    assert.deepEqual(await store.review.list({}), []);
    const before = (await emu.calls()).units;
    await w.pollOnce();
    assert.equal(
      (await emu.calls()).units,
      before,
      "no call until reconnected",
    );
  } finally {
    await agent.close();
  }
});

Deno.test("Gmail permissions: client credentials Google refuses (invalid_client) set the account to needs_reconnect with the reason", async () => {
  const agent = await openGmailAgent();
  try {
    const { emu, store, account } = agent;
    await emu.oauth({ client_secret: "the-real-secret" });
    const w = agent.worker();
    await w.pollOnce();
    const a = await store.accounts.get(account.id);
    assert.equal(a?.status, "needs_reconnect");
    assert.match(a?.statusReason ?? "", /invalid_client.*GOOGLE_CLIENT_SECRET/);
  } finally {
    await agent.close();
  }
});
