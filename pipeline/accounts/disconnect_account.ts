/**
 * Disconnecting a mailbox: its refresh token is revoked at Google, then the
 * account, its tokens and its cursor are deleted, whether or not Google
 * confirmed the revoke (the person is then told to remove the access).
 * @module
 */
import type { Logger } from "../log.ts";
import type { AccountStore, AuditStore, Clock, GoogleOAuth } from "../ports.ts";
import type { Account } from "../types.ts";

/** The ports `disconnectAccount` needs. */
export interface DisconnectAccountDeps {
  accounts: Pick<AccountStore, "getTokens" | "delete">;
  audit: Pick<AuditStore, "add">;
  oauth: Pick<GoogleOAuth, "revoke">;
  clock: Clock;
  logger: Logger;
}

/**
 * Revokes the account's token, deletes the account and audits it as
 * `actor`; `revoked` is true when Google confirmed the revoke.
 */
export async function disconnectAccount(
  input: { account: Account; actor: string },
  deps: DisconnectAccountDeps,
): Promise<{ revoked: boolean }> {
  const { account } = input;
  const tokens = await deps.accounts.getTokens(account.id).catch(() => null);
  let revoked = false;
  if (tokens) {
    revoked = await deps.oauth.revoke(account, tokens.refreshToken);
    if (!revoked) {
      deps.logger.warn("token revoke not confirmed", { accountId: account.id });
    }
  }
  await deps.accounts.delete(account.id);
  await deps.audit.add({
    at: deps.clock.now(),
    actor: input.actor,
    action: "account_disconnected",
    target: account.id,
    detail: { revoked },
  });
  deps.logger.info("account disconnected", { accountId: account.id, revoked });
  return { revoked };
}
