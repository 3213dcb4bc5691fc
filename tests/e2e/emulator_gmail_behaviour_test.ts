/**
 * The emulator behaves like Gmail where the agent can be wrong: threading
 * by threadId + References + subject (inbound too), per-user quota with
 * Google's errors and retry time, the daily limit, the two cost tables,
 * and the switches (history without labelIds, delivery to Spam, moving to
 * Spam/Trash, partial consent, client secret check, drafts.send).
 */
import assert from "node:assert/strict";
import { fakeClock } from "../helpers/gmail_agent.ts";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator.ts";

const ME = "behaviour@shop.test";
const G = "/gmail/v1/users/me";

function b64(s: string): string {
  return btoa(s).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

async function api(
  emu: TestEmulator,
  token: string,
  method: string,
  path: string,
  body?: unknown,
) {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    json: text ? JSON.parse(text) : null,
  };
}

function reply(subject: string, inReplyTo: string): string {
  return b64(
    `From: ${ME}\r\nTo: cust@example.net\r\nSubject: ${subject}\r\nIn-Reply-To: ${inReplyTo}\r\nReferences: ${inReplyTo}\r\n\r\nHello\r\n`,
  );
}

Deno.test("emulator threading: a sent reply joins the thread only with threadId, References and a matching subject", async () => {
  const emu = await startTestEmulator();
  try {
    const token = await emu.accessToken(ME);
    const m = await emu.deliver(ME, {
      from: "cust@example.net",
      subject: "Antw: Bestellung",
      text: "?",
      message_id: "<t1@example.net>",
    });
    const send = (raw: string, threadId?: string) =>
      api(emu, token, "POST", `${G}/messages/send`, { raw, threadId });
    const same = await send(
      reply("Antw: Bestellung", "<t1@example.net>"),
      m.threadId,
    );
    assert.equal(same.json.threadId, m.threadId, "subject kept: joins");
    const rewritten = await send(
      reply("Re: Bestellung", "<t1@example.net>"),
      m.threadId,
    );
    assert.notEqual(
      rewritten.json.threadId,
      m.threadId,
      "prefix removed: new thread",
    );
    const noThreadId = await send(
      reply("Re: Antw: Bestellung", "<t1@example.net>"),
    );
    assert.notEqual(
      noThreadId.json.threadId,
      m.threadId,
      "no threadId: new thread",
    );
    const noRefs = await send(
      b64(
        `From: ${ME}\r\nTo: c@example.net\r\nSubject: Re: Antw: Bestellung\r\n\r\nx`,
      ),
      m.threadId,
    );
    assert.notEqual(
      noRefs.json.threadId,
      m.threadId,
      "no References: new thread",
    );
  } finally {
    await emu.close();
  }
});

Deno.test("emulator threading: inbound mail with a changed subject starts a new thread", async () => {
  const emu = await startTestEmulator();
  try {
    const first = await emu.deliver(ME, {
      from: "cust@example.net",
      subject: "Order 1",
      text: "?",
      message_id: "<i1@example.net>",
    });
    const follow = await emu.deliver(ME, {
      from: "cust@example.net",
      subject: "Re: Order 1",
      text: "!",
      in_reply_to: "<i1@example.net>",
    });
    assert.equal(follow.threadId, first.threadId);
    const changed = await emu.deliver(ME, {
      from: "cust@example.net",
      subject: "Another question",
      text: "!",
      in_reply_to: "<i1@example.net>",
    });
    assert.notEqual(changed.threadId, first.threadId);
  } finally {
    await emu.close();
  }
});

Deno.test("emulator quota: units per user per minute are enforced with Google's errors and retry time", async () => {
  const clock = fakeClock(Date.parse("2026-11-30T10:00:00Z"));
  const emu = await startTestEmulator({ now: clock.now });
  try {
    const token = await emu.accessToken(ME);
    const m = await emu.deliver(ME, {
      from: "c@example.net",
      subject: "Q",
      text: "?",
    });
    const get = () => api(emu, token, "GET", `${G}/messages/${m.id}`);
    const q = await emu.quota({ cost_table: "current", units_per_minute: 50 });
    assert.equal(q.costs["messages.get"], 20);
    assert.equal(q.costs["threads.get"], 40);
    assert.equal((await get()).status, 200); // 20
    clock.advance(10_000);
    assert.equal((await get()).status, 200); // 40
    const refused = await get(); // 60 > 50
    assert.equal(refused.status, 429);
    assert.equal(refused.json.error.status, "RESOURCE_EXHAUSTED");
    assert.equal(
      refused.headers.get("retry-after"),
      "50",
      "the first 20 units leave the window at +60 s",
    );
    await emu.quota({ rate_limit_style: "403_user" });
    const user = await get();
    assert.equal(user.status, 403);
    assert.equal(user.json.error.errors[0].reason, "userRateLimitExceeded");
    assert.match(
      user.json.error.message,
      /Retry after 2026-11-30T10:01:00\.000Z$/,
    );
    await emu.quota({ rate_limit_style: "403_rate" });
    const rate = await get();
    assert.equal(rate.json.error.errors[0].reason, "rateLimitExceeded");
    assert.match(rate.json.error.message, /per minute per user/);
    clock.advance(50_000); // the first call left the window; refusals cost nothing
    assert.equal((await get()).status, 200);
    const calls = await emu.calls();
    assert.equal(
      calls.calls["messages.get"],
      6,
      "refused calls are counted as calls",
    );
  } finally {
    await emu.close();
  }
});

Deno.test("emulator quota: the daily limit answers dailyLimitExceeded until midnight Pacific Time", async () => {
  // 07:00 UTC is 23:00 the day before in Los Angeles (PST, UTC-8).
  const clock = fakeClock(Date.parse("2026-11-30T07:30:00Z"));
  const emu = await startTestEmulator({ now: clock.now });
  try {
    const token = await emu.accessToken(ME);
    await emu.quota({ daily_units: 2 });
    const profile = () => api(emu, token, "GET", `${G}/profile`);
    assert.equal((await profile()).status, 200);
    assert.equal((await profile()).status, 200);
    const refused = await profile();
    assert.equal(refused.status, 403);
    assert.equal(refused.json.error.errors[0].reason, "dailyLimitExceeded");
    assert.equal(refused.json.error.errors[0].domain, "usageLimits");
    clock.advance(20 * 60_000); // 07:50 UTC: still the same Pacific day
    assert.equal((await profile()).status, 403);
    clock.advance(15 * 60_000); // 08:05 UTC: a new day in Los Angeles
    assert.equal((await profile()).status, 200);
  } finally {
    await emu.close();
  }
});

Deno.test("emulator faults: a time-bound fault fails every call until it ends, with Retry-After", async () => {
  const clock = fakeClock(Date.parse("2026-11-30T10:00:00Z"));
  const emu = await startTestEmulator({ now: clock.now });
  try {
    const token = await emu.accessToken(ME);
    await emu.fault({ status: 429, for_ms: 60_000, retry_after_ms: 15_000 });
    for (let i = 0; i < 3; i++) {
      const r = await api(emu, token, "GET", `${G}/profile`);
      assert.equal(r.status, 429);
      assert.equal(r.headers.get("retry-after"), "15");
    }
    await emu.fault({
      status: 403,
      reason: "userRateLimitExceeded",
      for_ms: 90_000,
      retry_after_ms: 30_000,
    });
    clock.advance(60_000);
    const r = await api(emu, token, "GET", `${G}/profile`);
    assert.equal(r.status, 403, "the 429 fault ended, the 403 one still runs");
    assert.match(r.json.error.message, /Retry after 2026-11-30T10:01:30\.000Z/);
    clock.advance(30_000);
    assert.equal((await api(emu, token, "GET", `${G}/profile`)).status, 200);
  } finally {
    await emu.close();
  }
});

Deno.test("emulator switches: spam delivery, moves to Spam/Trash, history without labelIds", async () => {
  const emu = await startTestEmulator();
  try {
    const token = await emu.accessToken(ME);
    const start = (await api(emu, token, "GET", `${G}/profile`)).json.historyId;
    const spam = await emu.deliver(ME, {
      from: "s@example.net",
      subject: "Win",
      text: "!",
      spam: true,
    });
    const m = await emu.deliver(ME, {
      from: "c@example.net",
      subject: "Hi",
      text: "?",
    });
    assert.deepEqual((await emu.move(ME, m.id, "trash")).labelIds, [
      "UNREAD",
      "TRASH",
    ]);
    const listed = await api(emu, token, "GET", `${G}/messages`);
    assert.equal(
      listed.json.messages,
      undefined,
      "spam and trash are not listed",
    );
    const h = await api(
      emu,
      token,
      "GET",
      `${G}/history?startHistoryId=${start}`,
    );
    const added = h.json.history.flatMap((x: { messagesAdded?: unknown[] }) =>
      x.messagesAdded ?? []
    );
    assert.deepEqual(added[0].message.labelIds, ["SPAM", "UNREAD"]);
    await emu.settings({ history_label_ids: false });
    const bare = await api(
      emu,
      token,
      "GET",
      `${G}/history?startHistoryId=${start}`,
    );
    for (const rec of bare.json.history) {
      for (const a of rec.messagesAdded ?? []) {
        assert.equal(a.message.labelIds, undefined);
      }
    }
    assert.equal(spam.threadId, spam.id);
  } finally {
    await emu.close();
  }
});

Deno.test("emulator OAuth switches: partial consent grants only the ticked scopes; a wrong client secret is invalid_client", async () => {
  const emu = await startTestEmulator();
  try {
    await emu.addUser(ME);
    const send = "https://www.googleapis.com/auth/gmail.send";
    const modify = "https://www.googleapis.com/auth/gmail.modify";
    await emu.oauth({ drop_scopes: [modify] });
    const auth = new URL(`${emu.url}/o/oauth2/v2/auth`);
    for (
      const [k, v] of Object.entries({
        client_id: "cid",
        redirect_uri: "http://localhost/cb",
        response_type: "code",
        scope: `${send} ${modify}`,
        access_type: "offline",
        login_hint: ME,
      })
    ) auth.searchParams.set(k, v);
    const res = await fetch(auth, { redirect: "manual" });
    await res.body?.cancel();
    const back = new URL(res.headers.get("location")!);
    assert.equal(back.searchParams.get("scope"), send);
    const exchange = (secret: string) =>
      fetch(`${emu.url}/token`, {
        method: "POST",
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code: back.searchParams.get("code")!,
          client_id: "cid",
          client_secret: secret,
          redirect_uri: "http://localhost/cb",
        }),
      });
    await emu.oauth({ client_secret: "right" });
    const bad = await exchange("wrong");
    assert.equal(bad.status, 401);
    assert.deepEqual(await bad.json(), {
      error: "invalid_client",
      error_description: "Unauthorized",
    });
    await emu.oauth({ client_secret: null });
    const { refresh_token } = await emu.addUser(ME, [send]);
    const tok = await fetch(`${emu.url}/token`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token,
        client_id: "cid",
      }),
    }).then((r) => r.json());
    assert.equal(tok.scope, send);
    const denied = await api(emu, tok.access_token, "GET", `${G}/messages`);
    assert.equal(denied.status, 403);
    assert.equal(denied.json.error.errors[0].reason, "insufficientPermissions");
  } finally {
    await emu.close();
  }
});

Deno.test("emulator drafts.send: a draft sent from Gmail becomes SENT in its thread; after an edit it has a new id", async () => {
  const emu = await startTestEmulator();
  try {
    const token = await emu.accessToken(ME);
    const m = await emu.deliver(ME, {
      from: "cust@example.net",
      subject: "Draft me",
      text: "?",
      message_id: "<d1@example.net>",
    });
    const mk = () =>
      api(emu, token, "POST", `${G}/drafts`, {
        message: {
          raw: reply("Re: Draft me", "<d1@example.net>"),
          threadId: m.threadId,
        },
      });
    const d1 = (await mk()).json;
    const sent = await api(emu, token, "POST", `${G}/drafts/send`, {
      id: d1.id,
    });
    assert.equal(sent.status, 200);
    assert.equal(sent.json.id, d1.message.id);
    assert.equal(sent.json.threadId, m.threadId);
    assert.deepEqual(sent.json.labelIds, ["SENT"]);
    assert.deepEqual(await emu.drafts(ME), []);
    const d2 = (await mk()).json;
    const edited = await emu.sendDraft(ME, d2.id, { edited: true });
    assert.notEqual(edited.id, d2.message.id);
    assert.equal(edited.threadId, m.threadId);
    const gone = await api(emu, token, "GET", `${G}/messages/${d2.message.id}`);
    assert.equal(gone.status, 404);
    assert.equal((await emu.sent(ME)).length, 2);
  } finally {
    await emu.close();
  }
});
