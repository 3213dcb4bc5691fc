/**
 * A send (or draft) that Gmail carried out but whose answer never arrived
 * (a proxy swallows it and answers 503) is not repeated even when the
 * provider replaced our Message-ID (the emulator's `rewrite_message_ids`):
 * the client's retry finds the message in the thread by its In-Reply-To.
 */
import assert from "node:assert/strict";
import { openGmailAgent } from "../helpers/gmail_agent.ts";

const SHOP = "support@shop.example";

const UNAVAILABLE = {
  error: {
    code: 503,
    message: "The service is currently unavailable.",
    errors: [{ message: "x", domain: "global", reason: "backendError" }],
    status: "UNAVAILABLE",
  },
};

for (const mode of ["auto", "draft"] as const) {
  const path = mode === "auto" ? "/messages/send" : "/drafts";
  const method = mode === "auto" ? "messages.send" : "drafts.create";
  Deno.test(`Gmail ${method}: a lost answer with a rewritten Message-ID does not create a second copy`, async () => {
    let swallowed = 0;
    let proxy: Deno.HttpServer<Deno.NetAddr> | null = null;
    const agent = await openGmailAgent({
      replyMode: mode,
      googleBaseUrl: (target) => {
        proxy = Deno.serve(
          { port: 0, hostname: "127.0.0.1", onListen: () => {} },
          async (req) => {
            const url = new URL(req.url);
            const res = await fetch(target + url.pathname + url.search, {
              method: req.method,
              headers: req.headers,
              body: req.body,
            });
            if (
              req.method === "POST" && url.pathname.endsWith(path) &&
              swallowed === 0
            ) {
              swallowed++;
              await res.body?.cancel();
              return Response.json(UNAVAILABLE, { status: 503 });
            }
            return res;
          },
        );
        return `http://127.0.0.1:${(proxy.addr as Deno.NetAddr).port}`;
      },
    });
    try {
      const { emu } = agent;
      await emu.settings({ rewrite_message_ids: true });
      await agent.worker().pollOnce();
      const m = await emu.deliver(SHOP, {
        from: "x@example.net",
        subject: "Refund",
        text: "Please refund my order.",
        message_id: "<lost-1@example.net>",
      });
      const s = await agent.worker().pollOnce();
      assert.equal(swallowed, 1);
      assert.equal(s.errors, 0);
      const outbox = mode === "auto" ? await emu.sent(SHOP) : await emu.drafts(
        SHOP,
      );
      const mine = outbox.filter((x) => x.threadId === m.threadId);
      assert.equal(mine.length, 1);
      assert.match(
        mine[0]!.rfc822,
        /^message-id: <CA[^>]+@mail\.gmail\.com>/im,
      );
      const calls = (await emu.calls()).calls;
      assert.equal(calls[method], 1);
      assert.equal(calls["threads.get"], 1, "one look at the thread");
    } finally {
      await agent.close();
      await (proxy as Deno.HttpServer<Deno.NetAddr> | null)?.shutdown();
    }
  });
}
