/**
 * Never lose an email across a reconnect: mail that arrives while an account
 * needs reconnecting is answered once the account is connected again.
 */
import assert from "node:assert/strict";
import { accountsAdd } from "../../app/cli/accounts_add.ts";
import { silentLogger } from "../../app/ops/logger.ts";
import { createGmailMailboxFactory } from "../../pipeline/gmail/mailbox_factory.ts";
import { openGmailAgent } from "../helpers/gmail_agent.ts";

const SHOP = "support@shop.example";

Deno.test("mail that arrives while an account needs reconnecting is answered after accounts add", async () => {
  const agent = await openGmailAgent();
  try {
    const { emu, store } = agent;
    await emu.deliver(SHOP, {
      from: "Jane Doe <jane@example.com>",
      subject: "Payment methods",
      text: "Hi, which payment methods do you accept?",
    });
    const first = await agent.worker().pollOnce();
    assert.equal(first.replied, 1);

    await emu.revoke(SHOP);
    const refused = await agent.worker().pollOnce();
    assert.equal(refused.replied, 0);
    const broken = await store.accounts.get(agent.account.id);
    assert.equal(broken?.status, "needs_reconnect");

    await emu.deliver(SHOP, {
      from: "Bob Example <bob@example.org>",
      subject: "Shipping time",
      text: "Hello, how long does standard shipping take?",
    });
    const { refresh_token } = await emu.addUser(SHOP);
    const mailboxes = createGmailMailboxFactory({
      store,
      clientId: "test-client",
      clientSecret: "test-secret",
      baseUrl: emu.url,
      clock: agent.clock,
      logger: silentLogger,
    });
    const cursorBefore = await store.cursors.get(agent.account.id);
    await accountsAdd({ email: SHOP, refreshToken: refresh_token }, {
      store,
      config: {
        GOOGLE_CLIENT_ID: "test-client",
        GOOGLE_CLIENT_SECRET: "test-secret",
        GOOGLE_BASE_URL: emu.url,
      },
      clock: agent.clock,
      mailboxes,
    });
    assert.equal(
      await store.cursors.get(agent.account.id),
      cursorBefore,
      "the cursor is kept",
    );

    const after = await agent.worker().pollOnce();
    assert.equal(
      after.replied,
      1,
      "the email that arrived meanwhile is answered",
    );
    const sent = await emu.sent(SHOP);
    assert.equal(sent.length, 2);
    assert.ok(sent.some((m) => m.rfc822.includes("bob@example.org")));
  } finally {
    await agent.close();
  }
});
