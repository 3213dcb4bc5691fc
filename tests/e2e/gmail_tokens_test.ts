/**
 * Token lifecycle against the emulator: refresh only when the stored expiry
 * says so, persist the refreshed token, recover from a 401 with one refresh.
 */
import assert from "node:assert/strict";
import { openGmailAgent } from "../helpers/gmail_agent.ts";

const SHOP = "support@shop.example";

Deno.test("Gmail tokens: refreshed on stored expiry, persisted, and after a 401", async (t) => {
  const agent = await openGmailAgent();
  try {
    const { emu, store, account } = agent;
    const w = agent.worker();

    await t.step(
      "the first poll refreshes (no access token yet) and stores the new token",
      async () => {
        await w.pollOnce();
        const tk = await store.accounts.getTokens(account.id);
        assert.ok(tk?.accessToken);
        assert.ok(tk?.expiryDate);
      },
    );

    const first = (await store.accounts.getTokens(account.id))!;
    await t.step(
      "a later poll reuses the stored token while it is valid",
      async () => {
        await w.pollOnce();
        await agent.worker().pollOnce();
        const again = await store.accounts.getTokens(account.id);
        assert.equal(again?.accessToken, first.accessToken);
      },
    );

    await t.step(
      "past the stored expiry (minus 60 s) the token is refreshed and persisted",
      async () => {
        agent.clock.advance(
          first.expiryDate! - agent.clock.now().getTime() - 30_000,
        );
        await agent.worker().pollOnce();
        const next = await store.accounts.getTokens(account.id);
        assert.notEqual(next?.accessToken, first.accessToken);
        assert.equal(next?.refreshToken, first.refreshToken);
        assert.ok(next!.expiryDate! > agent.clock.now().getTime());
      },
    );

    await t.step(
      "a token the server expired early is refreshed once on 401",
      async () => {
        const before = (await store.accounts.getTokens(account.id))!;
        await emu.expireAccessTokens(SHOP);
        await emu.deliver(SHOP, {
          from: "x@example.net",
          subject: "Refund",
          text: "Please refund my order.",
        });
        const s = await agent.worker().pollOnce();
        assert.equal(s.errors, 0);
        assert.equal(s.replied, 1);
        const after = await store.accounts.getTokens(account.id);
        assert.notEqual(after?.accessToken, before.accessToken);
      },
    );
  } finally {
    await agent.close();
  }
});
