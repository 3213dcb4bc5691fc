/**
 * CLI `accounts list`, and the printed form of an account (no secrets) that
 * `accounts add` (`accounts_add.ts`) prints too.
 * @module
 */
import type { Store } from "../../pipeline/ports.ts";
import type { Account } from "../../pipeline/types.ts";

/** An account as printed: no secrets, dates as ISO strings. */
export interface AccountJson {
  id: string;
  email: string;
  status: string;
  status_reason: string | null;
  reply_mode: string | null;
  sandbox: boolean;
  created_at: string;
  last_sync_at: string | null;
  last_error: string | null;
}

/** The printed form of an account (never tokens). */
export function accountToJson(a: Account): AccountJson {
  return {
    id: a.id,
    email: a.email,
    status: a.status,
    status_reason: a.statusReason,
    reply_mode: a.replyMode,
    sandbox: a.sandbox,
    created_at: a.createdAt.toISOString(),
    last_sync_at: a.lastSyncAt?.toISOString() ?? null,
    last_error: a.lastError,
  };
}

/** Every account, one object each (printed as JSON lines by main.ts). */
export async function accountsList(store: Store): Promise<AccountJson[]> {
  return (await store.accounts.list()).map(accountToJson);
}
