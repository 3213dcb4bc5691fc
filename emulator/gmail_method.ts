/**
 * The wrapper every Gmail API method goes through: counts the call and its
 * quota units, applies an injected fault, checks the bearer token, the
 * `userId` and the token's scopes, then runs the handler.
 * @module
 */
import type { Context } from "hono";
import {
  authError,
  delegationDenied,
  faultError,
  insufficientScope,
} from "./errors.ts";
import type { Mailbox } from "./mailbox.ts";
import { bearerToken, hasAnyScope, verifyAccessToken } from "./oauth_state.ts";
import { chargeQuota, COST_TABLES, newQuotaUsage, unitsOf } from "./quota.ts";
import {
  countCall,
  type EmulatorState,
  ensureUser,
  faultRetry,
  type Grant,
  takeFault,
} from "./state.ts";

const G = "https://www.googleapis.com/auth/";
const MAIL = "https://mail.google.com/";

/** Scope sets accepted per kind of method (any one is enough). */
export const SCOPES = {
  read: [MAIL, `${G}gmail.modify`, `${G}gmail.readonly`, `${G}gmail.metadata`],
  send: [MAIL, `${G}gmail.modify`, `${G}gmail.compose`, `${G}gmail.send`],
  modify: [MAIL, `${G}gmail.modify`],
  compose: [MAIL, `${G}gmail.modify`, `${G}gmail.compose`],
  labels: [MAIL, `${G}gmail.modify`, `${G}gmail.labels`],
  labelsRead: [
    MAIL,
    `${G}gmail.modify`,
    `${G}gmail.readonly`,
    `${G}gmail.metadata`,
    `${G}gmail.labels`,
  ],
} as const;

/** Quota units per Gmail method under the legacy table (the default). */
export const QUOTA_UNITS: Readonly<Record<string, number>> = COST_TABLES.legacy;

/** What a method handler receives once the call is authorised. */
export interface MethodContext {
  c: Context;
  mb: Mailbox;
  grant: Grant;
}

/**
 * Wraps a handler as Gmail method `name`. Every call is counted (with its
 * units under the selected cost table) before anything else, so failed
 * calls count too. Once authorised, the user's quota is charged; when a
 * limit is switched on and would be passed, Gmail's quota error answers.
 */
export function gmailMethod(
  state: EmulatorState,
  name: string,
  scopes: readonly string[],
  handler: (m: MethodContext) => Response | Promise<Response>,
): (c: Context) => Promise<Response> {
  return async (c) => {
    const units = unitsOf(state.quota.costTable, name);
    countCall(state, name, units);
    const fault = takeFault(state, c.req.path, c.req.method);
    if (fault) {
      throw faultError(
        fault.status,
        fault.reason ?? undefined,
        faultRetry(state, fault),
      );
    }
    const token = bearerToken(c.req.header("authorization"));
    const auth = token ? verifyAccessToken(state, token) : undefined;
    if (!auth) throw authError();
    const userId = c.req.param("userId") ?? "me";
    if (userId !== "me" && userId.toLowerCase() !== auth.grant.email) {
      throw delegationDenied(userId);
    }
    if (!hasAnyScope(auth.grant.scope, scopes)) throw insufficientScope();
    const mb = ensureUser(state, auth.grant.email);
    let usage = state.quotaUsage.get(mb.email);
    if (!usage) state.quotaUsage.set(mb.email, usage = newQuotaUsage());
    try {
      chargeQuota(state.quota, usage, units, state.now().getTime());
    } catch (err) {
      state.quotaRefusals += 1;
      throw err;
    }
    return await handler({ c, mb, grant: auth.grant });
  };
}
