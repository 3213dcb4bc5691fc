import assert from "node:assert/strict";
import { silentLogger } from "../../app/ops/logger.ts";
import {
  disconnectAccount,
  type DisconnectAccountDeps,
} from "../../pipeline/accounts/disconnect_account.ts";
import {
  finishOAuthConnect,
  type FinishOAuthConnectDeps,
  OAUTH_STATE_TTL_MS,
  startOAuthConnect,
  type StartOAuthConnectDeps,
} from "../../pipeline/accounts/oauth_connect.ts";
import type { GoogleOAuth, GrantedTokens } from "../../pipeline/ports.ts";
import type { Account, AuditEvent, Tokens } from "../../pipeline/types.ts";

const NOW = new Date("2026-03-02T10:00:00Z");

const GRANTED: GrantedTokens = {
  accessToken: "access-1",
  refreshToken: "refresh-1",
  expiryDate: 123,
  scope: "openid gmail",
  missingScopes: [],
};

function account(over: Partial<Account> = {}): Account {
  return {
    id: "acc-1",
    email: "support@shop.example",
    status: "active",
    statusReason: null,
    replyMode: null,
    sandbox: false,
    createdAt: NOW,
    lastSyncAt: null,
    lastError: null,
    ...over,
  };
}

/** Fakes of Google's OAuth and the stores the connection writes. */
function fakes(opts: {
  granted?: Partial<GrantedTokens>;
  exchangeFails?: boolean;
  email?: string | null;
} = {}) {
  const states = new Map<
    string,
    { data: Record<string, string>; ttl: number }
  >();
  const exchanged: [string, string][] = [];
  const upserts: { email: string; tokens: Tokens }[] = [];
  const cursors = new Map<string, string>();
  const audit: AuditEvent[] = [];
  const oauth = {
    consentUrl: ({ state, loginHint }) =>
      Promise.resolve({
        url: `https://consent.example/?state=${state}&hint=${loginHint ?? ""}`,
        verifier: `verifier-for-${state}`,
      }),
    exchangeCode: (code, verifier) => {
      exchanged.push([code, verifier]);
      return opts.exchangeFails
        ? Promise.reject(new Error("invalid_grant"))
        : Promise.resolve({ ...GRANTED, ...opts.granted });
    },
    userEmail: (token) =>
      Promise.resolve(
        token === "access-1"
          ? (opts.email === undefined ? "support@shop.example" : opts.email)
          : null,
      ),
  } satisfies Pick<GoogleOAuth, "consentUrl" | "exchangeCode" | "userEmail">;
  const deps = {
    oauth,
    oauthStates: {
      put: (key, data, ttl) => {
        states.set(key, { data, ttl });
        return Promise.resolve();
      },
      take: (key) => {
        const s = states.get(key);
        states.delete(key);
        return Promise.resolve(s?.data ?? null);
      },
    },
    accounts: {
      upsert: (input) => {
        upserts.push(input);
        return Promise.resolve(account({ email: input.email }));
      },
      setStatus: () => Promise.resolve(),
    },
    cursors: {
      get: (id) => Promise.resolve(cursors.get(id) ?? null),
      set: (id, h) => {
        cursors.set(id, h);
        return Promise.resolve();
      },
    },
    audit: {
      add: (e) => {
        audit.push(e);
        return Promise.resolve();
      },
    },
    mailboxFor: (a) => ({
      getProfile: () =>
        Promise.resolve({ emailAddress: a.email, historyId: "77" }),
    }),
    clock: { now: () => NOW },
    logger: silentLogger,
  } satisfies FinishOAuthConnectDeps & StartOAuthConnectDeps;
  return { deps, states, exchanged, upserts, cursors, audit };
}

/** Starts a connection and returns the state Google would send back. */
async function started(f: ReturnType<typeof fakes>, hint?: string) {
  const url = new URL(await startOAuthConnect({ loginHint: hint }, f.deps));
  return { state: url.searchParams.get("state")!, url };
}

Deno.test("startOAuthConnect() keeps a one-time state with the PKCE verifier for 10 minutes", async () => {
  const f = fakes();
  const { state, url } = await started(f, "  support@shop.example ");
  assert.match(state, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(url.searchParams.get("hint"), "support@shop.example");
  assert.deepEqual(f.states.get(`connect:${state}`), {
    data: { verifier: `verifier-for-${state}` },
    ttl: OAUTH_STATE_TTL_MS,
  });
  const long = await started(f, "x".repeat(200));
  assert.equal(
    long.url.searchParams.get("hint"),
    "",
    "a 200-char hint is dropped",
  );
});

Deno.test("finishOAuthConnect() exchanges the code with the state's verifier, connects the account and audits it", async () => {
  const f = fakes();
  const { state } = await started(f);
  const out = await finishOAuthConnect(
    { query: { state, code: "code-1" }, actor: "admin" },
    f.deps,
  );
  assert.equal(out.ok, true);
  assert.deepEqual(f.exchanged, [["code-1", `verifier-for-${state}`]]);
  assert.deepEqual(f.upserts, [{
    email: "support@shop.example",
    tokens: {
      accessToken: "access-1",
      refreshToken: "refresh-1",
      expiryDate: 123,
      scope: "openid gmail",
    },
  }]);
  assert.equal(f.cursors.get("acc-1"), "77");
  assert.deepEqual(
    f.audit.map((e) => [e.action, e.actor, e.target]),
    [["account_connected", "admin", "acc-1"]],
  );
  const replay = await finishOAuthConnect(
    { query: { state, code: "code-1" }, actor: "admin" },
    f.deps,
  );
  assert.deepEqual(replay, { ok: false, problem: "bad_state" });
});

Deno.test("finishOAuthConnect() refuses each bad answer with its problem and stores nothing", async (t) => {
  const cases: [
    string,
    Parameters<typeof fakes>[0],
    (state: string) => Record<string, string>,
    Record<string, unknown>,
  ][] = [
    ["a denied consent", {}, () => ({ error: "access_denied" }), {
      problem: "denied",
    }],
    ["another Google error", {}, () => ({ error: "x".repeat(100) }), {
      problem: "google_error",
      googleError: "x".repeat(80),
    }],
    ["a state never issued", {}, () => ({ state: "forged", code: "c" }), {
      problem: "bad_state",
    }],
    ["no code", {}, (s) => ({ state: s }), { problem: "no_code" }],
    ["a refused code", { exchangeFails: true }, (s) => ({
      state: s,
      code: "c",
    }), { problem: "code_refused" }],
    ["no refresh token", { granted: { refreshToken: null } }, (s) => ({
      state: s,
      code: "c",
    }), { problem: "no_refresh_token" }],
    [
      "a scope left unticked",
      {
        granted: {
          missingScopes: ["https://www.googleapis.com/auth/gmail.modify"],
        },
      },
      (s) => ({ state: s, code: "c" }),
      {
        problem: "missing_scope",
        missingScopes: ["https://www.googleapis.com/auth/gmail.modify"],
      },
    ],
    ["no mailbox address", { email: null }, (s) => ({ state: s, code: "c" }), {
      problem: "no_email",
    }],
  ];
  for (const [name, opts, query, want] of cases) {
    await t.step(name, async () => {
      const f = fakes(opts);
      const { state } = await started(f);
      const out = await finishOAuthConnect(
        { query: query(state), actor: "admin" },
        f.deps,
      );
      assert.deepEqual(out, { ok: false, ...want });
      assert.deepEqual(f.upserts, []);
      assert.deepEqual(f.audit, []);
    });
  }
});

/** Fakes for a disconnect: the account's tokens and Google's revoke answer. */
function disconnectFakes(revokeOk: boolean, tokens: Tokens | null) {
  const revoked: [string, string][] = [];
  const deleted: string[] = [];
  const audit: AuditEvent[] = [];
  const deps = {
    accounts: {
      getTokens: () => Promise.resolve(tokens),
      delete: (id) => {
        deleted.push(id);
        return Promise.resolve();
      },
    },
    audit: {
      add: (e) => {
        audit.push(e);
        return Promise.resolve();
      },
    },
    oauth: {
      revoke: (a, token) => {
        revoked.push([a.id, token]);
        return Promise.resolve(revokeOk);
      },
    },
    clock: { now: () => NOW },
    logger: silentLogger,
  } satisfies DisconnectAccountDeps;
  return { deps, revoked, deleted, audit };
}

Deno.test("disconnectAccount() revokes the refresh token at Google, then deletes the account", async () => {
  const f = disconnectFakes(true, {
    accessToken: null,
    refreshToken: "refresh-1",
    expiryDate: null,
  });
  const out = await disconnectAccount(
    { account: account(), actor: "admin" },
    f.deps,
  );
  assert.deepEqual(out, { revoked: true });
  assert.deepEqual(f.revoked, [["acc-1", "refresh-1"]]);
  assert.deepEqual(f.deleted, ["acc-1"]);
  assert.deepEqual(f.audit.map((e) => [e.action, e.detail]), [[
    "account_disconnected",
    { revoked: true },
  ]]);
});

Deno.test("disconnectAccount() deletes the account even when Google does not confirm the revoke", async () => {
  const f = disconnectFakes(false, {
    accessToken: null,
    refreshToken: "refresh-1",
    expiryDate: null,
  });
  assert.deepEqual(
    await disconnectAccount({ account: account(), actor: "admin" }, f.deps),
    { revoked: false },
  );
  assert.deepEqual(f.deleted, ["acc-1"]);
  const none = disconnectFakes(true, null);
  assert.deepEqual(
    await disconnectAccount({ account: account(), actor: "admin" }, none.deps),
    { revoked: false },
  );
  assert.deepEqual(none.revoked, [], "no token, nothing to revoke");
  assert.deepEqual(none.deleted, ["acc-1"]);
});
