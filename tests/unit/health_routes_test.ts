import assert from "node:assert/strict";
import { createHealthRoutes } from "../../routes/health.ts";
import { createMetrics } from "../../app/ops/metrics.ts";
import { createReadiness } from "../../app/ops/readiness.ts";
import { silentLogger } from "../../app/ops/logger.ts";
import { createKvStore } from "../../db/kv/kv_store.ts";
import {
  createTokenCipher,
  generateKey,
} from "../../db/crypto/token_cipher.ts";
import { createKnowledgeBase } from "../../pipeline/knowledge/knowledge_base.ts";
import type { Embedder } from "../../pipeline/ports.ts";

/** An embedder that blocks until the test calls `release()`: a slow KB build. */
function gatedEmbedder(): Embedder & {
  release(): void;
  started: Promise<void>;
} {
  let release = () => {};
  const gate = new Promise<void>((r) => release = r);
  let started = () => {};
  const startedP = new Promise<void>((r) => started = r);
  return {
    dimensions: 4,
    async embed(texts) {
      started();
      await gate;
      return texts.map((t) => new Float32Array([t.length, 1, 0, 0]));
    },
    release: () => release(),
    started: startedP,
  };
}

async function json(res: Response): Promise<Record<string, unknown>> {
  return await res.json() as Record<string, unknown>;
}

Deno.test("health routes report liveness, readiness and metrics", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "health_test_" });
  const kbDir = `${dir}/knowledge_base`;
  await Deno.mkdir(kbDir);
  await Deno.writeTextFile(
    `${kbDir}/shipping.md`,
    "---\ntitle: Shipping\n---\n# Shipping\n\n## Tracking\n\nEvery parcel has a tracking number.\n",
  );
  await Deno.writeTextFile(
    `${kbDir}/returns.md`,
    "---\ntitle: Returns\n---\n# Returns\n\nReturns are accepted within 30 days.\n",
  );
  const kv = await Deno.openKv(`${dir}/agent.kv`);
  const store = createKvStore(
    kv,
    await createTokenCipher({ key: generateKey() }),
  );
  const embedder = gatedEmbedder();
  const kb = createKnowledgeBase({
    dir: kbDir,
    cacheDir: dir,
    embedder,
    embedderId: "gated",
    logger: silentLogger,
  });
  const readiness = createReadiness();
  const metrics = createMetrics();
  const app = createHealthRoutes({
    store,
    isReady: () => ({
      kb: kb.status().ready,
      scheduler: readiness.isReady().scheduler,
    }),
    metrics,
    clock: { now: () => new Date("2026-01-01T00:00:00Z") },
  });
  let closed = false;
  try {
    await t.step(
      "/healthz answers 200 with the store kind at once",
      async () => {
        const res = await app.request("/healthz");
        assert.equal(res.status, 200);
        assert.deepEqual(await json(res), { status: "ok", store: "kv" });
      },
    );

    const building = kb.reindex();
    await embedder.started;

    await t.step(
      "/readyz is 503 while the knowledge base is still building",
      async () => {
        readiness.set("scheduler", true);
        const res = await app.request("/readyz");
        assert.equal(res.status, 503);
        const body = await json(res);
        assert.equal(body.status, "not_ready");
        assert.deepEqual(body.not_ready, ["kb"]);
        assert.deepEqual(body.checks, {
          store: true,
          kb: false,
          scheduler: true,
        });
      },
    );

    await t.step("/readyz turns 200 once the index is built", async () => {
      embedder.release();
      const result = await building;
      assert.equal(result.documents, 2);
      const res = await app.request("/readyz");
      assert.equal(res.status, 200);
      const body = await json(res);
      assert.equal(body.status, "ready");
      assert.deepEqual(body.checks, { store: true, kb: true, scheduler: true });
    });

    await t.step(
      "/readyz names the scheduler when it is not registered",
      async () => {
        readiness.set("scheduler", false);
        const res = await app.request("/readyz");
        assert.equal(res.status, 503);
        assert.deepEqual((await json(res)).not_ready, ["scheduler"]);
        readiness.set("scheduler", true);
      },
    );

    await t.step(
      "/metrics serves Prometheus text with store gauges",
      async () => {
        metrics.emailProcessed({
          category: "Refund",
          action: "reply",
          reason: "refund_requested",
        });
        const res = await app.request("/metrics");
        assert.equal(res.status, 200);
        assert.match(
          res.headers.get("content-type") ?? "",
          /^text\/plain; version=0\.0\.4/,
        );
        const text = await res.text();
        assert.match(
          text,
          /^agent_emails_processed_total\{category="Refund",action="reply",reason="refund_requested"\} 1$/m,
        );
        assert.match(text, /^agent_review_queue_items\{status="pending"\} 0$/m);
        assert.match(text, /^agent_accounts\{status="active"\} 0$/m);
      },
    );

    await t.step(
      "/readyz is 503 naming the store when it does not answer",
      async () => {
        await store.close();
        closed = true;
        const res = await app.request("/readyz");
        assert.equal(res.status, 503);
        assert.deepEqual((await json(res)).not_ready, ["store"]);
        const live = await app.request("/healthz");
        assert.equal(live.status, 200);
        await live.body?.cancel();
      },
    );

    await t.step(
      "/metrics still serves counters when the store is down",
      async () => {
        const res = await app.request("/metrics");
        assert.equal(res.status, 200);
        const text = await res.text();
        assert.match(text, /^agent_errors_total\{kind="metrics_scrape"\} 1$/m);
      },
    );
  } finally {
    embedder.release();
    if (!closed) await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readiness.watch marks a part ready only when its work resolves", async (t) => {
  const r = createReadiness();
  await t.step("a pending build keeps kb not ready", async () => {
    let done = () => {};
    const work = new Promise<void>((res) => done = res);
    const watched = r.watch("kb", work);
    assert.equal(r.isReady().kb, false);
    done();
    await watched;
    assert.equal(r.isReady().kb, true);
  });
  await t.step(
    "a failed build leaves kb not ready and passes the error on",
    async () => {
      await assert.rejects(
        r.watch("kb", Promise.reject(new Error("bad kb"))),
        /bad kb/,
      );
      assert.equal(r.isReady().kb, false);
    },
  );
});
