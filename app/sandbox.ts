/**
 * The sandbox: with no Google client configured, the agent serves a local
 * Gmail (the emulator) in the same process and connects one mailbox to it,
 * so the whole flow runs with zero setup through the same Gmail code. Its
 * control routes (deliver mail, hand out refresh tokens) answer only this
 * process: a random secret, JSON bodies and the emulator's own Host.
 * @module
 */
import { CONTROL_SECRET_HEADER, startEmulator } from "../emulator/mod.ts";
import type { Logger } from "./ops/logger.ts";
import { connectAccount } from "../pipeline/accounts/connect_account.ts";
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
  /** Delivers a raw RFC 822 message into the sandbox inbox. */
  deliver(raw: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

async function control<T>(
  emu: { baseUrl: string; secret: string },
  path: string,
  body: unknown,
): Promise<T> {
  const res = await fetch(`${emu.baseUrl}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      [CONTROL_SECRET_HEADER]: emu.secret,
    },
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
  const secret = randomSecret();
  const emu = await startEmulator({
    port: 0,
    now: () => deps.clock.now(),
    controlSecret: secret,
  });
  const baseUrl = emu.url;
  const ctl = { baseUrl, secret };
  return {
    baseUrl,
    email: SANDBOX_EMAIL,
    clientId: "sandbox-client",
    clientSecret: "sandbox-secret",
    async connect(mailboxes) {
      const user = await control<{ refresh_token: string }>(
        ctl,
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
      // The welcome email, once per data folder: a restart starts an empty
      // emulator, and sending it again would answer the same person twice.
      const first = await deps.store.setup.claim(
        "sandbox_welcome",
        deps.clock.now(),
      );
      if (first) {
        await control(ctl, "/__emu/messages", {
          to: SANDBOX_EMAIL,
          from: "Alice Example <alice@example.com>",
          subject: "How long does shipping take?",
          text:
            "Hi,\n\nI am thinking of ordering a jacket. How long does standard shipping take?\n\nThanks,\nAlice",
        }).catch(async (err) => {
          await deps.store.setup.fail("sandbox_welcome");
          throw err;
        });
      }
      deps.logger.info("sandbox mailbox ready", {
        email: SANDBOX_EMAIL,
        url: baseUrl,
      });
    },
    async deliver(raw) {
      await control(ctl, "/__emu/messages", {
        to: SANDBOX_EMAIL,
        raw: base64url(raw),
      });
    },
    close: () => emu.close(),
  };
}

/** 32 random bytes as hex. */
function randomSecret(): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(32)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}

function base64url(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
