/**
 * Test helper: a mailbox connected on the emulator with a customer email
 * in its inbox and a review item for it (as after a poll).
 * @module
 */
import assert from "node:assert/strict";
import type { TestWeb } from "./web_app.ts";

/** The seeded mailbox. */
export const MAILBOX = "support@shop.example";

async function emuPost(web: TestWeb, path: string, body: unknown) {
  const res = await fetch(`${web.emu!.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  assert.ok(res.ok, `${path}: HTTP ${res.status}`);
  return await res.json();
}

/** A connected account, a customer email in its inbox, and a review item for it. */
export async function seedReviewItem(web: TestWeb) {
  const user = await emuPost(web, "/__emu/users", { email: MAILBOX }) as {
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
  const msg = await emuPost(web, "/__emu/messages", {
    to: MAILBOX,
    from: "Maria Lopez <maria@example.com>",
    subject: "My parcel arrived broken",
    text: "The vase I ordered came in pieces. What can you do?",
    message_id: "<broken-vase@example.com>",
  }) as { id: string; threadId: string };
  // The worker has seen the inbox up to here (as after a poll).
  const profile = await web.agent.accountDeps.mailboxes.mailboxFor(account)
    .getProfile();
  await web.store.cursors.set(account.id, profile.historyId);
  const item = await web.store.review.add({
    accountId: account.id,
    gmailId: msg.id,
    threadId: msg.threadId,
    sender: "m***@example.com",
    subject: "My parcel arrived broken",
    excerpt: "The vase I ordered came in pieces. What can you do?",
    category: "Other",
    importance: 4,
    importanceReasons: ["damaged item"],
    reason: "low_confidence",
  }, web.clock.now());
  return { account, msg, item };
}
