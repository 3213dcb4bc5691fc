import assert from "node:assert/strict";
import { createMetrics, GMAIL_QUOTA_UNITS } from "../../app/ops/metrics.ts";
import { QUOTA_UNITS as EMULATOR_UNITS } from "../../emulator/gmail_method.ts";
import { createKvStore } from "../../db/kv/kv_store.ts";
import {
  createTokenCipher,
  generateKey,
} from "../../db/crypto/token_cipher.ts";

/** The value of the sample `name{labels}` in Prometheus text, or undefined. */
function sample(text: string, series: string): number | undefined {
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const i = line.lastIndexOf(" ");
    if (line.slice(0, i) === series) return Number(line.slice(i + 1));
  }
  return undefined;
}

/** Every non-comment line must be `name{labels} value` (text format 0.0.4). */
function assertValidExposition(text: string) {
  const re =
    /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? -?(\d+(\.\d+)?(e[+-]?\d+)?|\+Inf|-Inf|NaN)$/;
  for (const line of text.split("\n")) {
    if (
      line === "" || line.startsWith("# HELP ") || line.startsWith("# TYPE ")
    ) {
      continue;
    }
    assert.match(line, re, `not a valid sample line: ${line}`);
  }
}

Deno.test("metrics record emails, errors, Gmail calls and latency in Prometheus text", async (t) => {
  const m = createMetrics();
  await t.step("counters count by their labels", async () => {
    m.emailProcessed({
      category: "Question",
      action: "reply",
      reason: "answered",
    });
    m.emailProcessed({
      category: "Question",
      action: "reply",
      reason: "answered",
    });
    m.emailProcessed({ category: "Other", action: "review", reason: "other" });
    m.error("gmail_429");
    const text = await m.render();
    assertValidExposition(text);
    assert.equal(
      sample(
        text,
        'agent_emails_processed_total{category="Question",action="reply",reason="answered"}',
      ),
      2,
    );
    assert.equal(
      sample(
        text,
        'agent_emails_processed_total{category="Other",action="review",reason="other"}',
      ),
      1,
    );
    assert.equal(sample(text, 'agent_errors_total{kind="gmail_429"}'), 1);
    assert.match(text, /# TYPE agent_emails_processed_total counter/);
  });
  await t.step("Gmail calls add the method's quota units", async () => {
    m.gmailCall("messages.send");
    m.gmailCall("messages.get");
    m.gmailCall("messages.get");
    m.gmailCall("custom.thing", 7);
    const text = await m.render();
    assert.equal(
      sample(text, 'agent_gmail_calls_total{method="messages.get"}'),
      2,
    );
    assert.equal(
      sample(text, 'agent_gmail_quota_units_total{method="messages.get"}'),
      2 * GMAIL_QUOTA_UNITS["messages.get"]!,
    );
    assert.equal(
      sample(text, 'agent_gmail_quota_units_total{method="messages.send"}'),
      100,
    );
    assert.equal(
      sample(text, 'agent_gmail_quota_units_total{method="custom.thing"}'),
      7,
    );
  });
  await t.step("latency lands in the right histogram buckets", async () => {
    m.observeLatency(0.2);
    m.observeLatency(3);
    m.observeLatency(12, "poll_cycle");
    const text = await m.render();
    assertValidExposition(text);
    assert.equal(
      sample(text, 'agent_processing_seconds_bucket{le="0.1",stage="email"}'),
      0,
    );
    assert.equal(
      sample(text, 'agent_processing_seconds_bucket{le="0.25",stage="email"}'),
      1,
    );
    assert.equal(
      sample(text, 'agent_processing_seconds_bucket{le="5",stage="email"}'),
      2,
    );
    assert.equal(
      sample(text, 'agent_processing_seconds_bucket{le="+Inf",stage="email"}'),
      2,
    );
    assert.equal(
      sample(text, 'agent_processing_seconds_count{stage="email"}'),
      2,
    );
    assert.equal(
      sample(text, 'agent_processing_seconds_sum{stage="email"}'),
      3.2,
    );
    assert.equal(
      sample(text, 'agent_processing_seconds_count{stage="poll_cycle"}'),
      1,
    );
    assert.match(text, /# TYPE agent_processing_seconds histogram/);
  });
  await t.step("two metric sets do not share counts", async () => {
    const other = await createMetrics().render();
    assert.equal(
      sample(other, 'agent_errors_total{kind="gmail_429"}'),
      undefined,
    );
  });
});

Deno.test("metrics read the review queue, accounts and sync age from a real KV store at scrape time", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "metrics_test_" });
  const kv = await Deno.openKv(`${dir}/agent.kv`);
  const store = createKvStore(
    kv,
    await createTokenCipher({ key: generateKey() }),
  );
  try {
    const t0 = new Date("2026-01-01T10:00:00Z");
    const a = await store.accounts.upsert({
      email: "support@shop.test",
      tokens: { accessToken: null, refreshToken: "r1", expiryDate: null },
    });
    const b = await store.accounts.upsert({
      email: "help@shop.test",
      tokens: { accessToken: null, refreshToken: "r2", expiryDate: null },
    });
    await store.accounts.setStatus(b.id, "needs_reconnect", "invalid_grant");
    await store.accounts.recordSync(a.id, t0, null);
    await store.accounts.recordSync(b.id, t0, "invalid_grant");
    const item = {
      accountId: a.id,
      threadId: "t1",
      sender: "c***@example.com",
      subject: "s",
      excerpt: "e",
      category: "Other" as const,
      importance: 3,
      importanceReasons: [],
      reason: "other",
    };
    await store.review.add({ ...item, gmailId: "g1" }, t0);
    const second = await store.review.add({ ...item, gmailId: "g2" }, t0);
    await store.review.update(second.id, { status: "resolved" }, t0);

    const m = createMetrics();
    const now = new Date(t0.getTime() + 90_000);
    await t.step(
      "review queue and accounts are counted by status",
      async () => {
        const text = await m.render({ store, now });
        assertValidExposition(text);
        assert.equal(
          sample(text, 'agent_review_queue_items{status="pending"}'),
          1,
        );
        assert.equal(
          sample(text, 'agent_review_queue_items{status="resolved"}'),
          1,
        );
        assert.equal(
          sample(text, 'agent_review_queue_items{status="in_progress"}'),
          0,
        );
        assert.equal(sample(text, 'agent_accounts{status="active"}'), 1);
        assert.equal(
          sample(text, 'agent_accounts{status="needs_reconnect"}'),
          1,
        );
        assert.equal(sample(text, 'agent_accounts{status="paused"}'), 0);
      },
    );
    await t.step("sync age counts only successful syncs", async () => {
      const text = await m.render({ store, now });
      assert.equal(
        sample(
          text,
          `agent_last_successful_sync_age_seconds{account_id="${a.id}"}`,
        ),
        90,
      );
      assert.equal(
        sample(
          text,
          `agent_last_successful_sync_age_seconds{account_id="${b.id}"}`,
        ),
        undefined,
      );
      m.syncSucceeded(b.id, new Date(t0.getTime() + 60_000));
      const after = await m.render({ store, now });
      assert.equal(
        sample(
          after,
          `agent_last_successful_sync_age_seconds{account_id="${b.id}"}`,
        ),
        30,
      );
    });
    await t.step("a deleted account disappears from the gauges", async () => {
      await store.accounts.delete(a.id);
      const text = await m.render({ store, now });
      assert.equal(
        sample(
          text,
          `agent_last_successful_sync_age_seconds{account_id="${a.id}"}`,
        ),
        undefined,
      );
      assert.equal(sample(text, 'agent_accounts{status="active"}'), 0);
    });
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("metrics count the same Gmail quota units as the emulator", () => {
  assert.deepEqual(
    Object.entries(GMAIL_QUOTA_UNITS).sort(),
    Object.entries(EMULATOR_UNITS).sort(),
  );
});
