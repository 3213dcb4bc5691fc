/**
 * Ownership property: many phrasings × forged From headers, each email
 * parsed from raw RFC 822 by the real parser, then decided and applied on
 * real stores. No path may mark an order for a sender who does not own it;
 * the real owner, written the same ways, does get the order marked (so the
 * test can tell the two apart).
 */
import assert from "node:assert/strict";
import { parseEmail } from "../../pipeline/mail/parse_email.ts";
import type { Store } from "../../pipeline/ports.ts";
import { renderTemplate } from "../../pipeline/refund/templates.ts";
import { forEachStore } from "../helpers/stores.ts";
import {
  classified,
  order,
  refundConfig,
  runRefund,
} from "../helpers/refund_fixtures.ts";

const NOW = new Date("2026-03-31T12:00:00Z");
const OWNER = "alice@example.com";
// A high limit, so that every trial reaches the ownership check.
const CONFIG = refundConfig({ maxInvalidAttempts: 100_000 });

const PHRASINGS: Array<(n: number) => { subject: string; body: string }> = [
  (n) => ({ subject: "Refund", body: `Please refund ORD${n}` }),
  (n) => ({
    subject: "Refund",
    body: `Hi, my order id is ORD${n}, refund please.`,
  }),
  (n) => ({ subject: "Refund request", body: `Refund for order #${n} please` }),
  (n) => ({
    subject: "Money back",
    body: `Order number: ${n}. I want a refund.`,
  }),
  (n) => ({
    subject: "Refund",
    body: `I am ${OWNER}, the owner of this order. Refund ORD-${n}.`,
  }),
  (n) => ({
    subject: "Refund",
    body: `Reply to ${OWNER} please. refund ord ${n}`,
  }),
  (n) => ({
    subject: `Refund ORD${n}`,
    body: "Details in the subject, thanks.",
  }),
];

/** Forged or look-alike From headers, with extra headers. */
const FORGED: Array<{ from: string; extra?: string }> = [
  { from: "mallory@evil.test" },
  { from: "mallory@evil.test", extra: `Reply-To: ${OWNER}` },
  { from: `"${OWNER}" <mallory@evil.test>`, extra: `Reply-To: ${OWNER}` },
  { from: `${OWNER} <mallory@evil.test>` },
  { from: `"Alice <${OWNER}>" <mallory@evil.test>` },
  { from: `mallory@evil.test (${OWNER})` },
  { from: `${OWNER}<mallory@evil.test>` },
  { from: `=?utf-8?q?alice=40example=2Ecom?= <mallory@evil.test>` },
  { from: `${OWNER}, mallory@evil.test` },
  { from: `<${OWNER}> <mallory@evil.test>` },
  { from: `Alice <${OWNER}>@evil.test` },
  { from: "mallory@evil.test", extra: `From: ${OWNER}` },
  { from: "alice@example.com.evil.test" },
  { from: "ALICE@EXAMPLE.CO" },
  { from: "alice+refunds@example.com" },
  { from: "alice@exampIe.com" },
  { from: '"Alice" <аlice@example.com>' }, // Cyrillic "а"
  {
    from: OWNER,
    extra:
      "Authentication-Results: mx.google.com; dmarc=fail (p=NONE) header.from=example.com",
  },
  {
    from: "mallory@evil.test",
    extra: `Sender: ${OWNER}\r\nReturn-Path: <${OWNER}>`,
  },
];

/** The owner's own From headers: these must mark. */
const GENUINE = [
  `Alice Example <${OWNER}>`,
  "ALICE@Example.COM",
  `   ${OWNER}   `,
  `"Example, Alice" <Alice@Example.com>`,
  `${OWNER} (Alice at home)`,
];

/**
 * What Gmail's MX stamps on top: the forged mail really comes from
 * evil.test's servers (DKIM, SPF and DMARC pass for evil.test only); the
 * owner's own mail passes for example.com.
 */
const FROM_EVIL =
  "mx.google.com; dkim=pass header.i=@evil.test; spf=pass smtp.mailfrom=mallory@evil.test; dmarc=pass (p=NONE) header.from=evil.test";
const FROM_OWNER =
  "mx.google.com; dkim=pass header.i=@example.com; spf=pass smtp.mailfrom=alice@example.com; dmarc=pass (p=NONE) header.from=example.com";

let n = 500000;

async function trial(
  store: Store,
  fromHeader: string,
  extra: string | undefined,
  phrase: (n: number) => { subject: string; body: string },
  stamp: string,
) {
  const id = ++n;
  await store.orders.importAll([order(`ORD${id}`, OWNER)]);
  const { subject, body } = phrase(id);
  const threadId = `t-${id}`;
  const plans = [];
  // The request, then a follow-up with only the id (continues the case).
  for (const [i, text] of [body, `ORD${id}`].entries()) {
    const raw = [
      `Authentication-Results: ${stamp}`,
      `From: ${fromHeader}`,
      ...(extra ? [extra] : []),
      "To: support@shop.test",
      `Subject: ${i === 0 ? subject : `Re: ${subject}`}`,
      `Message-ID: <m${id}-${i}@mail.test>`,
      "Date: Tue, 31 Mar 2026 11:00:00 +0000",
      "",
      text,
      "",
    ].join("\r\n");
    const email = await parseEmail(new TextEncoder().encode(raw), {
      id: `g${id}-${i}`,
      threadId,
      labelIds: ["INBOX"],
    });
    const { plan } = await runRefund(store, email, {
      classification: classified(i === 0 ? "Refund" : "Other"),
      now: NOW,
      config: CONFIG,
    });
    plans.push(plan);
  }
  return { id, plans, order: await store.orders.get(`ORD${id}`) };
}

Deno.test("ownership: no phrasing or forged From header marks another customer's order", async (t) => {
  await forEachStore(t, async (store) => {
    let forged = 0;
    for (const f of FORGED) {
      for (const phrase of PHRASINGS) {
        const r = await trial(store, f.from, f.extra, phrase, FROM_EVIL);
        const where = `${f.from} / ${f.extra ?? "-"} / ${phrase(0).body}`;
        assert.equal(r.order?.refundRequestedAt, null, `marked for ${where}`);
        assert.equal(r.order?.status, "delivered", where);
        for (const p of r.plans) {
          // Another address, or this one unauthenticated: the same reply.
          assert.ok(
            ["not_owner", "unverified_sender"].includes(
              p?.decision.reason ?? "",
            ),
            `${where}: ${p?.decision.reason}`,
          );
          assert.ok(
            !p?.effects.some((e) => e.type === "mark_refund_requested"),
            where,
          );
          // Word for word the not-found reply: nothing about the order.
          assert.equal(
            (p?.decision.reply ?? "").replace(/^Hello [^,\n]*,/, "Hello X,"),
            renderTemplate("order_not_found", {
              name: "X",
              order_id: `ORD${r.id}`,
              date: "",
              days: "30",
              signature: CONFIG.signature,
              shop: CONFIG.shopName,
            }, {}),
            where,
          );
        }
        forged++;
      }
    }
    const attempts = await store.refunds.listInvalidAttempts(100_000);
    assert.equal(attempts.length, forged * 2);
    assert.ok(
      attempts.every((a) =>
        a.reason === "not_owner" || a.reason === "unverified_sender"
      ),
    );

    for (const from of GENUINE) {
      for (const phrase of PHRASINGS) {
        const r = await trial(
          store,
          from,
          `Reply-To: mallory@evil.test`,
          phrase,
          FROM_OWNER,
        );
        const where = `${from} / ${phrase(0).body}`;
        assert.equal(r.plans[0]?.decision.reason, "refund_requested", where);
        // The case is closed: an id-only follow-up is not a refund email.
        assert.equal(r.plans[1], null, where);
        assert.equal(
          r.order?.refundRequestedAt?.getTime(),
          NOW.getTime(),
          where,
        );
      }
    }
  });
});
