/**
 * Control routes under `/__emu/` for tests and the sandbox: users and
 * refresh tokens, faults, revocation, token expiry, call counters, OAuth
 * flags, provider settings (Message-ID rewriting), reset; plus the mail routes of control_mail_routes.ts.
 * @module
 */
import { Hono } from "hono";
import { z } from "zod";
import { body, ControlError, UserBody } from "./control_common.ts";
import { createControlMailRoutes } from "./control_mail_routes.ts";
import { createGrant, DEFAULT_SCOPE, revokeUser } from "./oauth_state.ts";
import { type EmulatorState, ensureUser, resetState } from "./state.ts";

const FaultBody = z.object({
  status: z.number().int().min(400).max(599),
  count: z.number().int().min(1).default(1),
  path: z.string().optional(),
  reason: z.string().optional(),
});
const OAuthFlags = z.object({
  deny: z.union([z.boolean(), z.number().int().min(0)]).optional(),
  omit_refresh_token: z.boolean().optional(),
});

const Settings = z.object({ rewrite_message_ids: z.boolean().optional() })
  .strict();

function settings(state: EmulatorState) {
  return { rewrite_message_ids: state.flags.rewriteMessageIds };
}

function oauthFlags(state: EmulatorState) {
  return {
    deny: state.flags.denyNext,
    omit_refresh_token: state.flags.omitRefreshToken,
    client_ids: [...state.clientIds],
  };
}

/** The `/__emu/*` routes. */
export function createControlRoutes(state: EmulatorState): Hono {
  const app = new Hono();
  app.onError((err, c) => {
    if (err instanceof ControlError) {
      return c.json({ error: err.message }, err.status);
    }
    throw err;
  });
  app.route("/", createControlMailRoutes(state));

  app.post("/users", async (c) => {
    const { email } = await body(c, UserBody);
    const mb = ensureUser(state, email);
    const grant = createGrant(state, {
      email: mb.email,
      clientId: null,
      scope: DEFAULT_SCOPE,
      withRefresh: true,
    });
    return c.json({ email: mb.email, refresh_token: grant.refreshToken });
  });

  app.post("/faults", async (c) => {
    const f = await body(c, FaultBody);
    state.faults.push({
      status: f.status,
      remaining: f.count,
      path: f.path ?? null,
      reason: f.reason ?? null,
    });
    return c.json({ queued: f.count });
  });
  app.delete("/faults", (c) => {
    state.faults = [];
    return c.json({});
  });

  app.post("/revoke", async (c) => {
    const { email } = await body(c, UserBody);
    return c.json({ revoked: revokeUser(state, email) });
  });
  app.get("/revocations", (c) =>
    c.json(state.revocations.map((r) => ({
      email: r.email,
      client_id: r.clientId,
      token_type: r.tokenType,
      at: r.at,
    }))));

  app.post("/tokens/expire", async (c) => {
    const { email } = await body(c, UserBody);
    let n = 0;
    for (const t of state.accessTokens.values()) {
      if (state.grants.get(t.grantId)?.email === email.toLowerCase()) {
        t.expiresAt = 0;
        n++;
      }
    }
    return c.json({ expired: n });
  });

  app.get(
    "/calls",
    (c) => c.json({ calls: { ...state.calls }, units: state.units }),
  );

  app.post("/oauth", async (c) => {
    const f = await body(c, OAuthFlags);
    if (f.deny !== undefined) {
      state.flags.denyNext = typeof f.deny === "number"
        ? f.deny
        : f.deny
        ? 1
        : 0;
    }
    if (f.omit_refresh_token !== undefined) {
      state.flags.omitRefreshToken = f.omit_refresh_token;
    }
    return c.json(oauthFlags(state));
  });
  app.get("/oauth", (c) => c.json(oauthFlags(state)));

  app.post("/settings", async (c) => {
    const f = await body(c, Settings);
    if (f.rewrite_message_ids !== undefined) {
      state.flags.rewriteMessageIds = f.rewrite_message_ids;
    }
    return c.json(settings(state));
  });
  app.get("/settings", (c) => c.json(settings(state)));

  app.post("/reset", (c) => {
    resetState(state);
    return c.json({});
  });
  return app;
}
