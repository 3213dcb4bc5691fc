/**
 * CLI `accounts add --email E --refresh-token T`: stores a mailbox from an
 * existing refresh token (headless servers, migrations). The token is first
 * validated against the token endpoint, and userinfo must name the same
 * address; then `connectAccount` stores it (tokens encrypted by the store)
 * and seeds its sync cursor.
 * @module
 */
import { z } from "zod";
import type { Config } from "../config.ts";
import { AppError } from "../../pipeline/errors.ts";
import { createOAuthClient } from "../../pipeline/gmail/oauth_client.ts";
import {
  googleRefresher,
  type Refresher,
} from "../../pipeline/gmail/token_source.ts";
import { fetchUserEmail } from "../../pipeline/gmail/userinfo.ts";
import {
  type Clock,
  type MailboxFactory,
  ReconnectNeededError,
  type Store,
} from "../../pipeline/ports.ts";
import { type AccountJson, accountToJson } from "./accounts_commands.ts";
import { connectAccount } from "../../pipeline/accounts/connect_account.ts";

/** Input of `accountsAdd`. */
export interface AccountsAddInput {
  email: string;
  refreshToken: string;
}

/** What `accountsAdd` needs. */
export interface AccountsAddDeps {
  store: Store;
  config: Pick<
    Config,
    "GOOGLE_CLIENT_ID" | "GOOGLE_CLIENT_SECRET" | "GOOGLE_BASE_URL"
  >;
  clock: Clock;
  mailboxes: MailboxFactory;
  /** Replaces the token endpoint call (tests). */
  refresher?: Refresher;
}

const Input = z.object({
  email: z.string().trim().toLowerCase().pipe(
    z.email({ message: "--email must be an email address" }),
  ),
  refreshToken: z.string().trim().min(1, "--refresh-token must not be empty"),
});

/** Validates and stores the account; returns it without secrets. */
export async function accountsAdd(
  input: AccountsAddInput,
  deps: AccountsAddDeps,
): Promise<AccountJson> {
  const parsed = Input.safeParse(input);
  if (!parsed.success) {
    throw new AppError(
      "invalid_input",
      parsed.error.issues.map((i) => i.message).join("; "),
    );
  }
  const { email, refreshToken } = parsed.data;
  const { GOOGLE_CLIENT_ID: id, GOOGLE_CLIENT_SECRET: secret } = deps.config;
  if (!deps.refresher && (!id || !secret)) {
    throw new AppError(
      "invalid_input",
      "Cannot add an account as GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET are not set",
    );
  }
  const refresher = deps.refresher ?? googleRefresher(() =>
    createOAuthClient({
      clientId: id ?? "",
      clientSecret: secret ?? "",
      baseUrl: deps.config.GOOGLE_BASE_URL,
    })
  );

  let token;
  try {
    token = await refresher(refreshToken);
  } catch (err) {
    if (err instanceof ReconnectNeededError) {
      throw new AppError(
        "invalid_input",
        "Cannot add the account as Google refused the refresh token (invalid_grant): get a new one",
        { cause: err },
      );
    }
    throw new AppError(
      "unavailable",
      "Cannot add the account as the token endpoint could not be reached",
      { cause: err },
    );
  }
  let owner: string;
  try {
    owner = await fetchUserEmail(
      token.accessToken,
      deps.config.GOOGLE_BASE_URL,
    );
  } catch (err) {
    throw new AppError(
      "unavailable",
      `Cannot add the account as userinfo failed: ${(err as Error).message}`,
      { cause: err },
    );
  }
  if (owner !== email) {
    throw new AppError(
      "invalid_input",
      `Cannot add ${email} as the refresh token belongs to ${owner}`,
    );
  }

  const now = deps.clock.now().getTime();
  const { account, cursor, cursorError } = await connectAccount({
    email,
    tokens: {
      accessToken: token.accessToken,
      refreshToken: token.refreshToken ?? refreshToken,
      expiryDate: token.expiresInMs === null ? null : now + token.expiresInMs,
      ...(token.scope ? { scope: token.scope } : {}),
    },
  }, {
    accounts: deps.store.accounts,
    cursors: deps.store.cursors,
    mailboxFor: (a) => deps.mailboxes.mailboxFor(a),
  });
  if (cursor === "failed") {
    throw new AppError(
      "unavailable",
      `The account ${email} was stored but Gmail could not be reached to seed its cursor; the next poll will retry`,
      { cause: cursorError },
    );
  }
  const stored = await deps.store.accounts.get(account.id);
  return accountToJson(stored ?? account);
}
