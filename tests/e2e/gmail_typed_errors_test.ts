/**
 * The Gmail adapter turns Google's errors into the typed errors of the
 * ports, against the emulator over HTTP: callers act on the type and never
 * read an HTTP status or a Google reason.
 */
import assert from "node:assert/strict";
import { silentLogger } from "../../app/ops/logger.ts";
import { createGmailMailboxFactory } from "../../pipeline/gmail/mailbox_factory.ts";
import {
  DailyQuotaExhaustedError,
  HistoryExpiredError,
  InsufficientScopeError,
  isTransientMailError,
  LabelMissingError,
  MailError,
  MailUnavailableError,
  MessageGoneError,
  RateLimitedError,
  ReconnectNeededError,
} from "../../pipeline/ports.ts";
import { openGmailAgent } from "../helpers/gmail_agent.ts";

const SHOP = "support@shop.example";

Deno.test("Gmail adapter: Google's errors arrive as typed errors", async (t) => {
  const agent = await openGmailAgent();
  try {
    const { emu, store, account } = agent;
    const mailbox = createGmailMailboxFactory({
      store,
      clientId: "test-client",
      clientSecret: "test-secret",
      baseUrl: emu.url,
      clock: agent.clock,
      sleep: () => Promise.resolve(),
      maxAttempts: 1,
      logger: silentLogger,
    }).mailboxFor(account);
    const early = (await mailbox.getProfile()).historyId;
    const msg = await emu.deliver(SHOP, {
      from: "jane@example.com",
      subject: "Hello",
      text: "Hi there",
    });
    const labelId = await mailbox.ensureLabel("Agent/Processed");

    await t.step("a deleted message is MessageGoneError", async () => {
      await assert.rejects(
        mailbox.getRaw("ffffffffffff0000"),
        MessageGoneError,
      );
      await assert.rejects(
        mailbox.addLabels("ffffffffffff0000", [labelId]),
        MessageGoneError,
      );
    });

    await t.step("an unknown label id is LabelMissingError", async () => {
      await assert.rejects(
        mailbox.addLabels(msg.id, ["Label_does_not_exist"]),
        LabelMissingError,
      );
    });

    await t.step("an outdated history id is HistoryExpiredError", async () => {
      await emu.expireHistory(SHOP);
      await assert.rejects(mailbox.listHistory(early), HistoryExpiredError);
    });

    await t.step("rate limits are RateLimitedError, transient", async () => {
      for (
        const f of [{ status: 429 }, {
          status: 403,
          reason: "userRateLimitExceeded",
        }, { status: 403, reason: "rateLimitExceeded" }]
      ) {
        await emu.fault({ ...f, count: 1, path: "/messages/" });
        const err = await mailbox.getRaw(msg.id).catch((e) => e);
        assert.ok(err instanceof RateLimitedError, JSON.stringify(f));
        assert.equal(isTransientMailError(err), true);
      }
    });

    await t.step("the daily quota is DailyQuotaExhaustedError", async () => {
      await emu.fault({
        status: 403,
        reason: "dailyLimitExceeded",
        count: 1,
        path: "/messages/",
      });
      await assert.rejects(mailbox.getRaw(msg.id), DailyQuotaExhaustedError);
    });

    await t.step("a missing scope is InsufficientScopeError", async () => {
      await emu.fault({
        status: 403,
        reason: "insufficientPermissions",
        count: 1,
        path: "/messages/",
      });
      const err = await mailbox.getRaw(msg.id).catch((e) => e);
      assert.ok(err instanceof InsufficientScopeError);
      assert.equal(isTransientMailError(err), false);
    });

    await t.step("a 5xx is MailUnavailableError, transient", async () => {
      await emu.fault({ status: 503, count: 1, path: "/messages/" });
      const err = await mailbox.getRaw(msg.id).catch((e) => e);
      assert.ok(err instanceof MailUnavailableError);
      assert.equal(isTransientMailError(err), true);
    });

    await t.step(
      "no server listening (connection refused) is MailUnavailableError, transient",
      async () => {
        const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
        const { port } = listener.addr as Deno.NetAddr;
        listener.close();
        const offline = createGmailMailboxFactory({
          store,
          clientId: "test-client",
          clientSecret: "test-secret",
          baseUrl: `http://127.0.0.1:${port}`,
          clock: agent.clock,
          sleep: () => Promise.resolve(),
          maxAttempts: 1,
          logger: silentLogger,
        }).mailboxFor(account);
        const err = await offline.getRaw(msg.id).catch((e) => e);
        assert.ok(err instanceof MailUnavailableError, String(err));
        assert.equal(isTransientMailError(err), true);
      },
    );

    await t.step("a malformed request stays untyped", async () => {
      await emu.fault({ status: 400, count: 1, path: "/messages/" });
      const err = await mailbox.getRaw(msg.id).catch((e) => e);
      assert.ok(err instanceof Error);
      assert.ok(!(err instanceof MailError));
      assert.equal(isTransientMailError(err), false);
    });

    await t.step("a revoked grant is ReconnectNeededError", async () => {
      await emu.revoke(SHOP);
      await emu.expireAccessTokens(SHOP);
      await assert.rejects(mailbox.getRaw(msg.id), ReconnectNeededError);
    });
  } finally {
    await agent.close();
  }
});
