import assert from "node:assert/strict";
import {
  connectAccount,
  type ConnectAccountDeps,
} from "../../pipeline/accounts/connect_account.ts";
import type { Account, AccountStatus, Tokens } from "../../pipeline/types.ts";

const TOKENS: Tokens = {
  accessToken: "access",
  refreshToken: "refresh",
  expiryDate: null,
};

/** An in-memory account store and cursor store, and a mailbox at `historyId`. */
function fakes(opts: {
  status?: AccountStatus;
  cursor?: string;
  historyId?: string | Error;
  sandbox?: boolean;
} = {}) {
  const accounts = new Map<string, Account>();
  const cursors = new Map<string, string>();
  const profileCalls: string[] = [];
  if (opts.status) {
    accounts.set("support@shop.example", {
      id: "acc-1",
      email: "support@shop.example",
      status: opts.status,
      statusReason: opts.status === "active" ? null : "was " + opts.status,
      replyMode: null,
      sandbox: opts.sandbox ?? false,
      createdAt: new Date(0),
      lastSyncAt: null,
      lastError: null,
    });
  }
  if (opts.cursor) cursors.set("acc-1", opts.cursor);
  const stored: Tokens[] = [];
  const deps = {
    accounts: {
      upsert(input) {
        stored.push(input.tokens);
        const a = accounts.get(input.email) ?? {
          id: "acc-1",
          email: input.email,
          status: "active",
          statusReason: null,
          replyMode: null,
          sandbox: input.sandbox ?? false,
          createdAt: new Date(0),
          lastSyncAt: null,
          lastError: null,
        };
        accounts.set(input.email, a);
        return Promise.resolve({ ...a });
      },
      setStatus(id, status, reason) {
        for (const a of accounts.values()) {
          if (a.id === id) Object.assign(a, { status, statusReason: reason });
        }
        return Promise.resolve();
      },
    },
    cursors: {
      get: (id) => Promise.resolve(cursors.get(id) ?? null),
      set: (id, h) => {
        cursors.set(id, h);
        return Promise.resolve();
      },
    },
    mailboxFor: (account) => ({
      getProfile: () => {
        profileCalls.push(account.id);
        const h = opts.historyId ?? "500";
        return h instanceof Error ? Promise.reject(h) : Promise.resolve({
          emailAddress: account.email,
          historyId: h,
        });
      },
    }),
  } satisfies ConnectAccountDeps;
  const status = () => accounts.get("support@shop.example")?.status;
  return { deps, cursors, stored, profileCalls, status };
}

Deno.test("connectAccount() stores a new account and seeds its cursor from the mailbox's history", async () => {
  const f = fakes({ historyId: "500" });
  const r = await connectAccount(
    { email: "support@shop.example", tokens: TOKENS },
    f.deps,
  );
  assert.equal(r.cursor, "seeded");
  assert.equal(r.account.status, "active");
  assert.deepEqual(f.stored, [TOKENS]);
  assert.equal(f.cursors.get("acc-1"), "500");
});

Deno.test("connectAccount() reconnecting an account that needed it makes it active and keeps its cursor", async () => {
  const f = fakes({ status: "needs_reconnect", cursor: "120" });
  const r = await connectAccount(
    { email: "support@shop.example", tokens: TOKENS },
    f.deps,
  );
  assert.equal(r.cursor, "kept");
  assert.equal(r.account.status, "active");
  assert.equal(r.account.statusReason, null);
  assert.equal(f.status(), "active");
  assert.equal(f.cursors.get("acc-1"), "120", "mail since 120 is still read");
  assert.deepEqual(f.profileCalls, [], "Gmail is not asked");
});

Deno.test("connectAccount() an admin's connect resumes a paused account", async () => {
  const f = fakes({ status: "paused", cursor: "120" });
  const r = await connectAccount(
    { email: "support@shop.example", tokens: TOKENS },
    f.deps,
  );
  assert.equal(r.account.status, "active");
  assert.equal(f.status(), "active");
});

Deno.test("connectAccount() the sandbox's start keeps a paused sandbox paused and sets its cursor anew", async () => {
  const f = fakes({
    status: "paused",
    cursor: "9999",
    historyId: "3",
    sandbox: true,
  });
  const r = await connectAccount(
    { email: "support@shop.example", tokens: TOKENS, sandbox: true },
    f.deps,
  );
  assert.equal(r.account.status, "paused");
  assert.equal(f.status(), "paused");
  assert.equal(r.cursor, "seeded");
  assert.equal(
    f.cursors.get("acc-1"),
    "3",
    "the fresh emulator's history, not the last run's",
  );
});

Deno.test("connectAccount() the sandbox's start reactivates a sandbox that needed reconnecting", async () => {
  const f = fakes({ status: "needs_reconnect", sandbox: true });
  const r = await connectAccount(
    { email: "support@shop.example", tokens: TOKENS, sandbox: true },
    f.deps,
  );
  assert.equal(r.account.status, "active");
  assert.equal(f.status(), "active");
});

Deno.test("connectAccount() when Gmail cannot be reached the account is still stored and the failure returned", async () => {
  const down = new Error("gmail down");
  const f = fakes({ historyId: down });
  const r = await connectAccount(
    { email: "support@shop.example", tokens: TOKENS },
    f.deps,
  );
  assert.equal(r.cursor, "failed");
  assert.equal(r.cursorError, down);
  assert.equal(f.status(), "active");
  assert.equal(f.cursors.get("acc-1"), undefined);
});
