/**
 * Test helper for the drafts queue: a mailbox in draft mode on the
 * emulator whose agent drafted answers (the real worker, one poll).
 * @module
 */
import assert from "node:assert/strict";
import type { TestWeb } from "./web_app.ts";

/** The draft-mode mailbox. */
export const DRAFTS_MAILBOX = "support@shop.example";
const MAILBOX = DRAFTS_MAILBOX;
/** Subjects the agent answers with confidence (a number in it lowers it). */
export const SUBJECTS = [
  "Shipping time for my lamp order",
  "Shipping time for my chair order",
  "Shipping time for my rug order",
];

/** A call to the emulator's control API (GET, or POST with `body`). */
export async function emu(web: TestWeb, path: string, body?: unknown) {
  const res = await fetch(`${web.emu!.url}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(res.ok, `${path}: HTTP ${res.status}`);
  return await res.json();
}

/** Decodes base64url. */
export function b64url(s: string): Uint8Array {
  return Uint8Array.from(
    atob(s.replace(/-/g, "+").replace(/_/g, "/")),
    (c) => c.charCodeAt(0),
  );
}

/** A draft-mode mailbox whose agent drafted answers to `count` questions. */
export async function seedAgentDrafts(
  web: TestWeb,
  count: number,
): Promise<
  { accountId: string; messages: { id: string; threadId: string }[] }
> {
  const user = await emu(web, "/__emu/users", { email: MAILBOX }) as {
    refresh_token: string;
  };
  const account = await web.store.accounts.upsert({
    email: MAILBOX,
    tokens: {
      accessToken: null,
      refreshToken: user.refresh_token,
      expiryDate: null,
    },
  });
  await web.store.accounts.setReplyMode(account.id, "draft");
  await web.agent.knowledge.reindex();
  const messages = [];
  for (let i = 1; i <= count; i++) {
    messages.push(
      await emu(web, "/__emu/messages", {
        to: MAILBOX,
        from: `Customer ${i} <customer${i}@example.com>`,
        subject: SUBJECTS[i - 1],
        text:
          "Hello,\n\nI ordered a lamp yesterday. How long does standard shipping usually take?\n\nThanks",
        message_id: `<ship-${i}@example.com>`,
      }) as { id: string; threadId: string },
    );
  }
  const summary = await web.agent.pollOnce();
  const why = await web.store.ledger.listActivity({ limit: 5 });
  assert.equal(
    summary.drafted,
    count,
    JSON.stringify([summary, why.map((e) => e.decision?.reason)]),
  );
  return { accountId: account.id, messages };
}
