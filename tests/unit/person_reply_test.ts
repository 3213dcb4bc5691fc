import assert from "node:assert/strict";
import { silentLogger } from "../../app/ops/logger.ts";
import { AppError } from "../../pipeline/errors.ts";
import {
  dashboardMessageId,
  type PersonReplyDeps,
  type PersonReplyMailbox,
  sendPersonReply,
} from "../../pipeline/dashboard/person_reply.ts";
import type {
  Account,
  AccountStatus,
  AuditEvent,
  ReviewItem,
} from "../../pipeline/types.ts";

const NOW = new Date("2026-03-02T10:00:00Z");

const ORIGINAL = [
  "From: Maria Lopez <maria@example.com>",
  "To: support@shop.example",
  "Subject: My parcel arrived broken",
  "Message-ID: <broken-vase@example.com>",
  "Date: Mon, 02 Mar 2026 09:00:00 +0000",
  "Content-Type: text/plain; charset=utf-8",
  "",
  "The vase I ordered came in pieces. What can you do?",
  "",
].join("\r\n");

function reviewItem(over: Partial<ReviewItem> = {}): ReviewItem {
  return {
    id: "rev-1",
    accountId: "acc-1",
    gmailId: "g-1",
    threadId: "t-1",
    sender: "m***@example.com",
    subject: "My parcel arrived broken",
    excerpt: "The vase I ordered came in pieces.",
    category: "Other",
    importance: 4,
    importanceReasons: [],
    reason: "low_confidence",
    status: "pending",
    assignee: null,
    note: null,
    createdAt: NOW,
    updatedAt: NOW,
    ...over,
  };
}

/** Fakes of every port, recording what was written and sent. */
function fakes(opts: {
  status?: AccountStatus;
  earlier?: string[];
  sendFails?: boolean;
  noAccount?: boolean;
} = {}) {
  const account: Account = {
    id: "acc-1",
    email: "support@shop.example",
    status: opts.status ?? "active",
    statusReason: null,
    replyMode: null,
    sandbox: false,
    createdAt: NOW,
    lastSyncAt: null,
    lastError: null,
  };
  const sent: { raw: string; threadId: string }[] = [];
  /** What the reply recorded in the thread state, in order. */
  const marks: string[] = [];
  const audit: AuditEvent[] = [];
  const items = new Map([["rev-1", reviewItem()]]);
  const mailbox = {
    getRaw: (id) =>
      Promise.resolve({
        raw: new TextEncoder().encode(ORIGINAL),
        threadId: id === "g-1" ? "t-1" : "other",
        labelIds: ["INBOX"],
      }),
    findByMessageId: () =>
      Promise.resolve(
        (opts.earlier ?? []).map((id) => ({ id, threadId: "t-1" })),
      ),
    send: (raw, threadId) => {
      if (opts.sendFails) return Promise.reject(new Error("HTTP 500"));
      sent.push({ raw: new TextDecoder().decode(raw), threadId });
      return Promise.resolve({ id: "sent-1", threadId });
    },
  } satisfies PersonReplyMailbox;
  const deps = {
    store: {
      accounts: {
        get: (id) =>
          Promise.resolve(
            opts.noAccount ? null : id === account.id ? account : null,
          ),
      },
      review: {
        openForThread: (accountId, threadId) =>
          Promise.resolve(
            [...items.values()].filter((i) =>
              i.accountId === accountId && i.threadId === threadId &&
              i.status !== "resolved"
            ),
          ),
        update: (id, patch) => {
          const i = items.get(id);
          if (!i) return Promise.resolve(null);
          Object.assign(i, patch);
          return Promise.resolve(i);
        },
      },
      audit: {
        add: (e) => {
          audit.push(e);
          return Promise.resolve();
        },
      },
      threads: {
        recordSent: (r) => {
          marks.push(
            `sent:${r.accountId}:${r.gmailId}:${r.by}:${r.at.toISOString()}`,
          );
          return Promise.resolve();
        },
        markTakenOver: (accountId, threadId, at) => {
          marks.push(`takeover:${accountId}:${threadId}:${at.toISOString()}`);
          return Promise.resolve();
        },
      },
    },
    clock: { now: () => NOW },
    logger: silentLogger,
    mailboxFor: () => mailbox,
  } satisfies PersonReplyDeps;
  return { deps, sent, marks, audit, items };
}

async function refused(p: Promise<unknown>, code: string, msg: RegExp) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AppError, String(e));
    assert.equal(e.code, code);
    assert.match(e.message, msg);
    return true;
  });
}

Deno.test("sendPersonReply() sends in the thread with a person's Message-ID, marks the takeover and resolves the item", async () => {
  const f = fakes();
  const ref = await sendPersonReply({
    item: reviewItem(),
    text: "Sorry, Maria.\r\nA new vase is on its way.\r\n",
    actor: "admin",
  }, f.deps);
  assert.deepEqual(ref, { id: "sent-1", threadId: "t-1" });
  assert.equal(f.sent.length, 1);
  const raw = f.sent[0]!.raw;
  assert.equal(f.sent[0]!.threadId, "t-1");
  const id = await dashboardMessageId("acc-1", "g-1", "support@shop.example");
  assert.match(id, /^<dashboard-[0-9a-f]{32}@shop\.example>$/);
  assert.ok(raw.includes(`Message-ID: ${id}\r\n`), raw);
  assert.ok(raw.includes("In-Reply-To: <broken-vase@example.com>"));
  assert.ok(
    raw.includes("To: maria@example.com") ||
      /To: .*maria@example\.com/.test(raw),
  );
  assert.ok(raw.includes("A new vase is on its way."));
  assert.doesNotMatch(raw, /Auto-Submitted/i, "a person's reply");
  assert.deepEqual(f.marks, [
    `sent:acc-1:sent-1:person:${NOW.toISOString()}`,
    `takeover:acc-1:t-1:${NOW.toISOString()}`,
  ]);
  assert.equal(f.items.get("rev-1")!.status, "resolved");
  assert.deepEqual(f.audit.map((e) => e.action), [
    "review.resolved_by_reply",
    "review_replied",
  ]);
  assert.deepEqual(f.audit[1]!.detail, {
    accountId: "acc-1",
    threadId: "t-1",
    sentId: "sent-1",
    to: "from",
  });
});

Deno.test("sendPersonReply() refuses an empty or too long reply and sends nothing", async () => {
  const f = fakes();
  await refused(
    sendPersonReply({ item: reviewItem(), text: " \r\n ", actor: "a" }, f.deps),
    "invalid_input",
    /empty/,
  );
  await refused(
    sendPersonReply(
      { item: reviewItem(), text: "x".repeat(20_001), actor: "a" },
      f.deps,
    ),
    "invalid_input",
    /at most 20000 characters, current length is 20001/,
  );
  assert.equal(f.sent.length, 0);
});

Deno.test("sendPersonReply() refuses a resolved item, a gone mailbox and one that needs reconnecting", async () => {
  await refused(
    sendPersonReply({
      item: reviewItem({ status: "resolved" }),
      text: "hi",
      actor: "a",
    }, fakes().deps),
    "conflict",
    /already resolved/,
  );
  await refused(
    sendPersonReply(
      { item: reviewItem(), text: "hi", actor: "a" },
      fakes({ noAccount: true }).deps,
    ),
    "not_found",
    /no longer connected/,
  );
  const f = fakes({ status: "needs_reconnect" });
  await refused(
    sendPersonReply({ item: reviewItem(), text: "hi", actor: "a" }, f.deps),
    "conflict",
    /reconnected/,
  );
  assert.equal(f.sent.length, 0);
});

Deno.test("sendPersonReply() sends nothing when the same reply is already in the mailbox (double submit)", async () => {
  const f = fakes({ earlier: ["sent-0"] });
  await refused(
    sendPersonReply({ item: reviewItem(), text: "hi", actor: "a" }, f.deps),
    "conflict",
    /already sent from the dashboard/,
  );
  assert.equal(f.sent.length, 0);
  assert.equal(f.items.get("rev-1")!.status, "pending");
});

Deno.test("sendPersonReply() when Gmail refuses, says nothing was sent and marks nothing", async () => {
  const f = fakes({ sendFails: true });
  await refused(
    sendPersonReply({ item: reviewItem(), text: "hi", actor: "a" }, f.deps),
    "unavailable",
    /Nothing was sent/,
  );
  assert.deepEqual(f.marks, []);
  assert.equal(f.items.get("rev-1")!.status, "pending");
  assert.deepEqual(f.audit, []);
});
