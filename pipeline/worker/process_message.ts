/**
 * One email, exactly once: claim it in the ledger, decide (or reuse the
 * recorded decision), record the decision and the reply's Message-ID, apply
 * the effects, send or draft the reply (or the acknowledgement of a review
 * decision, once the thread's one is claimed) unless Gmail already has it
 * (`rfc822msgid:`, else a reply to it in the thread: earlier_reply.ts),
 * mark it sent, label it and mark it done. A crash at any
 * step is recovered by the next cycle without a second reply.
 * @module
 */
import { type Logger, maskAddress } from "../log.ts";
import { applyEffects } from "./apply_effects.ts";
import {
  composeReply,
  domainOf,
  replyMessageId,
} from "../mail/compose_reply.ts";
import { recipientKind, replyRecipientKey } from "../decide/reply_cap.ts";
import { parseEmail } from "../mail/parse_email.ts";
import { planEmail, type PlanServices } from "../decide/plan_email.ts";
import {
  type Clock,
  LabelMissingError,
  type Mailbox,
  MessageGoneError,
  type MessageRef,
  type Store,
} from "../ports.ts";
import type { Account, Decision, Effect, ParsedEmail, Plan } from "../types.ts";
import { findEarlierReplies } from "./earlier_reply.ts";
import { outgoingOf } from "./outgoing.ts";
import { withoutAcknowledgement } from "../decide/acknowledge.ts";
import { isOwnSent, noteSentMessage } from "./sent_messages.ts";

/** Points where a test can inject a crash, in processing order. */
export type CrashStep =
  | "claim"
  | "decide"
  | "effects"
  /** The reply is in Gmail but not yet recorded as the agent's. */
  | "send_unrecorded"
  | "send"
  | "mark_sent"
  | "label"
  | "done";

/** What processing one message needs. */
export interface ProcessDeps {
  store: Store;
  decide: PlanServices;
  clock: Clock;
  /** Where the model step logs when it falls back. Default: silent. */
  logger?: Logger;
  workerId: string;
  /** A claim older than this is taken over (crash recovery). */
  claimStaleMs: number;
  /** The account lease this attempt holds: claims are fenced by it. */
  lease?: string;
  /** Throws when the cycle must stop (deadline, lost lease); called before the claim and the send. */
  checkLive?: () => Promise<void>;
  /** Test hook: throws to simulate a crash right after `step`. */
  crashAt?: (step: CrashStep, gmailId: string) => void;
}

/** How one message ended. */
export type MessageOutcome =
  | { status: "skipped"; why: "done" | "busy" | "gone" | "not_in_inbox" }
  /** `sent`: this attempt sent (or drafted) the reply; false when none was due or an earlier one was found. */
  | { status: "processed"; decision: Decision; sent: boolean };

/** Processes one message of `account`. Throws on failure (nothing is lost: the claim stays). */
export async function processMessage(
  ref: MessageRef,
  ctx: {
    account: Account;
    mailbox: Mailbox;
    processedLabelId: string;
    /** Looks the label up again (it was deleted in Gmail); returns its new id. */
    relabel?: () => Promise<string>;
  },
  deps: ProcessDeps,
): Promise<MessageOutcome> {
  const { account, mailbox } = ctx;
  const { store, clock } = deps;
  const crash = (step: CrashStep) => deps.crashAt?.(step, ref.id);

  await deps.checkLive?.();
  const claim = await store.ledger.claim({
    accountId: account.id,
    gmailId: ref.id,
    threadId: ref.threadId,
    workerId: deps.workerId,
    now: clock.now(),
    staleAfterMs: deps.claimStaleMs,
    lease: deps.lease,
  });
  if (claim.status !== "claimed") {
    return { status: "skipped", why: claim.status };
  }
  crash("claim");

  const prior = claim.entry;
  let got;
  try {
    got = await mailbox.getRaw(ref.id);
  } catch (err) {
    if (!(err instanceof MessageGoneError)) throw err;
    // Deleted in Gmail before we could read it: nothing left to answer.
    await store.ledger.markDone(
      account.id,
      ref.id,
      clock.now(),
      "gmail_not_found",
    );
    return { status: "skipped", why: "gone" };
  }
  const email = await parseEmail(got.raw, {
    id: ref.id,
    threadId: got.threadId,
    labelIds: got.labelIds,
  });

  // Our own sent mail is never processed (a SENT copy can reach INBOX).
  if (got.labelIds.includes("SENT") || got.labelIds.includes("DRAFT")) {
    const own = { ...ref, threadId: got.threadId, labelIds: got.labelIds };
    if (isOwnSent(own)) {
      // Listed without its labels: it may still be a person's reply.
      await noteSentMessage(own, { account, mailbox }, {
        store,
        now: clock.now(),
      }, { messageId: email.messageId });
    }
    await recordOwn(email, account, deps);
    return { status: "processed", decision: ownDecision(), sent: false };
  }

  // Mail in Spam or Trash, or no longer in the inbox, is never answered.
  // The message's own labels decide (history records may carry none).
  if (!isInInbox(got.labelIds) && prior.state !== "sent") {
    await store.ledger.markDone(
      account.id,
      ref.id,
      clock.now(),
      "not_in_inbox",
    );
    return { status: "skipped", why: "not_in_inbox" };
  }

  let plan: Plan;
  let replyId: string | null;
  if (prior.decision !== null) {
    // A retry: reuse what was decided; never decide again after a send.
    plan = { decision: prior.decision, effects: prior.effects };
    replyId = prior.replyMessageId;
  } else {
    plan = await decideFor(email, account, mailbox, deps);
    replyId = await recordPlan(email, account, plan, deps);
  }
  crash("decide");

  const applied = await applyEffects(plan.effects, {
    store,
    now: clock.now(),
  });
  if (applied.conflict) {
    if (prior.state === "sent") {
      throw new Error(`effects of message ${ref.id} conflict after its send`);
    }
    // Another worker changed the thread's state: decide once more.
    plan = await decideFor(email, account, mailbox, deps);
    replyId = await recordPlan(email, account, plan, deps);
    const again = await applyEffects(plan.effects, {
      store,
      now: clock.now(),
    });
    if (again.conflict) {
      throw new Error(`effects of message ${ref.id} conflict twice`);
    }
  }
  crash("effects");

  let out = outgoingOf(plan.decision);
  if (out?.acknowledgement && prior.state !== "sent") {
    // One acknowledgement per thread: another message of it may have it.
    const ours = await store.threads.claimAcknowledgement({
      accountId: account.id,
      threadId: email.threadId,
      gmailId: email.id,
      at: clock.now(),
    });
    if (!ours) {
      plan = withoutAcknowledgement(plan);
      replyId = await recordPlan(email, account, plan, deps);
      out = null;
    }
  }
  let sent = false;
  if (out && prior.state !== "sent") {
    if (replyId === null || out.text === null) {
      throw new Error(`decision for message ${ref.id} has no reply to send`);
    }
    // Only a retry can find an earlier send: a first attempt saves the call.
    const existing = prior.decision !== null
      ? await findEarlierReplies(email, replyId, out.mode, {
        accountId: account.id,
        mailbox,
        threads: store.threads,
        now: clock.now(),
      })
      : [];
    if (existing.length === 0) {
      const reply = await composeReply({
        account,
        original: email,
        text: out.text,
        now: clock.now(),
        autoSubmitted: out.mode === "reply",
        recipient: recipientKind(plan.decision.category),
      });
      if (reply.messageId !== replyId) {
        throw new Error(`reply Message-ID of message ${ref.id} changed`);
      }
      await deps.checkLive?.();
      const made = out.mode === "reply"
        ? await mailbox.send(reply.raw, reply.threadId)
        : await mailbox.createDraft(reply.raw, reply.threadId);
      sent = true;
      crash("send_unrecorded");
      // Known as ours when history shows it: never a person's takeover.
      await store.threads.recordSent({
        accountId: account.id,
        gmailId: made.id,
        by: "agent",
        at: clock.now(),
      });
    } else {
      // Already answered (by us, or by a person: never twice).
      for (const m of existing.filter((x) => x.ours)) {
        await store.threads.recordSent({
          accountId: account.id,
          gmailId: m.id,
          by: "agent",
          at: clock.now(),
        });
      }
    }
    crash("send");
    await store.ledger.markSent(account.id, ref.id, clock.now());
    crash("mark_sent");
  }

  try {
    await mailbox.addLabels(ref.id, [ctx.processedLabelId]);
  } catch (err) {
    if (err instanceof MessageGoneError) {
      // The message was deleted in Gmail meanwhile: nothing to label.
    } else if (err instanceof LabelMissingError && ctx.relabel) {
      // A label deleted in Gmail is refused: create it again, once.
      await mailbox.addLabels(ref.id, [await ctx.relabel()]);
    } else throw err;
  }
  crash("label");
  await store.ledger.markDone(account.id, ref.id, clock.now());
  crash("done");
  return { status: "processed", decision: plan.decision, sent };
}

/** True when the labels put a message in the inbox (not Spam, not Trash). */
export function isInInbox(labelIds: readonly string[]): boolean {
  return labelIds.includes("INBOX") && !labelIds.includes("SPAM") &&
    !labelIds.includes("TRASH");
}

async function decideFor(
  email: ParsedEmail,
  account: Account,
  mailbox: Mailbox,
  deps: ProcessDeps,
): Promise<Plan> {
  return await planEmail(email, { account, now: deps.clock.now(), mailbox }, {
    ...deps.decide,
    store: deps.store,
    logger: deps.logger,
  });
}

/** Records the plan (and the reply's Message-ID, before any send). */
async function recordPlan(
  email: ParsedEmail,
  account: Account,
  plan: Plan,
  deps: ProcessDeps,
): Promise<string | null> {
  const replyId = outgoingOf(plan.decision) !== null
    ? await replyMessageId(account.id, email.id, domainOf(account.email))
    : null;
  await deps.store.ledger.recordDecision(account.id, email.id, {
    decision: plan.decision,
    effects: plan.effects,
    replyMessageId: replyId,
    ...senderFields(email),
    // Counted by the reply cap: where this reply goes (reply_cap.ts).
    recipientAddress: replyId === null
      ? null
      : replyRecipientKey(email, plan.decision.category),
    now: deps.clock.now(),
  });
  return replyId;
}

function senderFields(email: ParsedEmail) {
  const address = email.from?.address.toLowerCase() ?? null;
  return {
    sender: address ? maskAddress(address) : null,
    senderAddress: address,
    subject: email.subject,
  };
}

function ownDecision(): Decision {
  return {
    category: "Other",
    confidence: 1,
    action: "ignore",
    reply: null,
    sources: [],
    order_id: null,
    importance: null,
    reason: "own_address",
  };
}

/** Records our own message as ignored and done (no label: it is not inbound). */
async function recordOwn(
  email: ParsedEmail,
  account: Account,
  deps: ProcessDeps,
): Promise<void> {
  const now = deps.clock.now();
  const effects: Effect[] = [];
  await deps.store.ledger.recordDecision(account.id, email.id, {
    decision: ownDecision(),
    effects,
    replyMessageId: null,
    ...senderFields(email),
    now,
  });
  await deps.store.ledger.markDone(account.id, email.id, now);
}
