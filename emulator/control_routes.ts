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
import { COST_TABLES } from "./quota.ts";
import { type EmulatorState, ensureUser, resetState } from "./state.ts";

const FaultBody = z.object({
  status: z.number().int().min(400).max(599),
  count: z.number().int().min(1).default(1),
  path: z.string().optional(),
  method: z.string().toUpperCase().optional(),
  reason: z.string().optional(),
  /** Every matching call fails for this long (emulator clock); count is ignored. */
  for_ms: z.number().int().min(1).optional(),
  /** Google's retry time, this long after each failed call. */
  retry_after_ms: z.number().int().min(0).optional(),
});
const OAuthFlags = z.object({
  deny: z.union([z.boolean(), z.number().int().min(0)]).optional(),
  omit_refresh_token: z.boolean().optional(),
  drop_scopes: z.array(z.string()).optional(),
  client_secret: z.string().min(1).nullable().optional(),
});
const UsersBody = UserBody.extend({
  scopes: z.array(z.string().min(1)).min(1).optional(),
});

const Settings = z.object({
  rewrite_message_ids: z.boolean().optional(),
  history_label_ids: z.boolean().optional(),
  stale_history_status: z.union([z.literal(404), z.literal(400)]).optional(),
}).strict();

const QuotaBody = z.object({
  cost_table: z.enum(["legacy", "current"]).optional(),
  units_per_minute: z.number().int().min(1).nullable().optional(),
  daily_units: z.number().int().min(1).nullable().optional(),
  rate_limit_style: z.enum(["429", "403_user", "403_rate"]).optional(),
}).strict();

function settings(state: EmulatorState) {
  return {
    rewrite_message_ids: state.flags.rewriteMessageIds,
    history_label_ids: state.flags.historyLabelIds,
    stale_history_status: state.flags.staleHistoryStatus,
  };
}

function quotaView(state: EmulatorState) {
  const q = state.quota;
  return {
    cost_table: q.costTable,
    units_per_minute: q.unitsPerMinute,
    daily_units: q.dailyUnits,
    rate_limit_style: q.rateLimitStyle,
    costs: { ...COST_TABLES[q.costTable] },
    refused: state.quotaRefusals,
  };
}

function oauthFlags(state: EmulatorState) {
  return {
    deny: state.flags.denyNext,
    omit_refresh_token: state.flags.omitRefreshToken,
    drop_scopes: [...state.flags.dropScopes],
    client_secret_checked: state.flags.clientSecret !== null,
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
    const { email, scopes } = await body(c, UsersBody);
    const mb = ensureUser(state, email);
    const grant = createGrant(state, {
      email: mb.email,
      clientId: null,
      scope: scopes ? scopes.join(" ") : DEFAULT_SCOPE,
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
      method: f.method ?? null,
      reason: f.reason ?? null,
      until: f.for_ms === undefined ? null : state.now().getTime() + f.for_ms,
      retryAfterMs: f.retry_after_ms ?? null,
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
    if (f.drop_scopes !== undefined) state.flags.dropScopes = f.drop_scopes;
    if (f.client_secret !== undefined) {
      state.flags.clientSecret = f.client_secret;
    }
    return c.json(oauthFlags(state));
  });
  app.get("/oauth", (c) => c.json(oauthFlags(state)));

  app.post("/settings", async (c) => {
    const f = await body(c, Settings);
    if (f.rewrite_message_ids !== undefined) {
      state.flags.rewriteMessageIds = f.rewrite_message_ids;
    }
    if (f.history_label_ids !== undefined) {
      state.flags.historyLabelIds = f.history_label_ids;
    }
    if (f.stale_history_status !== undefined) {
      state.flags.staleHistoryStatus = f.stale_history_status;
    }
    return c.json(settings(state));
  });
  app.get("/settings", (c) => c.json(settings(state)));

  app.post("/quota", async (c) => {
    const f = await body(c, QuotaBody);
    const q = state.quota;
    if (f.cost_table !== undefined) q.costTable = f.cost_table;
    if (f.units_per_minute !== undefined) q.unitsPerMinute = f.units_per_minute;
    if (f.daily_units !== undefined) q.dailyUnits = f.daily_units;
    if (f.rate_limit_style !== undefined) q.rateLimitStyle = f.rate_limit_style;
    return c.json(quotaView(state));
  });
  app.get("/quota", (c) => c.json(quotaView(state)));

  app.post("/reset", (c) => {
    resetState(state);
    return c.json({});
  });
  return app;
}
