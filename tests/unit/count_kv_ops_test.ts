/**
 * The round-trip counter of the benchmark and the tests: every get,
 * getMany, set, delete, list() call and atomic commit counts once, by
 * kind; building an atomic operation (its checks and mutations) counts
 * nothing, and the counted handle reads and writes as the real one.
 */
import assert from "node:assert/strict";
import { countKvOps } from "../../eval/bench/count_kv_ops.ts";

Deno.test("countKvOps: one per get, getMany, set, delete, list() and commit; none for building an atomic operation", async () => {
  const raw = await Deno.openKv(":memory:");
  try {
    const counted = countKvOps(raw);
    const kv = counted.kv;
    await kv.set(["a"], 1);
    const a = await kv.get<number>(["a"]);
    assert.equal(a.value, 1);
    await kv.getMany([["a"], ["b"]]);
    const op = kv.atomic().check(a).set(["b"], 2).delete(["a"]);
    assert.equal((await op.sum(["n"], 1n).commit()).ok, true);
    const listed = [];
    for await (const e of kv.list({ prefix: [] })) listed.push(e.key);
    assert.deepEqual(listed, [["b"], ["n"]]);
    await kv.delete(["b"]);
    assert.equal(counted.count(), 6);
    assert.deepEqual(counted.byMethod(), {
      set: 1,
      get: 1,
      getMany: 1,
      commit: 1,
      list: 1,
      delete: 1,
    });
    assert.equal((await raw.get(["b"])).value, null);
  } finally {
    raw.close();
  }
});
