/**
 * Store contract cases, part C: OAuth states, sessions, audit, leases, ping.
 * @module
 */
import assert from "node:assert/strict";
import { at, type Case, T0 } from "./store_contract_cases_a.ts";

const MIN = 60_000;

/** OAuth states, sessions, audit, leases, ping. */
export const smallCases: Case[] = [
  ["oauthStates: take is one-time and refuses an expired state", async (s) => {
    await s.oauthStates.put(
      "st1",
      { verifier: "v1", redirect: "/" },
      10 * MIN,
      T0,
    );
    assert.deepEqual(await s.oauthStates.take("st1", at(MIN)), {
      verifier: "v1",
      redirect: "/",
    });
    assert.equal(await s.oauthStates.take("st1", at(MIN)), null);
    await s.oauthStates.put("st2", { verifier: "v2" }, 10 * MIN, T0);
    assert.equal(await s.oauthStates.take("st2", at(10 * MIN)), null);
    assert.equal(await s.oauthStates.take("st2", at(MIN)), null);
    assert.equal(await s.oauthStates.take("unknown", T0), null);
  }],
  ["sessions: get until expiry, delete", async (s) => {
    await s.sessions.put("se1", { user: "admin" }, 60 * MIN, T0);
    assert.deepEqual(await s.sessions.get("se1", at(59 * MIN)), {
      user: "admin",
    });
    assert.equal(await s.sessions.get("se1", at(60 * MIN)), null);
    await s.sessions.put("se2", { user: "admin" }, 60 * MIN, T0);
    await s.sessions.delete("se2");
    assert.equal(await s.sessions.get("se2", T0), null);
  }],
  ["audit: add and list newest first", async (s) => {
    await s.audit.add({
      at: at(0),
      actor: "admin",
      action: "login",
      target: null,
      detail: {},
    });
    await s.audit.add({
      at: at(2000),
      actor: "admin",
      action: "review.update",
      target: "r1",
      detail: { status: "resolved", n: 2 },
    });
    await s.audit.add({
      at: at(1000),
      actor: "system",
      action: "account.connect",
      target: "a1",
      detail: { when: at(5) },
    });
    const list = await s.audit.list(10);
    assert.deepEqual(list.map((e) => e.action), [
      "review.update",
      "account.connect",
      "login",
    ]);
    assert.deepEqual(list[0]?.detail, { status: "resolved", n: 2 });
    assert.deepEqual(list[1]?.detail, { when: at(5) });
    assert.equal((await s.audit.list(1)).length, 1);
  }],
  ["leases: a second owner is refused until expiry or release", async (s) => {
    assert.equal(await s.leases.acquire("poll:acc1", "i1", MIN, T0), true);
    assert.equal(
      await s.leases.acquire("poll:acc1", "i2", MIN, at(30_000)),
      false,
    );
    assert.equal(
      await s.leases.acquire("poll:acc1", "i1", MIN, at(30_000)),
      true,
    );
    assert.equal(
      await s.leases.acquire("poll:acc1", "i2", MIN, at(60_000)),
      false,
    );
    assert.equal(
      await s.leases.acquire("poll:acc1", "i2", MIN, at(90_000)),
      true,
    );
    await s.leases.release("poll:acc1", "i1");
    assert.equal(
      await s.leases.acquire("poll:acc1", "i3", MIN, at(100_000)),
      false,
    );
    await s.leases.release("poll:acc1", "i2");
    assert.equal(
      await s.leases.acquire("poll:acc1", "i3", MIN, at(100_000)),
      true,
    );
    const race = await Promise.all(
      Array.from(
        { length: 6 },
        (_, i) => s.leases.acquire("poll:race", `o${i}`, MIN, T0),
      ),
    );
    assert.equal(race.filter(Boolean).length, 1);
  }],
  ["ping: a cheap round trip", async (s) => {
    await s.ping();
  }],
];
