/**
 * What a full sync deliberately leaves (unanswered inbox mail older than
 * INITIAL_SYNC_DAYS) is counted and shown on the Accounts page, never
 * skipped silently.
 */
import assert from "node:assert/strict";
import { openTestWeb, signIn } from "../helpers/web_app.ts";

const MAILBOX = "support@shop.example";

async function emuPost(url: string, path: string, body: unknown) {
  const res = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  assert.ok(res.ok, `${path}: HTTP ${res.status}`);
  return await res.json();
}

Deno.test("Accounts page: inbox mail older than the full sync's window is counted and shown", async () => {
  const web = await openTestWeb({ env: { INITIAL_SYNC_DAYS: "3" } });
  try {
    const { jar, csrf } = await signIn(web);
    const emu = web.emu!.url;
    const user = await emuPost(emu, "/__emu/users", { email: MAILBOX }) as {
      refresh_token: string;
    };
    await web.store.accounts.upsert({
      email: MAILBOX,
      tokens: {
        accessToken: null,
        refreshToken: user.refresh_token,
        expiryDate: null,
      },
    });
    const now = web.clock.now().getTime();
    for (const daysAgo of [10, 20, 1]) {
      await emuPost(emu, "/__emu/messages", {
        to: MAILBOX,
        from: `c${daysAgo}@example.com`,
        subject: `Question from ${daysAgo} days ago`,
        text: "How long does standard shipping take?",
        date: new Date(now - daysAgo * 86_400_000).toISOString(),
      });
    }
    const poll = await web.app.request("/playground/poll", {
      method: "POST",
      headers: { cookie: jar.header() },
      body: new URLSearchParams({ _csrf: csrf }),
    });
    assert.equal(poll.status, 200);
    await poll.body?.cancel();
    assert.equal(
      (await web.store.ledger.listActivity({})).length,
      1,
      "only the email inside the window is handled",
    );
    const page = await (await web.app.request("/accounts", {
      headers: { cookie: jar.header() },
    })).text();
    assert.match(
      page,
      /2 unanswered inbox email\(s\) older than 3 day\(s\) were left out of the first sync/,
    );
  } finally {
    await web.close();
  }
});
