/**
 * The context loader only reads: a takeover found on an earlier thread of
 * the conversation (the customer changed the subject, Gmail started a new
 * thread) comes back as `takeoverInherited`, and the mark is copied to the
 * new thread when the worker applies the plan's effects, not while loading.
 */
import assert from "node:assert/strict";
import { textEmail } from "../../eval/text_email.ts";
import { decide } from "../../pipeline/decide/decide.ts";
import {
  type ContextStores,
  loadDecideContext,
} from "../../pipeline/decide/load_context.ts";
import type { Store } from "../../pipeline/ports.ts";
import { applyEffects } from "../../pipeline/worker/apply_effects.ts";
import { decideConfig } from "../helpers/gmail_agent.ts";
import { understandingForTests } from "../helpers/gmail_understanding.ts";
import { openKvTestStore } from "../helpers/stores.ts";

const NOW = new Date("2026-11-30T12:00:00Z");
const LATER = new Date("2026-11-30T12:05:00Z");

/** The store methods that only read, by port. */
const READS: Record<string, string[]> = {
  ledger: ["countRepliesTo", "countRepliesAddressedTo", "countFrom", "get"],
  review: ["openForThread", "get", "list"],
  refunds: ["getCase", "countInvalidAttempts"],
  orders: ["get"],
  threads: ["isTakenOver", "sentBy"],
};

/**
 * `store` where any method not in `READS` throws: a write (or an unknown
 * call) made through it fails the test, naming the call.
 */
function readOnly(store: Store): ContextStores {
  const port = (name: string) => {
    const real = store[name as keyof Store] as unknown as Record<
      string,
      (...a: unknown[]) => unknown
    >;
    return new Proxy(real, {
      get: (target, method) => {
        const m = String(method);
        if (!(READS[name] ?? []).includes(m)) {
          return () => {
            throw new Error(`the loader called store.${name}.${m}`);
          };
        }
        return target[m]!.bind(target);
      },
    });
  };
  return new Proxy({} as ContextStores, {
    get: (_t, name) => port(String(name)),
  });
}

Deno.test("loadDecideContext() writes nothing; a takeover found on the renamed conversation's old thread is copied when the plan is applied", async () => {
  const s = await openKvTestStore();
  try {
    const u = await understandingForTests();
    const config = decideConfig();
    const account = await s.store.accounts.upsert({
      email: "support@shop.example",
      tokens: { accessToken: null, refreshToken: "x", expiryDate: null },
    });
    // A person answered in the old thread (marked then).
    await s.store.threads.markTakenOver(account.id, "old-thread", NOW);
    // The customer answers that person under a new subject: a new thread.
    const email = textEmail("Thanks Anna. Also, how do I track my order?", {
      id: "new-1",
      threadId: "new-1",
      subject: "Another question about my order",
      inReplyTo: "<human@mail.gmail.com>",
      references: ["<human@mail.gmail.com>"],
      labelIds: ["INBOX"],
    });
    const mailbox = {
      getThread: () => Promise.resolve([]),
      findByMessageId: (id: string) =>
        Promise.resolve(
          id === "<human@mail.gmail.com>"
            ? [{ id: "h1", threadId: "old-thread" }]
            : [],
        ),
    };

    const ctx = await loadDecideContext(email, {
      account,
      now: NOW,
      mailbox,
    }, { classifier: u.classifier, config, store: readOnly(s.store) });
    assert.equal(ctx.humanTakeover, true);
    assert.equal(ctx.takeoverInherited, true);
    assert.equal(
      await s.store.threads.isTakenOver(account.id, "new-1"),
      false,
      "loading marked nothing",
    );

    const plan = await decide(email, ctx, {
      retriever: u.retriever,
      config,
    });
    assert.equal(plan.decision.reason, "human_takeover");
    assert.deepEqual(plan.effects.filter((e) => e.type === "mark_taken_over"), [
      { type: "mark_taken_over", accountId: account.id, threadId: "new-1" },
    ]);

    await applyEffects(plan.effects, { store: s.store, now: LATER });
    assert.equal(await s.store.threads.isTakenOver(account.id, "new-1"), true);

    // From then on the new thread is taken over on its own mark.
    const next = textEmail("Any news?", {
      id: "new-2",
      threadId: "new-1",
      subject: "Re: Another question about my order",
      labelIds: ["INBOX"],
    });
    const again = await loadDecideContext(next, {
      account,
      now: LATER,
      mailbox: {
        getThread: () => Promise.resolve([]),
        findByMessageId: () => Promise.resolve([]),
      },
    }, { classifier: u.classifier, config, store: readOnly(s.store) });
    assert.deepEqual([again.humanTakeover, again.takeoverInherited], [
      true,
      false,
    ]);
  } finally {
    await s.close();
  }
});

Deno.test("loadDecideContext() writes nothing for an email with no takeover anywhere", async () => {
  const s = await openKvTestStore();
  try {
    const u = await understandingForTests();
    const config = decideConfig();
    const account = await s.store.accounts.upsert({
      email: "support@shop.example",
      tokens: { accessToken: null, refreshToken: "x", expiryDate: null },
    });
    const email = textEmail("Please refund ORD10001, it arrived broken.", {
      id: "r-1",
      threadId: "r-1",
      subject: "Refund",
      inReplyTo: "<earlier@example.com>",
      labelIds: ["INBOX"],
    });
    const ctx = await loadDecideContext(email, {
      account,
      now: NOW,
      mailbox: {
        getThread: () => Promise.resolve([]),
        findByMessageId: () =>
          Promise.resolve([{ id: "e1", threadId: "other-thread" }]),
      },
    }, { classifier: u.classifier, config, store: readOnly(s.store) });
    assert.deepEqual([ctx.humanTakeover, ctx.takeoverInherited], [
      false,
      false,
    ]);
    const plan = await decide(email, ctx, { retriever: u.retriever, config });
    assert.equal(
      plan.effects.some((e) => e.type === "mark_taken_over"),
      false,
    );
  } finally {
    await s.close();
  }
});
