/**
 * The acknowledgement over the Gmail path (emulator over HTTP, both
 * stores): off by default; when on, a thread handed to a person gets
 * exactly one, in the thread, even with a second email in it, with two
 * overlapping polls, and with two messages of the thread processed at once;
 * a crash after its send sends no second one; it counts in the reply cap;
 * the conversation view shows it as the agent's acknowledgement.
 */
import assert from "node:assert/strict";
import { loadConversation } from "../../pipeline/dashboard/conversation.ts";
import { parseEmail } from "../../pipeline/mail/parse_email.ts";
import type { Store } from "../../pipeline/ports.ts";
import { processMessage } from "../../pipeline/worker/process_message.ts";
import { PROCESSED_LABEL } from "../../pipeline/worker/sync.ts";
import { ConversationPage } from "../../routes/pages/conversation_page.tsx";
import { type GmailAgent, openGmailAgent } from "../helpers/gmail_agent.ts";

const SHOP = "support@shop.example";
const PARTNER =
  "Hello, we would like to discuss a partnership with your company.";
const ACK = /A member of our team will answer within 24 hours/;

async function parsed(rfc822: string) {
  return await parseEmail(new TextEncoder().encode(rfc822), {
    id: "x",
    threadId: "x",
    labelIds: [],
  });
}

/** The agent's sent messages that are acknowledgements. */
async function acks(agent: GmailAgent) {
  const out = [];
  for (const m of await agent.emu.sent(SHOP)) {
    if (ACK.test((await parsed(m.rfc822)).text)) out.push(m);
  }
  return out;
}

for (const backend of ["kv", "postgres"] as const) {
  Deno.test(`acknowledgement (${backend}): off by default, a thread for a person gets nothing`, async () => {
    const agent = await openGmailAgent({ backend });
    try {
      await agent.emu.deliver(SHOP, {
        from: "dana@partner.test",
        subject: "Partnership",
        text: PARTNER,
      });
      const s = await agent.worker().pollOnce();
      assert.equal(s.queued, 1);
      assert.deepEqual(await agent.emu.sent(SHOP), []);
    } finally {
      await agent.close();
    }
  });

  Deno.test(`acknowledgement (${backend}): on, one per thread, in the thread, even with a second email in it; shown in the conversation view`, async () => {
    const agent = await openGmailAgent({ backend, acknowledgement: true });
    try {
      const first = await agent.emu.deliver(SHOP, {
        from: "Dana Reyes <dana@partner.test>",
        subject: "Partnership",
        text: PARTNER,
        message_id: "<first@partner.test>",
      });
      const s1 = await agent.worker().pollOnce();
      assert.deepEqual([s1.queued, s1.replied], [1, 0]);
      const sent = await agent.emu.sent(SHOP);
      assert.equal(sent.length, 1);
      const ack = sent[0]!;
      assert.equal(ack.threadId, first.threadId);
      const a = await parsed(ack.rfc822);
      assert.equal(a.to[0]?.address, "dana@partner.test");
      assert.equal(a.inReplyTo, "<first@partner.test>");
      assert.equal(a.subject, "Re: Partnership");
      assert.equal(a.headers["auto-submitted"], "auto-replied");
      assert.match(a.text, /^Hello Dana,/);
      assert.match(a.text, ACK);
      const entry = await agent.store.ledger.get(agent.account.id, first.id);
      assert.equal(entry?.decision?.action, "review");
      assert.match(entry?.decision?.acknowledgement ?? "", ACK);
      // The ledger keeps the Message-ID the agent set; Gmail may replace it
      // on the sent copy (CI runs the e2e suite both ways).
      assert.ok(entry?.replyMessageId);
      if (Deno.env.get("EMU_REWRITE_MESSAGE_IDS") !== "1") {
        assert.equal(entry.replyMessageId, a.messageId);
      }

      // The customer writes again in the thread: a person still has it,
      // and no second acknowledgement goes out (a new worker: a restart).
      const second = await agent.emu.deliver(SHOP, {
        from: "Dana Reyes <dana@partner.test>",
        subject: "Re: Partnership",
        text: "Also, do you have a wholesale price list?",
        in_reply_to: a.messageId!,
        references: ["<first@partner.test>", a.messageId!],
      });
      assert.equal(second.threadId, first.threadId);
      const s2 = await agent.worker().pollOnce();
      assert.equal(s2.queued, 1);
      assert.equal((await agent.emu.sent(SHOP)).length, 1);
      const e2 = await agent.store.ledger.get(agent.account.id, second.id);
      assert.equal(e2?.decision?.action, "review");
      assert.equal(e2?.decision?.acknowledgement, undefined);

      // The conversation view: the customer, the agent's acknowledgement
      // (marked as such), the customer again.
      const conv = await loadConversation(
        { accountId: agent.account.id, threadId: first.threadId },
        {
          store: agent.store,
          mailboxFor: (acc) => agent.mailboxes.mailboxFor(acc),
          clock: agent.clock,
        },
      );
      assert.equal(conv?.source, "gmail");
      assert.deepEqual(
        conv!.messages.map((m) => [m.author, m.acknowledgement ?? false]),
        [["customer", false], ["agent", true], ["customer", false]],
      );
      assert.match(conv!.messages[1]!.text, ACK);
      const html = String(
        await ConversationPage({ csrf: "x", conversation: conv! }),
      );
      assert.match(html, /class="badge acknowledgement">Acknowledgement</);
    } finally {
      await agent.close();
    }
  });

  Deno.test(`acknowledgement (${backend}): two overlapping polls over two emails of one thread send exactly one`, async () => {
    const agent = await openGmailAgent({ backend, acknowledgement: true });
    try {
      const first = await agent.emu.deliver(SHOP, {
        from: "dana@partner.test",
        subject: "Partnership",
        text: PARTNER,
        message_id: "<p1@partner.test>",
      });
      await agent.emu.deliver(SHOP, {
        from: "dana@partner.test",
        subject: "Re: Partnership",
        text: "human please",
        in_reply_to: "<p1@partner.test>",
        references: ["<p1@partner.test>"],
      });
      const [s1, s2] = await Promise.all([
        agent.worker().pollOnce(),
        agent.worker().pollOnce(),
      ]);
      assert.equal(s1.queued + s2.queued, 2);
      const sent = await acks(agent);
      assert.equal(sent.length, 1);
      assert.equal(sent[0]!.threadId, first.threadId);
      assert.equal((await agent.emu.sent(SHOP)).length, 1);
    } finally {
      await agent.close();
    }
  });

  Deno.test(`acknowledgement (${backend}): two messages of one thread decided at once, both planning one, send exactly one`, async () => {
    const agent = await openGmailAgent({ backend, acknowledgement: true });
    try {
      const m1 = await agent.emu.deliver(SHOP, {
        from: "dana@partner.test",
        subject: "Partnership",
        text: PARTNER,
        message_id: "<r1@partner.test>",
      });
      const m2 = await agent.emu.deliver(SHOP, {
        from: "dana@partner.test",
        subject: "Re: Partnership",
        text: "We could also talk about a joint newsletter.",
        in_reply_to: "<r1@partner.test>",
        references: ["<r1@partner.test>"],
      });
      assert.equal(m2.threadId, m1.threadId);
      // Both read the thread's acknowledgement before either claims it.
      let waiting = 0;
      let release!: () => void;
      const bothRead = new Promise<void>((r) => release = r);
      const threads = agent.store.threads;
      const store: Store = Object.assign(Object.create(agent.store), {
        threads: Object.assign(Object.create(threads), {
          acknowledgementOf: async (accountId: string, threadId: string) => {
            const v = await threads.acknowledgementOf(accountId, threadId);
            if (++waiting === 2) release();
            await bothRead;
            return v;
          },
        }),
      });
      const mailbox = agent.mailboxes.mailboxFor(agent.account);
      const label = await mailbox.ensureLabel(PROCESSED_LABEL);
      const run = (ref: { id: string; threadId: string }, workerId: string) =>
        processMessage(ref, {
          account: agent.account,
          mailbox,
          processedLabelId: label,
        }, {
          store,
          decide: agent.decideDeps,
          clock: agent.clock,
          workerId,
          claimStaleMs: 600_000,
        });
      const outcomes = await Promise.all([run(m1, "w1"), run(m2, "w2")]);
      assert.deepEqual(
        outcomes.map((o) => o.status === "processed" && o.decision.action),
        ["review", "review"],
      );
      assert.equal((await acks(agent)).length, 1);
      const entries = await Promise.all(
        [m1, m2].map((m) => agent.store.ledger.get(agent.account.id, m.id)),
      );
      // The one that lost the claim is recorded without it.
      assert.equal(
        entries.filter((e) => e?.decision?.acknowledgement !== undefined)
          .length,
        1,
      );
      assert.equal(
        entries.filter((e) => e?.replyMessageId !== null).length,
        1,
      );
    } finally {
      await agent.close();
    }
  });

  Deno.test(`acknowledgement (${backend}): a crash right after its send sends no second one`, async () => {
    const agent = await openGmailAgent({ backend, acknowledgement: true });
    try {
      const m = await agent.emu.deliver(SHOP, {
        from: "dana@partner.test",
        subject: "Partnership",
        text: PARTNER,
      });
      let crashed = false;
      const crashing = agent.worker({
        claimStaleMs: 0,
        crashAt: (step) => {
          if (step === "send_unrecorded" && !crashed) {
            crashed = true;
            throw new Error("crash");
          }
        },
      });
      await crashing.pollOnce();
      assert.ok(crashed);
      assert.equal((await acks(agent)).length, 1);
      agent.clock.advance(60 * 60_000);
      await agent.worker({ claimStaleMs: 0 }).pollOnce();
      const e = await agent.store.ledger.get(agent.account.id, m.id);
      assert.equal(e?.state, "done");
      assert.equal((await acks(agent)).length, 1);
    } finally {
      await agent.close();
    }
  });

  Deno.test(`acknowledgement (${backend}): it counts in the reply cap, and none goes out at the cap`, async () => {
    const agent = await openGmailAgent({
      backend,
      acknowledgement: true,
      maxAutoRepliesPerSender: 1,
    });
    try {
      await agent.emu.deliver(SHOP, {
        from: "dana@partner.test",
        subject: "Partnership",
        text: PARTNER,
      });
      await agent.worker().pollOnce();
      assert.equal((await acks(agent)).length, 1);
      // A question the agent would answer, in a new thread: the cap is
      // reached by the acknowledgement, so a person gets it, silently.
      const q = await agent.emu.deliver(SHOP, {
        from: "dana@partner.test",
        subject: "Shipping",
        text: "Hi, how long does standard shipping take? Thanks",
      });
      const s = await agent.worker().pollOnce();
      assert.deepEqual([s.replied, s.queued], [0, 1]);
      const e = await agent.store.ledger.get(agent.account.id, q.id);
      assert.equal(e?.decision?.reason, "rate_limited");
      assert.equal(e?.decision?.acknowledgement, undefined);
      assert.equal((await agent.emu.sent(SHOP)).length, 1);
    } finally {
      await agent.close();
    }
  });
}
