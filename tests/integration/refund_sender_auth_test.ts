/**
 * A refund is started only for a From address Gmail authenticated: on Deno
 * KV and Postgres, raw messages stamped the way Gmail's MX stamps them
 * (`Authentication-Results: mx.google.com; …` on top) go through parseEmail
 * and the refund flow. DMARC pass, or an aligned DKIM or SPF pass, marks the
 * owner's order; fail, none, a missing header, an unaligned pass and a pass
 * the sender wrote lower down mark nothing, never look the order up, get
 * the neutral reply asking for the order's address, and are logged.
 */
import assert from "node:assert/strict";
import { parseEmail } from "../../pipeline/mail/parse_email.ts";
import type { Store } from "../../pipeline/ports.ts";
import { renderTemplate } from "../../pipeline/refund/templates.ts";
import { forEachStore } from "../helpers/stores.ts";
import {
  classified,
  gmailAuthResults,
  order,
  refundConfig,
  runRefund,
} from "../helpers/refund_fixtures.ts";

const NOW = new Date("2026-03-31T12:00:00Z");
const OWNER = "alice@example.com";
const CONFIG = refundConfig({ maxInvalidAttempts: 100 });

/** Gmail's header for each case, topmost first ([] = no header at all). */
const SENDER_WRITTEN_PASS =
  "mx.google.com; dkim=pass header.i=@example.com; spf=pass smtp.mailfrom=alice@example.com; dmarc=pass header.from=example.com";
const CASES: Array<{ name: string; headers: string[]; marks: boolean }> = [
  { name: "pass", headers: gmailAuthResults(OWNER, "pass"), marks: true },
  {
    name: "dkim pass aligned (parent domain), no dmarc",
    headers: ["mx.google.com; dkim=pass header.d=example.com; dmarc=none"],
    marks: true,
  },
  {
    name: "spf pass aligned, no dmarc",
    headers: [`mx.google.com; spf=pass smtp.mailfrom=bounce@example.com`],
    marks: true,
  },
  { name: "fail", headers: gmailAuthResults(OWNER, "fail"), marks: false },
  { name: "none", headers: gmailAuthResults(OWNER, "none"), marks: false },
  { name: "missing", headers: [], marks: false },
  {
    name: "dkim and spf pass for another domain",
    headers: [
      "mx.google.com; dkim=pass header.d=evil.test; spf=pass smtp.mailfrom=m@evil.test; dmarc=none",
    ],
    marks: false,
  },
  {
    name: "dmarc pass for another From domain",
    headers: ["mx.google.com; dmarc=pass header.from=evil.test"],
    marks: false,
  },
  {
    name: "forged: a pass the sender wrote below Gmail's none",
    headers: [...gmailAuthResults(OWNER, "none"), SENDER_WRITTEN_PASS],
    marks: false,
  },
  {
    name: "forged: a pass the sender wrote, Gmail's header missing",
    headers: ["mx.google.com.evil.test; dmarc=pass header.from=example.com"],
    marks: false,
  },
  {
    name: "forged: a pass the sender wrote below Gmail's fail",
    headers: [...gmailAuthResults(OWNER, "fail"), SENDER_WRITTEN_PASS],
    marks: false,
  },
];

let seq = 700000;

/** A refund request from the owner's address, stamped with `headers`. */
async function request(store: Store, headers: string[], orderId: string) {
  const id = ++seq;
  const raw = [
    ...headers.map((h) => `Authentication-Results: ${h}`),
    `From: Alice Example <${OWNER}>`,
    "To: support@shop.test",
    "Subject: Refund please",
    `Message-ID: <auth-${id}@example.com>`,
    "Date: Tue, 31 Mar 2026 11:00:00 +0000",
    "",
    `Hello, please refund order ${orderId}. Thanks, Alice`,
    "",
  ].join("\r\n");
  const email = await parseEmail(new TextEncoder().encode(raw), {
    id: `g-auth-${id}`,
    threadId: `t-auth-${id}`,
    labelIds: ["INBOX"],
  });
  let lookups = 0;
  const counted: Store = {
    ...store,
    orders: {
      ...store.orders,
      get: (oid: string) => {
        lookups++;
        return store.orders.get(oid);
      },
    },
  };
  const { plan } = await runRefund(counted, email, {
    classification: classified("Refund"),
    now: NOW,
    config: CONFIG,
  });
  assert.ok(plan);
  return { plan, lookups, gmailId: email.id };
}

function neutralReply(orderId: string): string {
  return renderTemplate("not_owner", {
    name: "Alice",
    order_id: orderId,
    date: "",
    days: "30",
    signature: CONFIG.signature,
    shop: CONFIG.shopName,
  }, {});
}

Deno.test("refund flow marks an order only for a From Gmail authenticated: pass, fail, none, missing, forged (KV and Postgres)", async (t) => {
  await forEachStore(t, async (store) => {
    for (const [i, c] of CASES.entries()) {
      const orderId = `ORD${800000 + i}`;
      await store.orders.importAll([order(orderId, OWNER)]);
      const { plan, lookups, gmailId } = await request(
        store,
        c.headers,
        orderId,
      );
      const marked = await store.orders.get(orderId);
      if (c.marks) {
        assert.equal(plan.decision.reason, "refund_requested", c.name);
        assert.equal(marked?.status, "refund_requested", c.name);
        continue;
      }
      assert.equal(plan.decision.reason, "unverified_sender", c.name);
      assert.equal(plan.decision.action, "reply", c.name);
      assert.equal(marked?.status, "delivered", c.name);
      assert.equal(marked?.refundRequestedAt, null, c.name);
      assert.equal(lookups, 0, `${c.name}: the order was looked up`);
      assert.ok(
        !plan.effects.some((e) => e.type === "mark_refund_requested"),
        c.name,
      );
      assert.equal(plan.decision.reply, neutralReply(orderId), c.name);
      assert.match(
        plan.decision.reply ?? "",
        /write to us from the email address you used/,
      );
      const attempts = await store.refunds.listInvalidAttempts(1000);
      const mine = attempts.find((a) => a.gmailId === gmailId);
      assert.equal(mine?.reason, "unverified_sender", c.name);
      assert.equal(mine?.orderId, orderId, c.name);
    }
  });
});

Deno.test("an unauthenticated sender learns nothing: the reply for a real order and an unknown one is the same (KV and Postgres)", async (t) => {
  await forEachStore(t, async (store) => {
    await store.orders.importAll([order("ORD810001", OWNER)]);
    const fail = gmailAuthResults(OWNER, "fail");
    const real = await request(store, fail, "ORD810001");
    const unknown = await request(store, fail, "ORD810999");
    assert.equal(
      real.plan.decision.reply?.replace("ORD810001", "ORD_"),
      unknown.plan.decision.reply?.replace("ORD810999", "ORD_"),
    );
    assert.equal(real.plan.decision.reason, unknown.plan.decision.reason);
  });
});
