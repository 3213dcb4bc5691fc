/**
 * Exactly once when the provider does not keep our Message-ID: with the
 * emulator rewriting it (`rewrite_message_ids`), a crash right after the
 * send (or draft) leaves a reply that `rfc822msgid:` cannot find; the retry
 * finds it in the thread by In-Reply-To and sends nothing again. A person's
 * own reply from Gmail counts as already answered too.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import type { CrashStep } from "../../pipeline/worker/worker.ts";
import { openGmailAgent } from "../helpers/gmail_agent.ts";

const SHOP = "support@shop.example";
const RESTART_MS = 11 * 60_000; // past the lease TTL and the stale-claim age
const STEPS: CrashStep[] = ["send_unrecorded", "send", "mark_sent"];

class Crash extends Error {}

for (const mode of ["auto", "draft"] as const) {
  Deno.test(
    `Worker crash recovery with rewritten Message-IDs (${mode}): a crash after the ${
      mode === "auto" ? "send" : "draft"
    } never duplicates the reply`,
    async (t) => {
      const agent = await openGmailAgent({ replyMode: mode });
      try {
        const { emu, store, account } = agent;
        await emu.settings({ rewrite_message_ids: true });
        assert.equal((await agent.worker().pollOnce()).errors, 0);
        const outbox = () =>
          mode === "auto" ? emu.sent(SHOP) : emu.drafts(SHOP);
        for (const [i, step] of STEPS.entries()) {
          await t.step(`crash after ${step}`, async () => {
            const orig = `<rw-${mode}-${i}@example.net>`;
            const m = await emu.deliver(SHOP, {
              from: `c${i}@example.net`,
              subject: `Refund ${i}`,
              text: "Please refund my order, I do not want it anymore.",
              message_id: orig,
            });
            let crashed = 0;
            const s1 = await agent.worker({
              crashAt: (s, gmailId) => {
                if (s === step && gmailId === m.id) {
                  crashed++;
                  throw new Crash(`crash after ${s}`);
                }
              },
            }).pollOnce();
            assert.equal(crashed, 1);
            assert.equal(s1.errors, 1);
            const first = (await outbox()).filter((x) =>
              x.threadId === m.threadId
            );
            assert.equal(first.length, 1);
            assert.match(
              first[0]!.rfc822,
              /^message-id: <CA[^>]+@mail\.gmail\.com>/im,
              "the provider replaced our Message-ID",
            );
            agent.clock.advance(RESTART_MS);
            const before = await emu.calls();
            assert.equal((await agent.worker().pollOnce()).errors, 0);
            const after = await emu.calls();
            const mine = (await outbox()).filter((x) =>
              x.threadId === m.threadId
            );
            assert.equal(mine.length, 1, `exactly one ${mode} reply`);
            const e = await store.ledger.get(account.id, m.id);
            assert.equal(e?.state, "done");
            const gmailId = mode === "auto"
              ? mine[0]!.id
              : (await emu.messages(SHOP)).find((x) =>
                x.threadId === m.threadId && x.labelIds.includes("DRAFT")
              )!.id;
            assert.equal(
              await store.threads.sentBy(
                account.id,
                gmailId,
                agent.clock.now(),
              ),
              "agent",
              "recorded as the agent's",
            );
            assert.equal(
              await store.threads.isTakenOver(account.id, m.threadId),
              false,
              "the agent's own reply is no person's takeover",
            );
            if (step !== "mark_sent") {
              // rfc822msgid: (5) found nothing, so one threads.get (10).
              assert.equal(
                after.calls["threads.get"]! -
                  (before.calls["threads.get"] ?? 0),
                1,
              );
            }
            // A third cycle finds nothing to do.
            agent.clock.advance(RESTART_MS);
            assert.equal((await agent.worker().pollOnce()).fetched, 0);
            assert.equal(
              (await outbox()).filter((x) => x.threadId === m.threadId).length,
              1,
            );
          });
        }
      } finally {
        await agent.close();
      }
    },
  );
}

Deno.test("Worker crash recovery: a person's reply from Gmail before the retry counts as answered (no agent reply on top)", async () => {
  const agent = await openGmailAgent();
  try {
    const { emu, store, account } = agent;
    await emu.settings({ rewrite_message_ids: true });
    await agent.worker().pollOnce();
    const orig = "<person-case@example.net>";
    const m = await emu.deliver(SHOP, {
      from: "jane@example.com",
      subject: "Refund",
      text: "Please refund my order, I do not want it anymore.",
      message_id: orig,
    });
    const s1 = await agent.worker({
      crashAt: (s, id) => {
        if (s === "effects" && id === m.id) throw new Crash("crash");
      },
    }).pollOnce();
    assert.equal(s1.errors, 1);
    assert.equal((await emu.sent(SHOP)).length, 0);
    // Meanwhile a person answers from Gmail.
    const rfc822 = [
      `From: ${SHOP}`,
      "To: jane@example.com",
      "Subject: Re: Refund",
      "Message-ID: <anna-1@shop.example>",
      `In-Reply-To: ${orig}`,
      `References: ${orig}`,
      "",
      "I am on it. Anna",
    ].join("\r\n");
    const res = await fetch(`${emu.url}/gmail/v1/users/me/messages/send`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${await emu.accessToken(SHOP)}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({
        raw: Buffer.from(rfc822).toString("base64url"),
        threadId: m.threadId,
      }),
    });
    assert.equal(res.status, 200);
    const person = await res.json() as { id: string };
    agent.clock.advance(RESTART_MS);
    assert.equal((await agent.worker().pollOnce()).errors, 0);
    const sent = (await emu.sent(SHOP)).filter((x) =>
      x.threadId === m.threadId
    );
    assert.deepEqual(sent.map((x) => x.id), [person.id], "only the person's");
    assert.equal((await store.ledger.get(account.id, m.id))?.state, "done");
    assert.equal(
      await store.threads.sentBy(account.id, person.id, agent.clock.now()),
      "person",
      "not recorded as the agent's",
    );
    assert.equal(await store.threads.isTakenOver(account.id, m.threadId), true);
  } finally {
    await agent.close();
  }
});

Deno.test("Gmail quota with rewritten Message-IDs: a first replied email costs 112 units, the retry after a crash 27 (one threads.get)", async () => {
  const agent = await openGmailAgent();
  try {
    const { emu } = agent;
    await emu.settings({ rewrite_message_ids: true });
    await agent.worker().pollOnce();
    const deliver = (n: number) =>
      emu.deliver(SHOP, {
        from: `u${n}@example.net`,
        subject: "Refund",
        text: "Please refund my order, I do not want it anymore.",
        message_id: `<units-${n}@example.net>`,
      });
    let before = await emu.calls();
    await deliver(1);
    assert.equal((await agent.worker().pollOnce()).replied, 1);
    let after = await emu.calls();
    // history.list 2 + messages.get 5 + messages.send 100 + modify 5.
    assert.equal(after.units - before.units, 112);
    assert.equal(after.calls["threads.get"] ?? 0, 0, "none on a first attempt");
    const m = await deliver(2);
    await agent.worker({
      crashAt: (s, id) => {
        if (s === "send" && id === m.id) throw new Crash("crash");
      },
    }).pollOnce();
    agent.clock.advance(RESTART_MS);
    before = await emu.calls();
    await agent.worker().pollOnce();
    after = await emu.calls();
    // history.list 2 + messages.get 5 + rfc822msgid: 5 + threads.get 10
    // + modify 5 (the SENT copy in history is known as the agent's: free).
    assert.equal(after.units - before.units, 27);
  } finally {
    await agent.close();
  }
});
