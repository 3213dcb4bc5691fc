/**
 * Connecting a mailbox: the one use case behind the OAuth callback,
 * `accounts add` and the sandbox. It stores the account with its tokens
 * (encrypted by the store), makes it active again when it needed
 * reconnecting, and seeds its sync cursor. A reconnect keeps the cursor, so
 * mail that arrived meanwhile is still read.
 * @module
 */
import type { AccountStore, CursorStore, Mailbox } from "../ports.ts";
import { seedCursor } from "../worker/sync.ts";
import type { Account, Tokens } from "../types.ts";

/** A mailbox whose tokens an OAuth flow has just produced. */
export interface ConnectAccountInput {
  /** The mailbox address, lower case (as userinfo named it). */
  email: string;
  tokens: Tokens;
  /**
   * The in-process sandbox mailbox. Its emulator starts empty on every run,
   * so its cursor is set anew instead of kept; and its start at boot is not
   * an admin's connect, so a paused sandbox stays paused.
   */
  sandbox?: boolean;
}

/** The ports `connectAccount` needs. */
export interface ConnectAccountDeps {
  accounts: Pick<AccountStore, "upsert" | "setStatus">;
  cursors: CursorStore;
  /** The authorised mailbox of an account (only `getProfile` is called). */
  mailboxFor(
    account: Account,
  ): Pick<Mailbox, "getProfile"> | Promise<Pick<Mailbox, "getProfile">>;
}

/** What `connectAccount` did. */
export interface ConnectedAccount {
  /** The stored account, with the status it has now. */
  account: Account;
  /**
   * `seeded`: the cursor now starts at the mailbox's current history;
   * `kept`: a reconnect kept the cursor it had; `failed`: Gmail could not
   * be reached to seed it (`cursorError` says why), and the next poll
   * starts with a first sync.
   */
  cursor: "seeded" | "kept" | "failed";
  cursorError?: unknown;
}

/**
 * Stores the account and its tokens, reactivates it and seeds its cursor.
 * A failure to store throws; a failure to reach Gmail for the cursor is
 * returned as `cursor: "failed"`, as the account is stored by then.
 */
export async function connectAccount(
  input: ConnectAccountInput,
  deps: ConnectAccountDeps,
): Promise<ConnectedAccount> {
  let account = await deps.accounts.upsert({
    email: input.email,
    ...(input.sandbox ? { sandbox: true } : {}),
    tokens: input.tokens,
  });
  const reactivate = input.sandbox
    ? account.status === "needs_reconnect"
    : account.status !== "active";
  if (reactivate) {
    await deps.accounts.setStatus(account.id, "active", null);
    account = { ...account, status: "active", statusReason: null };
  }
  try {
    const mailbox = await deps.mailboxFor(account);
    if (input.sandbox) {
      const profile = await mailbox.getProfile();
      await deps.cursors.set(account.id, profile.historyId);
      return { account, cursor: "seeded" };
    }
    return {
      account,
      cursor: await seedCursor(account, mailbox, deps.cursors),
    };
  } catch (err) {
    return { account, cursor: "failed", cursorError: err };
  }
}
