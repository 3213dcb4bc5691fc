/**
 * The Gmail path end to end over real HTTP against the emulator: delivered
 * mail is answered once, threaded, labelled; a second poll sends nothing;
 * a follow-up in the thread continues the refund case.
 */
import assert from "node:assert/strict";
import { parseEmail } from "../../pipeline/mail/parse_email.ts";
import type { ParsedEmail } from "../../pipeline/types.ts";
import { openGmailAgent } from "../helpers/gmail_agent.ts";

const SHOP = "support@shop.example";

async function parseRaw(rfc822: string): Promise<ParsedEmail> {
  return await parseEmail(new TextEncoder().encode(rfc822), {
    id: "x",
    threadId: "x",
    labelIds: [],
  });
}

for (const backend of ["kv", "postgres"] as const) {
  Deno.test(`Gmail flow (${backend}): replies are sent once, threaded and labelled`, async (t) => {
    const agent = await openGmailAgent({ backend });
    try {
      const { emu } = agent;
      const worker = agent.worker();
      const jane = await emu.deliver(SHOP, {
        from: "Jane Doe <jane@example.com>",
        subject: "Refund please",
        text: "Hello, I would like a refund for my order. Thanks, Jane",
      });
      const bob = await emu.deliver(SHOP, {
        from: "bob@example.org",
        subject: "=?UTF-8?Q?Re:_R=C3=BCckerstattung?= ORD10002",
        text: "Please refund order ORD10002, it arrived broken.",
      });
      const question = await emu.deliver(SHOP, {
        from: "Carl <carl@example.net>",
        subject: "Tracking",
        text: "Hi, how do I track my order?\nThanks, Carl",
      });
      const other = await emu.deliver(SHOP, {
        from: "partner@agency.example",
        subject: "Partnership",
        text:
          "We are a marketing agency and would like to discuss a collaboration.",
      });
      await emu.deliver(SHOP, {
        from: "news@brand.example",
        subject: "Our weekly deals",
        text: "Big sale!",
        headers: {
          "List-Id": "<deals.brand.example>",
          "List-Unsubscribe": "<mailto:u@brand.example>",
        },
      });

      await t.step(
        "the first poll answers refunds and the question, queues the rest, ignores the newsletter",
        async () => {
          const s = await worker.pollOnce();
          assert.deepEqual(s, {
            accounts: 1,
            fetched: 5,
            replied: 3,
            drafted: 0,
            queued: 1,
            ignored: 1,
            errors: 0,
          });
          const q = await agent.store.ledger.get(agent.account.id, question.id);
          assert.equal(q?.decision?.category, "Question");
          assert.equal(q?.decision?.reason, "answered");
          assert.ok(
            q?.decision?.sources.some((x) =>
              x.startsWith("knowledge_base/tracking.md")
            ),
          );
          const review = await agent.store.review.list({
            accountId: agent.account.id,
          });
          assert.deepEqual(review.map((r) => r.gmailId), [other.id]);
        },
      );

      const sent = await emu.sent(SHOP);
      await t.step("replies are threaded with correct headers", async () => {
        assert.equal(sent.length, 3);
        const inbox = await emu.messages(SHOP);
        for (const orig of [jane, bob, question]) {
          const reply = sent.find((m) => m.threadId === orig.threadId);
          assert.ok(reply, `a reply in thread ${orig.threadId}`);
          const o = inbox.find((m) => m.id === orig.id)!;
          const op = await parseRaw(o.rfc822);
          const rp = await parseRaw(reply.rfc822);
          assert.equal(rp.inReplyTo, op.messageId);
          assert.deepEqual(rp.references, [...op.references, op.messageId]);
          assert.match(rp.subject, /^Re: (?!.*Re:)/);
          assert.equal(rp.from?.address, SHOP);
          assert.equal(rp.to[0]?.address, op.from?.address);
          // Gmail may give the reply its own Message-ID (CI runs this with
          // EMU_REWRITE_MESSAGE_IDS=1 too).
          assert.match(
            rp.messageId ?? "",
            emu.emulator.state.flags.rewriteMessageIds
              ? /^<CA[^@]+@mail\.gmail\.com>$/
              : /^<agent-[0-9a-f]{32}@shop\.example>$/,
          );
        }
        const bobReply = await parseRaw(
          sent.find((m) => m.threadId === bob.threadId)!.rfc822,
        );
        assert.equal(bobReply.subject, "Re: Rückerstattung ORD10002");
      });

      await t.step(
        "every handled message carries the Agent/Processed label",
        async () => {
          const inbox = await emu.messages(SHOP);
          const res = await fetch(`${emu.url}/gmail/v1/users/me/labels`, {
            headers: { authorization: `Bearer ${await emu.accessToken(SHOP)}` },
          });
          const labels = (await res.json()).labels as {
            id: string;
            name: string;
          }[];
          const processed = labels.find((l) => l.name === "Agent/Processed");
          assert.ok(processed);
          const inbound = inbox.filter((m) => !m.labelIds.includes("SENT"));
          assert.equal(inbound.length, 5);
          for (const m of inbound) {
            assert.ok(m.labelIds.includes(processed.id), m.id);
          }
        },
      );

      await t.step(
        "the ledger holds each message as done with its decision",
        async () => {
          const e = await agent.store.ledger.get(agent.account.id, bob.id);
          assert.equal(e?.state, "done");
          assert.equal(e?.decision?.category, "Refund");
          assert.equal(e?.decision?.order_id, "ORD10002");
          const order = await agent.store.orders.get("ORD10002");
          assert.ok(order?.refundRequestedAt);
        },
      );

      await t.step("a second poll sends nothing", async () => {
        const s = await worker.pollOnce();
        assert.deepEqual(s, {
          accounts: 1,
          fetched: 0,
          replied: 0,
          drafted: 0,
          queued: 0,
          ignored: 0,
          errors: 0,
        });
        assert.equal((await emu.sent(SHOP)).length, 3);
      });

      await t.step(
        "a follow-up in the thread brings the order id and continues the case",
        async () => {
          const ourReply = await parseRaw(
            sent.find((m) => m.threadId === jane.threadId)!.rfc822,
          );
          const follow = await emu.deliver(SHOP, {
            from: "Jane Doe <jane@example.com>",
            subject: "Re: Refund please",
            text:
              "Sure, it is ORD10001.\n\nOn Tue, Support wrote:\n> Could you send your order number?",
            in_reply_to: ourReply.messageId!,
            references: [...ourReply.references, ourReply.messageId!],
          });
          assert.equal(follow.threadId, jane.threadId);
          const s = await worker.pollOnce();
          assert.equal(s.fetched, 1);
          assert.equal(s.replied, 1);
          const all = await emu.sent(SHOP);
          assert.equal(all.length, 4);
          const third = all.find((m) => !sent.some((x) => x.id === m.id))!;
          assert.equal(third.threadId, jane.threadId);
          const e = await agent.store.ledger.get(agent.account.id, follow.id);
          assert.equal(e?.decision?.order_id, "ORD10001");
          const c = await agent.store.refunds.getCase(
            agent.account.id,
            jane.threadId,
          );
          assert.equal(c?.state, "requested");
        },
      );
    } finally {
      await agent.close();
    }
  });
}
