import assert from "node:assert/strict";
import { detectEscalation } from "../../pipeline/refund/escalation.ts";
import {
  fromHeaderIsAmbiguous,
  normaliseAddress,
  senderOwnsOrder,
} from "../../pipeline/refund/ownership.ts";
import {
  DEFAULT_TEMPLATES,
  parseRefundTemplates,
  renderTemplate,
  TEMPLATE_NAMES,
} from "../../pipeline/refund/templates.ts";
import {
  FROM_STATES,
  nextState,
  REFUND_EVENTS,
  TABLE,
} from "../../pipeline/refund/transitions.ts";
import { greetingName } from "../../pipeline/refund/refund_plan.ts";
import type { ParsedEmail } from "../../pipeline/types.ts";

Deno.test("transition table: every state has a row for every event", () => {
  for (const from of FROM_STATES) {
    for (const ev of REFUND_EVENTS) {
      const tr = TABLE[from][ev];
      assert.ok(tr, `${from} × ${ev}`);
      assert.equal(tr.action === "reply", tr.template !== null);
      if (tr.mark) assert.equal(tr.to, "requested");
    }
  }
});

Deno.test("transition table: escalated is sticky and silent", () => {
  for (const ev of REFUND_EVENTS) {
    const tr = nextState({ state: "escalated" }, ev);
    assert.deepEqual(
      [tr.to, tr.action, tr.template, tr.mark, tr.review],
      ["escalated", "review", null, false, true],
    );
  }
});

Deno.test("transition table: the main rows", () => {
  const row = (
    s: Parameters<typeof nextState>[0],
    e: typeof REFUND_EVENTS[number],
  ) => {
    const tr = nextState(s, e);
    return `${tr.to}/${tr.action}/${tr.template}/${tr.reason}/${tr.mark}/${tr.review}`;
  };
  assert.equal(
    row(null, "missing_order_id"),
    "awaiting_order_id/reply/ask_order_id/awaiting_order_id/false/false",
  );
  assert.equal(
    row({ state: "awaiting_order_id" }, "missing_order_id"),
    "awaiting_order_id/reply/ask_order_id_again/awaiting_order_id/false/false",
  );
  assert.equal(
    row({ state: "awaiting_order_id" }, "eligible"),
    "requested/reply/refund_requested/refund_requested/true/false",
  );
  assert.equal(
    row(null, "over_limit"),
    "escalated/reply/over_limit/over_limit/false/true",
  );
  assert.equal(
    row({ state: "rejected_not_found" }, "too_many_invalid_attempts"),
    "escalated/review/null/too_many_invalid_attempts/false/true",
  );
  assert.equal(
    row({ state: "requested" }, "escalation"),
    "escalated/review/null/null/false/true",
  );
});

Deno.test("detectEscalation() catches threats, fraud words, anger and a human ask", async (t) => {
  const yes: Array<[string, string]> = [
    ["My lawyer will hear about this", "legal:lawyer"],
    ["I will sue you", "legal:will sue"],
    ["see you in court", "legal:court"],
    ["I'm taking legal action", "legal:legal action"],
    ["I'll do a chargeback", "fraud:chargeback"],
    ["this is a scam", "fraud:scam"],
    ["This is unacceptable", "tone:unacceptable"],
    ["I WANT MY MONEY BACK RIGHT NOW", "tone:caps"],
    ["where is it!!!", "tone:exclamations"],
    ["I want to speak to a human", "human:human"],
    ["Can I talk to your manager?", "human:manager"],
    ["let me speak with a real person", "human:person"],
    ["human", "human:human"],
  ];
  for (const [text, signal] of yes) {
    await t.step(
      text,
      () => assert.equal(detectEscalation(text)?.signal, signal),
    );
  }
  const no = [
    "Hi, this is Sue from accounting, refund ORD123 please",
    "Thanks for the courtesy, refund ORD123",
    "Please refund ORD12345, it arrived damaged",
    "The scampi was cold", // "scam" inside a word
    "I'm a human resources manager at ACME", // no ask to speak to one
  ];
  for (const text of no) {
    await t.step(
      `not: ${text}`,
      () => assert.equal(detectEscalation(text), null),
    );
  }
});

/** An email whose From Gmail authenticated (DMARC pass) unless `auth` says. */
const email = (
  from: string,
  headers: Record<string, string> = {},
  auth = [
    `mx.google.com; dmarc=pass header.from=${
      from.trim().split("@")[1]?.toLowerCase()
    }`,
  ],
) =>
  ({
    from: { address: from, name: "" },
    headers,
    authenticationResults: auth,
  }) as unknown as ParsedEmail;

Deno.test("ownership: only the normalised From address counts", () => {
  assert.equal(normaliseAddress("  <Alice@Example.COM> "), "alice@example.com");
  assert.ok(senderOwnsOrder(email(" ALICE@example.com "), "alice@Example.com"));
  assert.ok(
    !senderOwnsOrder(email("alice+shop@example.com"), "alice@example.com"),
  );
  assert.ok(
    !senderOwnsOrder(email("alice@example.com.evil.test"), "alice@example.com"),
  );
  assert.ok(!senderOwnsOrder(email(""), "alice@example.com"));
  assert.ok(
    !senderOwnsOrder(
      email("alice@example.com", {
        from: "alice@example.com, mallory@evil.test",
      }),
      "alice@example.com",
    ),
  );
  assert.ok(
    !senderOwnsOrder(
      email("alice@example.com", {}, ["mx.google.com; dmarc=fail (p=NONE)"]),
      "alice@example.com",
    ),
  );
  assert.ok(
    !senderOwnsOrder(email("alice@example.com", {}, []), "alice@example.com"),
    "no Authentication-Results proves nothing",
  );
  assert.ok(fromHeaderIsAmbiguous("<alice@example.com> <mallory@evil.test>"));
  assert.ok(
    !fromHeaderIsAmbiguous('"Smith, Alice (alice@x)" <alice@example.com>'),
  );
  assert.ok(!fromHeaderIsAmbiguous("alice@example.com (Alice @ home)"));
});

Deno.test("templates: not_found and not_owner read the same; defaults leak no internals", () => {
  const vars = {
    name: "Alice",
    order_id: "ORD1",
    date: "2026-01-02",
    days: "30",
    signature: "Team",
    shop: "Shop",
  };
  assert.equal(
    renderTemplate("order_not_found", vars, {}),
    renderTemplate("not_owner", vars, {}),
  );
  for (const name of TEMPLATE_NAMES) {
    const text = renderTemplate(name, vars, {});
    assert.doesNotMatch(text, /\{\w+\}/, name);
    assert.doesNotMatch(
      text,
      /limit|status:|customer_email|another customer|amount|belongs/i,
      name,
    );
    assert.doesNotMatch(
      text,
      /ORD\d/i.test(DEFAULT_TEMPLATES[name]) ? /x^/ : /ORD\d{3}/,
      name,
    );
  }
  assert.equal(
    renderTemplate("refund_requested", vars, {
      refund_requested: "Hi {name}: {order_id} {nope}",
    }),
    "Hi Alice: ORD1 {nope}",
  );
});

Deno.test("parseRefundTemplates() reports unknown names and placeholders at once", () => {
  assert.deepEqual(parseRefundTemplates('{"ask_order_id":"Hi {name}"}'), {
    ask_order_id: "Hi {name}",
  });
  assert.throws(
    () => parseRefundTemplates('{"ask_order":"x","not_owner":"{amount}"}'),
    /unknown template "ask_order".*unknown placeholder \{amount\}/,
  );
  assert.throws(() => parseRefundTemplates("[1]"), /JSON object/);
  assert.throws(() => parseRefundTemplates("{"), /not valid JSON/);
});

Deno.test("greetingName() greets by a plain first name only", () => {
  assert.equal(greetingName("Alice Smith"), "Alice");
  assert.equal(greetingName('"alice@example.com"'), "there");
  assert.equal(greetingName(""), "there");
  assert.equal(greetingName("<script>"), "there");
  assert.equal(greetingName("José"), "José");
});

Deno.test("detectEscalation() hears 'I want a manager' but not a job title", () => {
  assert.equal(
    detectEscalation("I want a manager now")?.signal,
    "human:manager",
  );
  assert.equal(
    detectEscalation("I need a human to look at this")?.signal,
    "human:human",
  );
  assert.equal(detectEscalation("I need a human resources contact"), null);
});
