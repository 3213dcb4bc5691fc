/** `accounts add` against the emulator's token and userinfo endpoints. */
import assert from "node:assert/strict";
import { accountsAdd } from "../../app/cli/accounts_add.ts";
import { silentLogger } from "../../app/ops/logger.ts";
import { AppError } from "../../pipeline/errors.ts";
import { createGmailMailboxFactory } from "../../pipeline/gmail/mailbox_factory.ts";
import { systemClock } from "../../pipeline/ports.ts";
import { startTestEmulator } from "../helpers/emulator.ts";
import { openKvTestStore } from "../helpers/stores.ts";

Deno.test("accountsAdd()", async (t) => {
  const emu = await startTestEmulator();
  const s = await openKvTestStore();
  try {
    const config = {
      GOOGLE_CLIENT_ID: "test-client",
      GOOGLE_CLIENT_SECRET: "test-secret",
      GOOGLE_BASE_URL: emu.url,
    };
    const mailboxes = createGmailMailboxFactory({
      store: s.store,
      clientId: "test-client",
      clientSecret: "test-secret",
      baseUrl: emu.url,
      clock: systemClock,
      logger: silentLogger,
    });
    const deps = { store: s.store, config, clock: systemClock, mailboxes };
    const isAppError = (code: string, re: RegExp) => (e: unknown) =>
      e instanceof AppError && e.code === code && re.test(e.message);

    await t.step(
      "stores a validated account without printing secrets and seeds its cursor",
      async () => {
        const { refresh_token } = await emu.addUser("shop@example.com");
        const out = await accountsAdd({
          email: " Shop@Example.com ",
          refreshToken: refresh_token,
        }, deps);
        assert.equal(out.email, "shop@example.com");
        assert.equal(out.status, "active");
        assert.ok(!JSON.stringify(out).includes(refresh_token));
        assert.deepEqual(Object.keys(out).sort(), [
          "created_at",
          "email",
          "id",
          "last_error",
          "last_sync_at",
          "reply_mode",
          "sandbox",
          "status",
          "status_reason",
        ]);
        const tokens = await s.store.accounts.getTokens(out.id);
        assert.equal(tokens?.refreshToken, refresh_token);
        assert.ok(tokens?.accessToken);
        assert.ok((tokens?.expiryDate ?? 0) > Date.now());
        assert.ok(await s.store.cursors.get(out.id));
      },
    );

    await t.step("refuses a token of another mailbox", async () => {
      const { refresh_token } = await emu.addUser("other@example.com");
      await assert.rejects(
        accountsAdd(
          { email: "shop2@example.com", refreshToken: refresh_token },
          deps,
        ),
        isAppError("invalid_input", /belongs to other@example\.com/),
      );
      assert.equal(
        await s.store.accounts.getByEmail("shop2@example.com"),
        null,
      );
    });

    await t.step("refuses a revoked token with invalid_grant", async () => {
      const { refresh_token } = await emu.addUser("gone@example.com");
      await emu.revoke("gone@example.com");
      await assert.rejects(
        accountsAdd(
          { email: "gone@example.com", refreshToken: refresh_token },
          deps,
        ),
        isAppError("invalid_input", /invalid_grant/),
      );
    });

    await t.step(
      "rejects bad input and a missing OAuth client in one line",
      async () => {
        await assert.rejects(
          accountsAdd({ email: "not-an-email", refreshToken: "x" }, deps),
          isAppError("invalid_input", /--email/),
        );
        await assert.rejects(
          accountsAdd({ email: "a@b.example", refreshToken: "x" }, {
            ...deps,
            config: {
              ...config,
              GOOGLE_CLIENT_ID: null,
              GOOGLE_CLIENT_SECRET: null,
            },
          }),
          isAppError("invalid_input", /GOOGLE_CLIENT_ID/),
        );
      },
    );
  } finally {
    await s.close();
    await emu.close();
  }
});
