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
import {
  countCall,
  type EmulatorState,
  ensureUser,
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

/** Quota units per Gmail method (Google's published table). */
export const QUOTA_UNITS: Record<string, number> = {
  "users.getProfile": 1,
  "messages.list": 5,
  "messages.get": 5,
  "messages.send": 100,
  "messages.modify": 5,
  "messages.attachments.get": 5,
  "drafts.create": 10,
  "labels.list": 1,
  "labels.get": 1,
  "labels.create": 5,
  "history.list": 2,
  "threads.get": 10,
};

/** What a method handler receives once the call is authorised. */
export interface MethodContext {
  c: Context;
  mb: Mailbox;
  grant: Grant;
}

/**
 * Wraps a handler as Gmail method `name`. Every call is counted (with its
 * units) before anything else, so failed calls count too.
 */
export function gmailMethod(
  state: EmulatorState,
  name: string,
  scopes: readonly string[],
  handler: (m: MethodContext) => Response | Promise<Response>,
): (c: Context) => Promise<Response> {
  return async (c) => {
    countCall(state, name, QUOTA_UNITS[name] ?? 1);
    const fault = takeFault(state, c.req.path);
    if (fault) throw faultError(fault.status, fault.reason ?? undefined);
    const token = bearerToken(c.req.header("authorization"));
    const auth = token ? verifyAccessToken(state, token) : undefined;
    if (!auth) throw authError();
    const userId = c.req.param("userId") ?? "me";
    if (userId !== "me" && userId.toLowerCase() !== auth.grant.email) {
      throw delegationDenied(userId);
    }
    if (!hasAnyScope(auth.grant.scope, scopes)) throw insufficientScope();
    const mb = ensureUser(state, auth.grant.email);
    return await handler({ c, mb, grant: auth.grant });
  };
}
