import assert from "node:assert/strict";
import {
  type AccountStore,
  ReconnectNeededError,
} from "../../pipeline/ports.ts";
import type { Tokens } from "../../pipeline/types.ts";
import {
  createTokenSource,
  type Refresher,
} from "../../pipeline/gmail/token_source.ts";
import { forEachStore } from "../helpers/stores.ts";

const T0 = Date.parse("2026-11-24T03:00:00Z");

function fakeRefresher() {
  const calls: string[] = [];
  let n = 0;
  const refresher: Refresher = (rt) => {
    calls.push(rt);
    if (rt === "revoked") {
      return Promise.reject(
        Object.assign(new Error("invalid_grant"), {
          response: { status: 400, data: { error: "invalid_grant" } },
        }),
      );
    }
    n++;
    return Promise.resolve({
      accessToken: `at-${n}`,
      expiresInMs: 3600_000,
      refreshToken: null,
      scope: null,
    });
  };
  return { refresher, calls };
}

Deno.test("token source", async (t) => {
  await forEachStore(t, async (store) => {
    let now = T0;
    const clock = { now: () => new Date(now) };
    const acc = await store.accounts.upsert({
      email: "shop@example.com",
      tokens: {
        accessToken: "at-0",
        refreshToken: "rt-1",
        expiryDate: T0 + 10 * 60_000,
      },
    });

    const f = fakeRefresher();
    const src = createTokenSource({
      accountId: acc.id,
      accounts: store.accounts,
      refresher: f.refresher,
      clock,
    });
    // Stored token valid for 10 more minutes: no refresh.
    assert.equal(await src.accessToken(), "at-0");
    assert.equal(f.calls.length, 0);

    // 9 minutes 30 s later, inside the 60 s margin: refresh once, persist.
    now = T0 + 9.5 * 60_000;
    assert.equal(await src.accessToken(), "at-1");
    assert.equal(await src.accessToken(), "at-1");
    assert.deepEqual(f.calls, ["rt-1"]);
    const stored = await store.accounts.getTokens(acc.id);
    assert.equal(stored?.accessToken, "at-1");
    assert.equal(stored?.refreshToken, "rt-1");
    assert.equal(stored?.expiryDate, now + 3600_000);

    // A fresh source (next cycle) reuses the persisted token.
    const f2 = fakeRefresher();
    const src2 = createTokenSource({
      accountId: acc.id,
      accounts: store.accounts,
      refresher: f2.refresher,
      clock,
    });
    assert.equal(await src2.accessToken(), "at-1");
    assert.equal(f2.calls.length, 0);

    // Concurrent callers share one refresh.
    now += 2 * 3600_000;
    const [a, b] = await Promise.all([src2.accessToken(), src2.accessToken()]);
    assert.equal(a, b);
    assert.equal(f2.calls.length, 1);

    // invalid_grant becomes ReconnectNeededError.
    await store.accounts.setTokens(acc.id, {
      accessToken: null,
      refreshToken: "revoked",
      expiryDate: null,
    });
    const src3 = createTokenSource({
      accountId: acc.id,
      accounts: store.accounts,
      refresher: f.refresher,
      clock,
    });
    await assert.rejects(src3.accessToken(), ReconnectNeededError);

    // Unknown account: ReconnectNeededError too.
    const src4 = createTokenSource({
      accountId: crypto.randomUUID(),
      accounts: store.accounts,
      refresher: f.refresher,
      clock,
    });
    await assert.rejects(src4.accessToken(), ReconnectNeededError);
  });
});

Deno.test("token source: concurrent first calls read the store once, and a token refreshed meanwhile is not replaced by the older stored copy", async () => {
  const stored: Tokens = {
    accessToken: "at-0",
    refreshToken: "rt-1",
    expiryDate: T0 - 1,
  };
  let reads = 0;
  // Each read waits until the test answers it: the first caller's read is
  // answered and its refresh done before the second caller's read returns.
  const pending: Array<() => void> = [];
  const accounts: Pick<AccountStore, "getTokens" | "setTokens"> = {
    getTokens: () => {
      reads++;
      const copy = { ...stored };
      return new Promise<Tokens>((resolve) =>
        pending.push(() => resolve(copy))
      );
    },
    setTokens: (_id, t) => {
      Object.assign(stored, t);
      return Promise.resolve();
    },
  };
  const f = fakeRefresher();
  const src = createTokenSource({
    accountId: "a1",
    accounts,
    refresher: f.refresher,
    clock: { now: () => new Date(T0) },
  });
  const first = src.accessToken();
  const second = src.accessToken();
  pending.shift()!();
  assert.equal(await first, "at-1");
  pending.shift()?.();
  assert.deepEqual(await Promise.all([first, second]), ["at-1", "at-1"]);
  assert.equal(await src.accessToken(), "at-1");
  assert.deepEqual(f.calls, ["rt-1"], "one refresh");
  assert.equal(reads, 1, "one read of the store");
});
