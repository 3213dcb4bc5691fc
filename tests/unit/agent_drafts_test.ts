import assert from "node:assert/strict";
import { silentLogger } from "../../app/ops/logger.ts";
import {
  actOnDraft,
  type DraftDeps,
  type DraftMailbox,
  listDrafts,
} from "../../pipeline/dashboard/agent_drafts.ts";
import { replyMessageId } from "../../pipeline/mail/compose_reply.ts";
import { AppError } from "../../pipeline/errors.ts";
import {
  type DraftReview,
  MessageGoneError,
  type SentBy,
} from "../../pipeline/ports.ts";
import type { Account, AuditEvent, LedgerEntry } from "../../pipeline/types.ts";

const NOW = new Date("2026-03-02T10:00:00Z");

const ORIGINAL = [
  "From: Maria Lopez <maria@example.com>",
  "To: support@shop.example",
  "Subject: Where is my parcel?",
  "Message-ID: <parcel-1@example.com>",
  "Date: Mon, 02 Mar 2026 09:00:00 +0000",
  "Content-Type: text/plain; charset=utf-8",
  "",
  "It has been ten days. Where is my parcel?",
  "",
].join("\r\n");

const AGENT_TEXT = "Parcels arrive within 5 working days.";

async function entry(): Promise<LedgerEntry> {
  return {
    accountId: "acc-1",
    gmailId: "g-1",
    threadId: "t-1",
    state: "done",
    claimedBy: null,
    claimedAt: NOW,
    decision: {
      category: "Question",
      confidence: 0.9,
      action: "draft",
      reply: AGENT_TEXT,
      sources: [],
      order_id: null,
      importance: null,
      reason: "answered",
    },
    effects: [],
    replyMessageId: await replyMessageId("acc-1", "g-1", "shop.example"),
    sender: "m***@example.com",
    senderAddress: "maria@example.com",
    subject: "Where is my parcel?",
    error: null,
    updatedAt: NOW,
  };
}

/** Fakes of every port; the mailbox behaves as Gmail does with drafts. */
async function fakes() {
  const account: Account = {
    id: "acc-1",
    email: "support@shop.example",
    status: "active",
    statusReason: null,
    replyMode: "draft",
    sandbox: false,
    createdAt: NOW,
    lastSyncAt: null,
    lastError: null,
  };
  const e = await entry();
  const reviews = new Map<string, DraftReview>();
  const sentBy = new Map<string, SentBy>();
  const review = (a: string, g: string) =>
    reviews.get(`${a}:${g}`) ?? { text: null, outcome: null };
  const audit: AuditEvent[] = [];
  const leases = new Map<string, string>();
  const calls: string[] = [];
  // Gmail's drafts: id → the draft message's raw text.
  const drafts = new Map<string, string>([[
    "r1",
    `Message-ID: ${e.replyMessageId}\r\n\r\n${AGENT_TEXT}`,
  ]]);
  const sent: { raw: string; threadId: string }[] = [];
  const dec = new TextDecoder();
  const draftWith = (messageId: string) =>
    [...drafts].find(([, raw]) => raw.includes(`Message-ID: ${messageId}`));
  const mailbox = {
    getRaw: (id) => {
      calls.push(`getRaw:${id}`);
      return Promise.resolve({
        raw: new TextEncoder().encode(ORIGINAL),
        threadId: "t-1",
        labelIds: ["INBOX"],
      });
    },
    findDraft: (messageId) => {
      calls.push("findDraft");
      const d = draftWith(messageId);
      return Promise.resolve(
        d ? { draftId: d[0], messageId: "m-" + d[0], threadId: "t-1" } : null,
      );
    },
    updateDraft: (draftId, raw, threadId) => {
      calls.push(`updateDraft:${draftId}`);
      if (!drafts.has(draftId)) {
        return Promise.reject(new MessageGoneError("404"));
      }
      drafts.set(draftId, dec.decode(raw));
      return Promise.resolve({ draftId, messageId: "m2", threadId });
    },
    sendDraft: (draftId) => {
      calls.push(`sendDraft:${draftId}`);
      const raw = drafts.get(draftId);
      if (raw === undefined) {
        return Promise.reject(new MessageGoneError("404"));
      }
      drafts.delete(draftId);
      sent.push({ raw, threadId: "t-1" });
      return Promise.resolve({ id: "sent-1", threadId: "t-1" });
    },
    deleteDraft: (draftId) => {
      calls.push(`deleteDraft:${draftId}`);
      if (!drafts.delete(draftId)) {
        return Promise.reject(new MessageGoneError("404"));
      }
      return Promise.resolve();
    },
  } satisfies DraftMailbox;
  const deps = {
    store: {
      ledger: {
        get: (a, g) =>
          Promise.resolve(a === e.accountId && g === e.gmailId ? e : null),
        listActivity: (f) =>
          Promise.resolve(f.action === "draft" || !f.action ? [e] : []),
      },
      drafts: {
        get: (a, g) => Promise.resolve(review(a, g)),
        saveText: (a, g, text) => {
          reviews.set(`${a}:${g}`, { ...review(a, g), text });
          return Promise.resolve();
        },
        close: (a, g, outcome) => {
          if (review(a, g).outcome) return Promise.resolve(false);
          reviews.set(`${a}:${g}`, { ...review(a, g), outcome });
          return Promise.resolve(true);
        },
      },
      threads: {
        recordSent: ({ accountId, gmailId, by }) => {
          sentBy.set(`${accountId}:${gmailId}`, by);
          return Promise.resolve();
        },
      },
      accounts: {
        get: (id) => Promise.resolve(id === account.id ? account : null),
      },
      audit: { add: (a) => (audit.push(a), Promise.resolve()) },
      leases: {
        acquire: (name, owner) => {
          if (leases.has(name)) return Promise.resolve(false);
          leases.set(name, owner);
          return Promise.resolve(true);
        },
        release: (name, owner) => {
          if (leases.get(name) === owner) leases.delete(name);
          return Promise.resolve();
        },
      },
    },
    clock: { now: () => NOW },
    logger: silentLogger,
    mailboxFor: () => mailbox,
  } satisfies DraftDeps;
  return {
    deps,
    reviews,
    sentBy,
    audit,
    calls,
    drafts,
    sent,
    leases,
    entry: e,
  };
}

const send = (text: string) => ({
  accountId: "acc-1",
  gmailId: "g-1",
  action: "send" as const,
  text,
  actor: "admin",
});

Deno.test("actOnDraft: an edited draft is updated in Gmail then sent in the thread, recorded with who sent it, and leaves the queue", async () => {
  const f = await fakes();
  const ref = await actOnDraft(
    send("Your parcel left on Friday; it arrives Monday."),
    f.deps,
  );
  assert.deepEqual(ref, { id: "sent-1", threadId: "t-1" });
  assert.deepEqual(f.calls, [
    "findDraft",
    "getRaw:g-1",
    "updateDraft:r1",
    "sendDraft:r1",
  ]);
  assert.equal(f.sent.length, 1);
  const raw = f.sent[0]?.raw ?? "";
  assert.match(raw, /Your parcel left on Friday; it arrives Monday\./);
  assert.match(raw, /^In-Reply-To: <parcel-1@example\.com>/m);
  assert.match(raw, new RegExp(`^Message-ID: ${f.entry.replyMessageId}`, "m"));
  assert.doesNotMatch(raw, /Auto-Submitted/);
  assert.deepEqual(f.reviews.get("acc-1:g-1")?.outcome, {
    status: "sent",
    actor: "admin",
    at: NOW,
    sentId: "sent-1",
  });
  assert.equal(f.sentBy.get("acc-1:sent-1"), "agent");
  assert.equal(f.audit[0]?.action, "draft_sent");
  const queue = await listDrafts(f.deps.store);
  assert.equal(queue.open.length, 0);
  assert.equal(queue.handled[0]?.outcome?.actor, "admin");
});

Deno.test("actOnDraft: a second send of the same draft is refused and sends nothing", async () => {
  const f = await fakes();
  await actOnDraft(send(AGENT_TEXT), f.deps);
  f.calls.length = 0;
  await assert.rejects(
    actOnDraft(send(AGENT_TEXT), f.deps),
    (e) =>
      e instanceof AppError && e.code === "conflict" &&
      /already sent from the dashboard by admin/.test(e.message),
  );
  assert.deepEqual(f.calls, []);
  assert.equal(f.sent.length, 1);
});

Deno.test("actOnDraft: the unchanged draft is sent as it is, without an update", async () => {
  const f = await fakes();
  await actOnDraft(send(AGENT_TEXT + "\r\n"), f.deps);
  assert.deepEqual(f.calls, ["findDraft", "sendDraft:r1"]);
});

Deno.test("actOnDraft: a draft sent or deleted in Gmail is not sent again and leaves the queue", async () => {
  const f = await fakes();
  f.drafts.clear();
  await assert.rejects(
    actOnDraft(send("Edited"), f.deps),
    (e) =>
      e instanceof AppError && e.code === "conflict" &&
      /already sent or deleted in Gmail/.test(e.message),
  );
  assert.deepEqual(f.calls, ["findDraft"]);
  assert.equal(f.sent.length, 0);
  const queue = await listDrafts(f.deps.store);
  assert.equal(queue.open.length, 0);
  assert.equal(queue.handled[0]?.outcome?.status, "gone");
});

Deno.test("actOnDraft: a draft that disappears between the lookup and the send is reported gone, not sent", async () => {
  const f = await fakes();
  const mailbox = await f.deps.mailboxFor();
  const real = mailbox.sendDraft;
  mailbox.sendDraft = (id) => (f.drafts.delete(id), real(id));
  await assert.rejects(
    actOnDraft(send(AGENT_TEXT), f.deps),
    /already sent or deleted in Gmail/,
  );
  assert.equal(f.sent.length, 0);
});

Deno.test("actOnDraft: while another request holds the draft, a submit is refused without a Gmail call", async () => {
  const f = await fakes();
  f.leases.set("draft:acc-1:g-1", "other");
  await assert.rejects(
    actOnDraft(send(AGENT_TEXT), f.deps),
    (e) => e instanceof AppError && e.code === "conflict",
  );
  assert.deepEqual(f.calls, []);
  f.leases.clear();
  await actOnDraft(send(AGENT_TEXT), f.deps);
  assert.equal(f.sent.length, 1);
  assert.equal(f.leases.size, 0);
});

Deno.test("actOnDraft: save updates the Gmail draft and the queue shows the saved text; nothing is sent", async () => {
  const f = await fakes();
  const r = await actOnDraft(
    { ...send("Saved for later."), action: "save" },
    f.deps,
  );
  assert.equal(r, null);
  assert.match(f.drafts.get("r1")!, /Saved for later\./);
  assert.equal(f.sent.length, 0);
  const queue = await listDrafts(f.deps.store);
  assert.equal(queue.open[0]?.text, "Saved for later.");
  assert.equal(queue.open[0]?.edited, true);
  assert.equal(f.audit[0]?.action, "draft_saved");
});

Deno.test("actOnDraft: discard deletes the Gmail draft and records who discarded it", async () => {
  const f = await fakes();
  await actOnDraft({ ...send(""), action: "discard" }, f.deps);
  assert.equal(f.drafts.size, 0);
  assert.equal(f.sent.length, 0);
  const queue = await listDrafts(f.deps.store);
  assert.equal(queue.open.length, 0);
  assert.equal(queue.handled[0]?.outcome?.status, "discarded");
  assert.equal(queue.handled[0]?.outcome?.actor, "admin");
  await assert.rejects(
    actOnDraft(send(AGENT_TEXT), f.deps),
    /discarded by admin/,
  );
});

Deno.test("actOnDraft: an empty or too long draft is refused before any Gmail call", async () => {
  const f = await fakes();
  await assert.rejects(
    actOnDraft(send("  \n "), f.deps),
    (e) => e instanceof AppError && e.code === "invalid_input",
  );
  await assert.rejects(
    actOnDraft(send("x".repeat(20_001)), f.deps),
    /too long/,
  );
  assert.deepEqual(f.calls, []);
});

Deno.test("actOnDraft: Gmail failing is 'unavailable' and records nothing", async () => {
  const f = await fakes();
  const mailbox = await f.deps.mailboxFor();
  mailbox.sendDraft = () => Promise.reject(new Error("HTTP 500"));
  await assert.rejects(
    actOnDraft(send(AGENT_TEXT), f.deps),
    (e) => e instanceof AppError && e.code === "unavailable",
  );
  assert.equal(f.reviews.get("acc-1:g-1")?.outcome ?? null, null);
  assert.equal((await listDrafts(f.deps.store)).open.length, 1);
});
