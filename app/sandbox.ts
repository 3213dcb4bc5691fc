/**
 * The sandbox: with no Google client configured, the agent serves a local
 * Gmail (the emulator) in the same process and connects one mailbox to it,
 * so the whole flow runs with zero setup through the same Gmail code.
 * @module
 */
import { startEmulator } from "../emulator/mod.ts";
import type { Logger } from "./ops/logger.ts";
import { connectAccount } from "../pipeline/connect_account.ts";
import type { Clock, MailboxFactory, Store } from "../pipeline/ports.ts";

/** The address of the sandbox mailbox. */
export const SANDBOX_EMAIL = "support@sandbox.test";

/** A running sandbox. */
export interface Sandbox {
  /** The emulator's origin (used as the Google base URL for the sandbox). */
  baseUrl: string;
  email: string;
  clientId: string;
  clientSecret: string;
  /** Stores (or refreshes) the sandbox account and seeds its cursor. */
  connect(mailboxes: MailboxFactory): Promise<void>;
  close(): Promise<void>;
}

async function control<T>(
  baseUrl: string,
  path: string,
  body: unknown,
): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`sandbox: ${path} answered ${res.status}`);
  }
  return await res.json() as T;
}

/** Starts the in-process emulator on a free loopback port. */
export async function startSandbox(
  deps: { store: Store; logger: Logger; clock: Clock },
): Promise<Sandbox> {
  const emu = await startEmulator({ port: 0, now: () => deps.clock.now() });
  const baseUrl = emu.url;
  return {
    baseUrl,
    email: SANDBOX_EMAIL,
    clientId: "sandbox-client",
    clientSecret: "sandbox-secret",
    async connect(mailboxes) {
      const user = await control<{ refresh_token: string }>(
        baseUrl,
        "/__emu/users",
        {
          email: SANDBOX_EMAIL,
        },
      );
      // The emulator starts empty on every run: store its fresh token and
      // cursor so the account is active and polls from now on.
      const { cursor, cursorError } = await connectAccount({
        email: SANDBOX_EMAIL,
        sandbox: true,
        tokens: {
          accessToken: null,
          refreshToken: user.refresh_token,
          expiryDate: null,
        },
      }, {
        accounts: deps.store.accounts,
        cursors: deps.store.cursors,
        mailboxFor: (a) => mailboxes.mailboxFor(a),
      });
      if (cursor === "failed") throw cursorError;
      await control(baseUrl, "/__emu/messages", {
        to: SANDBOX_EMAIL,
        from: "Alice Example <alice@example.com>",
        subject: "How long does shipping take?",
        text:
          "Hi,\n\nI am thinking of ordering a jacket. How long does standard shipping take?\n\nThanks,\nAlice",
      });
      deps.logger.info("sandbox mailbox ready", {
        email: SANDBOX_EMAIL,
        url: baseUrl,
      });
    },
    close: () => emu.close(),
  };
}
