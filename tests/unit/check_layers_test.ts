import assert from "node:assert/strict";
import { cycles, importsOf, ruleBroken } from "../../.ci/check_layers.ts";

Deno.test("check_layers: ruleBroken() refuses imports that cross a layer the wrong way", async (t) => {
  await t.step("pipeline may not import db, routes or app", () => {
    assert.ok(ruleBroken("pipeline/worker.ts", "db/kv/kv_store.ts"));
    assert.ok(ruleBroken("pipeline/worker.ts", "routes/app.ts"));
    assert.ok(ruleBroken("pipeline/worker.ts", "app/config.ts"));
    assert.equal(ruleBroken("pipeline/worker.ts", "pipeline/sync.ts"), null);
  });
  await t.step("db may import only the pipeline's types and ports", () => {
    assert.equal(ruleBroken("db/kv/kv_store.ts", "pipeline/ports.ts"), null);
    assert.ok(ruleBroken("db/kv/kv_store.ts", "pipeline/decide.ts"));
    assert.ok(ruleBroken("db/kv/kv_store.ts", "app/config.ts"));
  });
  await t.step("routes may not import the Gmail adapter, db or app", () => {
    assert.ok(ruleBroken("routes/app.ts", "pipeline/gmail/retry.ts"));
    assert.ok(ruleBroken("routes/app.ts", "db/kv/kv_store.ts"));
    assert.ok(ruleBroken("routes/app.ts", "app/config.ts"));
    assert.equal(ruleBroken("routes/app.ts", "pipeline/ports.ts"), null);
  });
  await t.step(
    "the emulator stands alone; app and tests may import anything",
    () => {
      assert.ok(ruleBroken("emulator/server.ts", "pipeline/types.ts"));
      assert.equal(ruleBroken("app/build_agent.ts", "emulator/mod.ts"), null);
      assert.equal(ruleBroken("tests/unit/x_test.ts", "db/kv/keys.ts"), null);
    },
  );
});

Deno.test("check_layers: importsOf() resolves relative imports, type-only and dynamic ones too", () => {
  const text = [
    'import type { A } from "../ports.ts";',
    'import {\n  b,\n} from "./b.ts";',
    'export { c } from "../../db/c.ts";',
    'const m = await import("./lazy.ts");',
    'import { z } from "zod";',
  ].join("\n");
  assert.deepEqual(importsOf("pipeline/refund/x.ts", text), [
    "pipeline/ports.ts",
    "pipeline/refund/b.ts",
    "db/c.ts",
    "pipeline/refund/lazy.ts",
  ]);
});

Deno.test("check_layers: cycles() finds every import cycle, and none in a tree", () => {
  const tree = new Map([["a", ["b", "c"]], ["b", ["c"]], ["c", []]]);
  assert.deepEqual(cycles(tree), []);
  const loop = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", [
    "a",
  ]]]);
  assert.deepEqual(cycles(loop), [["a", "b", "c"]]);
});
