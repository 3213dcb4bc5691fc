/**
 * Two "Poll now" clicks over real HTTP while a cycle runs: the app served
 * on a real port, the real emulator, the real worker. Every waiting email
 * is answered exactly once, and nothing recorded as `review` is replied to.
 */
import assert from "node:assert/strict";
import { openTestWeb, signIn } from "../helpers/web_app.ts";

const MAILBOX = "support@shop.example";
const EMAILS = 24;

for (const backend of ["kv", "postgres"] as const) {
  Deno.test(
    `Poll now clicked twice (${backend}): every waiting email is answered once, none twice`,
    async () => {
      const web = await openTestWeb({ backend });
      const server = Deno.serve(
        { hostname: "127.0.0.1", port: 0, onListen: () => {} },
        web.app.fetch,
      );
      try {
        const { jar, csrf } = await signIn(web);
        const emu = web.emu!;
        const user = await (await fetch(`${emu.url}/__emu/users`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: MAILBOX }),
        })).json() as { refresh_token: string };
        await web.store.accounts.upsert({
          email: MAILBOX,
          tokens: {
            accessToken: null,
            refreshToken: user.refresh_token,
            expiryDate: null,
          },
        });
        for (let i = 0; i < EMAILS; i++) {
          const res = await fetch(`${emu.url}/__emu/messages`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              to: MAILBOX,
              from: `Customer ${i} <c${i}@example.com>`,
              subject: `Shipping question ${i}`,
              text: "How long does standard shipping take?",
            }),
          });
          assert.ok(res.ok);
          await res.body?.cancel();
        }
        const origin = `http://127.0.0.1:${server.addr.port}`;
        const click = () =>
          fetch(`${origin}/playground/poll`, {
            method: "POST",
            headers: { cookie: jar.header() },
            body: new URLSearchParams({ _csrf: csrf }),
          }).then(async (r) => {
            await r.body?.cancel();
            return r.status;
          });
        // The second click arrives while the first cycle is running.
        const statuses = await Promise.all([click(), click()]);
        assert.deepEqual(statuses, [200, 200]);

        const sent = await (await fetch(
          `${emu.url}/__emu/sent?user=${encodeURIComponent(MAILBOX)}`,
        )).json() as { threadId: string }[];
        const perThread = new Map<string, number>();
        for (const m of sent) {
          perThread.set(m.threadId, (perThread.get(m.threadId) ?? 0) + 1);
        }
        const duplicates = [...perThread.values()].reduce(
          (n, c) => n + Math.max(0, c - 1),
          0,
        );
        assert.equal(
          duplicates,
          0,
          `no email answered twice (${sent.length} replies sent)`,
        );
        const activity = await web.store.ledger.listActivity({ limit: 500 });
        assert.equal(activity.length, EMAILS);
        const replied = activity.filter((e) => e.decision?.action === "reply");
        assert.equal(
          sent.length,
          replied.length,
          "one reply per reply decision",
        );
      } finally {
        await server.shutdown();
        await web.close();
      }
    },
  );
}
