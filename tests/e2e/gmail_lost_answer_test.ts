/**
 * A send that Gmail carried out but whose answer never arrived (here: a
 * proxy swallows it and answers 503) is not repeated: before retrying a
 * send, the client asks Gmail for the reply's Message-ID.
 */
import assert from "node:assert/strict";
import { openGmailAgent } from "../helpers/gmail_agent.ts";

const SHOP = "support@shop.example";

Deno.test("Gmail send: a lost answer after a successful send does not send twice", async () => {
  let swallowed = 0;
  let proxy: Deno.HttpServer<Deno.NetAddr> | null = null;
  const agent = await openGmailAgent({
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
          if (url.pathname.endsWith("/messages/send") && swallowed === 0) {
            swallowed++;
            await res.body?.cancel();
            return Response.json({
              error: {
                code: 503,
                message: "The service is currently unavailable.",
                errors: [{
                  message: "x",
                  domain: "global",
                  reason: "backendError",
                }],
                status: "UNAVAILABLE",
              },
            }, { status: 503 });
          }
          return res;
        },
      );
      return `http://127.0.0.1:${(proxy.addr as Deno.NetAddr).port}`;
    },
  });
  try {
    await agent.worker().pollOnce();
    const m = await agent.emu.deliver(SHOP, {
      from: "x@example.net",
      subject: "Refund",
      text: "Please refund my order.",
    });
    const s = await agent.worker().pollOnce();
    assert.equal(swallowed, 1);
    assert.equal(s.errors, 0);
    assert.equal(s.replied, 1);
    const sent = await agent.emu.sent(SHOP);
    assert.equal(sent.filter((x) => x.threadId === m.threadId).length, 1);
    assert.equal((await agent.emu.calls()).calls["messages.send"], 1);
  } finally {
    await agent.close();
    await (proxy as Deno.HttpServer<Deno.NetAddr> | null)?.shutdown();
  }
});
