/**
 * One email, exactly once. A new email: fetch it, read its records and
 * context in one round trip (`store.emails.snapshot`), decide, claim it
 * with the decision, the reply's Message-ID and its review item in one
 * atomic write (`emails.begin`, before any effect or send), apply the
 * other effects, send or draft the reply (or the acknowledgement of a
 * review decision, once the thread's one is claimed), label it, and mark it
 * done with the reply's sent marker in one atomic write (`emails.finish`). A retry
 * (a decision is recorded) claims first, reuses the decision and sends only
 * unless Gmail already has the reply (`rfc822msgid:`, else a reply to it
 * in the thread: earlier_reply.ts). A crash at any step is recovered by
 * the next cycle without a second reply.
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
import { contextKeys } from "../decide/load_context.ts";
import {
  type BeginResult,
  type Clock,
  LabelMissingError,
  LeaseLostError,
  type Mailbox,
  MessageGoneError,
  type MessageRef,
  type NewReviewItem,
  type Store,
} from "../ports.ts";
import type {
  Account,
  Category,
  Decision,
  Effect,
  LedgerEntry,
  ParsedEmail,
  Plan,
} from "../types.ts";
import { findEarlierReplies } from "./earlier_reply.ts";
import { outgoingOf } from "./outgoing.ts";
import { withoutAcknowledgement } from "../decide/acknowledge.ts";
import type { Lookahead } from "./lookahead.ts";
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
  /** The cycle's lookahead: the snapshot reads upcoming entries along. */
  lookahead?: Pick<Lookahead, "wanted" | "add">;
  /**
   * Waits until no other message sharing one of `keys` (the reply cap's
   * sender and recipients) is being handled, in listing order; the worker
   * frees them when the message is finished.
   */
  serialize?: (keys: string[]) => Promise<void>;
}

/** Upcoming entries one snapshot is offered to read along. */
const ALSO_PEEK = 3;

/** How one message ended. */
export type MessageOutcome =
  | { status: "skipped"; why: "done" | "busy" | "gone" | "not_in_inbox" }
  /** `sent`: this attempt sent (or drafted) the reply; false when none was due or an earlier one was found. */
  | { status: "processed"; decision: Decision; sent: boolean };

/** Where one message is processed. */
export interface MessageContext {
  account: Account;
  mailbox: Mailbox;
  processedLabelId: string;
  /** Looks the label up again (it was deleted in Gmail); returns its new id. */
  relabel?: () => Promise<string>;
}

/** A message as Gmail gave it (`Mailbox.getRaw`). */
type Fetched = Awaited<ReturnType<Mailbox["getRaw"]>>;

/** Times `begin` may find its reads changed before the email fails. */
const MAX_BEGIN_TRIES = 5;

/**
 * Processes one message of `account`. Throws on failure (nothing is lost:
 * the claim stays). `peeked` is its ledger entry as `store.emails.peek`
 * found it, if any: an entry with a decision is a retry.
 *
 * A message seen for the first time takes three store round trips: the
 * message is fetched, one read gives its records and context
 * (`emails.snapshot`), one write claims it with its decision and review
 * item (`emails.begin`, before any effect or send), and after the send and
 * the label one write marks it done with the reply's sent marker
 * (`emails.finish`). A retry (a decision exists) claims first and reuses it.
 */
export async function processMessage(
  ref: MessageRef,
  ctx: MessageContext,
  deps: ProcessDeps,
  peeked?: { entry: LedgerEntry } | null,
): Promise<MessageOutcome> {
  if (peeked && peeked.entry.decision !== null) {
    return await processClaimFirst(ref, ctx, deps);
  }
  const { account, mailbox } = ctx;
  const { store, clock } = deps;
  const crash = (step: CrashStep) => deps.crashAt?.(step, ref.id);

  let started: Started | MessageOutcome;
  try {
    started = await startFresh(ref, ctx, deps);
  } catch (err) {
    // Failed before its claim: claimed now, so the worker's back-off and
    // failure count apply to it as to any failed email.
    await store.ledger.claim({
      accountId: account.id,
      gmailId: ref.id,
      threadId: ref.threadId,
      workerId: deps.workerId,
      now: clock.now(),
      staleAfterMs: deps.claimStaleMs,
      lease: deps.lease,
    }).catch(() => {});
    throw err;
  }
  if ("status" in started) return started;
  const { email, begun } = started;
  let { plan, replyId } = started;
  crash("claim");
  crash("decide");

  const step = { email, account, mailbox, ref };
  if (onlyReview(plan.effects) === null && plan.effects.length > 0) {
    ({ plan, replyId } = await applyPlanEffects(step, { plan, replyId }, {
      afterSend: false,
    }, deps));
  }
  crash("effects");

  ({ plan, replyId } = await claimAcknowledgement(
    step,
    { plan, replyId },
    deps,
  ));
  const out = outgoingOf(plan.decision);
  let sentId: string | null = null;
  if (out) {
    if (replyId === null || out.text === null) {
      throw new Error(`decision for message ${ref.id} has no reply to send`);
    }
    const made = await sendOutgoing(
      { account, email, text: out.text, mode: out.mode, replyId },
      plan.decision.category,
      { mailbox, checkLive: deps.checkLive, now: clock.now() },
    );
    sentId = made.id;
    crash("send_unrecorded");
    crash("send");
    crash("mark_sent");
  }

  try {
    await label(ref, ctx);
  } catch (err) {
    if (sentId !== null) {
      // The reply exists: a retry must know it without asking Gmail.
      await recordSentState(account.id, ref.id, sentId, deps).catch(() => {});
    }
    throw err;
  }
  crash("label");
  await store.emails.finish({
    accountId: account.id,
    gmailId: ref.id,
    now: clock.now(),
    agentSentIds: sentId === null ? [] : [sentId],
    token: begun.token,
  });
  crash("done");
  return {
    status: "processed",
    decision: plan.decision,
    sent: sentId !== null,
  };
}

/** A fresh message claimed with its decision (`emails.begin`). */
interface Started {
  email: ParsedEmail;
  plan: Plan;
  replyId: string | null;
  begun: Extract<BeginResult, { status: "claimed" }>;
}

/**
 * Fetches a message, reads its records and context in one read, decides
 * and claims it with the decision in one write; or hands it to the old
 * order (a decision exists, it is not inbound mail), or skips it.
 */
async function startFresh(
  ref: MessageRef,
  ctx: MessageContext,
  deps: ProcessDeps,
): Promise<Started | MessageOutcome> {
  const { account, mailbox } = ctx;
  const { store, clock } = deps;
  await deps.checkLive?.();
  let got: Fetched;
  try {
    got = await mailbox.getRaw(ref.id);
  } catch (err) {
    if (!(err instanceof MessageGoneError)) throw err;
    return await processClaimFirst(ref, ctx, deps, "gone");
  }
  if (
    got.labelIds.includes("SENT") || got.labelIds.includes("DRAFT") ||
    !isInInbox(got.labelIds)
  ) {
    // Our own mail, or mail no longer in the inbox: recorded, not decided.
    return await processClaimFirst(ref, ctx, deps, got);
  }
  const email = await parseEmail(got.raw, {
    id: ref.id,
    threadId: got.threadId,
    labelIds: got.labelIds,
  });
  const keys = contextKeys(email);
  // Two replies to one sender or recipient never count on one stale count.
  await deps.serialize?.(
    [keys.capSender, keys.sender, ...keys.capRecipients].filter((k) =>
      k !== null
    ),
  );

  for (let tries = 1;; tries++) {
    const now = clock.now();
    const offered = deps.lookahead?.wanted(ALSO_PEEK);
    const snap = await store.emails.snapshot({
      accountId: account.id,
      gmailId: ref.id,
      threadId: email.threadId,
      workerId: deps.workerId,
      now,
      staleAfterMs: deps.claimStaleMs,
      lease: deps.lease,
      ...keys,
      acknowledgement: deps.decide.config.acknowledgement?.enabled ?? false,
      alsoPeek: offered,
    });
    deps.lookahead?.add(snap.peeked, offered);
    if (!snap.leaseHeld) {
      throw new LeaseLostError(
        `Cannot claim message ${ref.id} as attempt ${deps.workerId} no longer holds lease ${deps.lease}`,
      );
    }
    if (snap.claim === "done" || snap.claim === "busy") {
      return { status: "skipped", why: snap.claim };
    }
    if (snap.entry !== null && snap.entry.decision !== null) {
      // Decided by an attempt that did not finish: reuse its decision.
      return await processClaimFirst(ref, ctx, deps, got);
    }
    const plan = await planEmail(
      email,
      { account, now, mailbox, reads: snap },
      {
        ...deps.decide,
        store,
        logger: deps.logger,
      },
    );
    const replyId = await replyIdFor(email, account, plan);
    const r = await store.emails.begin({
      snapshot: snap,
      accountId: account.id,
      gmailId: ref.id,
      threadId: email.threadId,
      workerId: deps.workerId,
      now,
      staleAfterMs: deps.claimStaleMs,
      lease: deps.lease,
      decision: plan.decision,
      effects: plan.effects,
      replyMessageId: replyId,
      ...senderFields(email),
      recipientAddress: recipientOf(email, plan, replyId),
      review: onlyReview(plan.effects),
    });
    if (r.status === "claimed") return { email, plan, replyId, begun: r };
    if (tries >= MAX_BEGIN_TRIES) {
      throw new Error(
        `Cannot record the decision of message ${ref.id} as its records kept changing`,
      );
    }
  }
}

/** Marks the message sent and its reply as the agent's (a failed label). */
async function recordSentState(
  accountId: string,
  gmailId: string,
  sentId: string,
  deps: ProcessDeps,
): Promise<void> {
  const now = deps.clock.now();
  await deps.store.threads.recordSent({
    accountId,
    gmailId: sentId,
    by: "agent",
    at: now,
  });
  await deps.store.ledger.markSent(accountId, gmailId, now);
}

/** Adds the processed label; a deleted message or label is handled. */
async function label(ref: MessageRef, ctx: MessageContext): Promise<void> {
  try {
    await ctx.mailbox.addLabels(ref.id, [ctx.processedLabelId]);
  } catch (err) {
    if (err instanceof MessageGoneError) {
      // The message was deleted in Gmail meanwhile: nothing to label.
    } else if (err instanceof LabelMissingError && ctx.relabel) {
      // A label deleted in Gmail is refused: create it again, once.
      await ctx.mailbox.addLabels(ref.id, [await ctx.relabel()]);
    } else throw err;
  }
}

/** The review item when it is the plan's only effect, else null. */
function onlyReview(effects: Effect[]): NewReviewItem | null {
  const [first, ...rest] = effects;
  return first?.type === "enqueue_review" && rest.length === 0
    ? first.item
    : null;
}

/**
 * The old order, for a retry (a decision exists) and for mail that is not
 * decided (our own, gone, not in the inbox): claim, then fetch unless
 * `fetched` (or "gone": Gmail said it was deleted) is given.
 */
async function processClaimFirst(
  ref: MessageRef,
  ctx: MessageContext,
  deps: ProcessDeps,
  fetched?: Fetched | "gone",
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
  let got: Fetched;
  try {
    if (fetched === "gone") throw new MessageGoneError(`message ${ref.id}`);
    got = fetched ?? await mailbox.getRaw(ref.id);
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

  const step = { email, account, mailbox, ref };
  ({ plan, replyId } = await applyPlanEffects(step, { plan, replyId }, {
    afterSend: prior.state === "sent",
  }, deps));
  crash("effects");

  if (prior.state !== "sent") {
    ({ plan, replyId } = await claimAcknowledgement(
      step,
      { plan, replyId },
      deps,
    ));
  }
  const out = outgoingOf(plan.decision);
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
      const made = await sendOutgoing(
        { account, email, text: out.text, mode: out.mode, replyId },
        plan.decision.category,
        { mailbox, checkLive: deps.checkLive, now: clock.now() },
      );
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

  await label(ref, ctx);
  crash("label");
  await store.ledger.markDone(account.id, ref.id, clock.now());
  crash("done");
  return { status: "processed", decision: plan.decision, sent };
}

/** The message a step works on. */
interface Step {
  email: ParsedEmail;
  account: Account;
  mailbox: Mailbox;
  ref: MessageRef;
}

/** A plan and its recorded reply Message-ID. */
interface Recorded {
  plan: Plan;
  replyId: string | null;
}

/**
 * Applies the plan's effects. When another worker changed the thread's
 * state meanwhile, decides once more (unless the reply is already sent) and
 * applies that plan; a second conflict is an error.
 */
async function applyPlanEffects(
  step: Step,
  current: Recorded,
  opts: { afterSend: boolean },
  deps: ProcessDeps,
): Promise<Recorded> {
  const { email, account, mailbox, ref } = step;
  const apply = (plan: Plan) =>
    applyEffects(plan.effects, { store: deps.store, now: deps.clock.now() });
  if (!(await apply(current.plan)).conflict) return current;
  if (opts.afterSend) {
    throw new Error(`effects of message ${ref.id} conflict after its send`);
  }
  const plan = await decideFor(email, account, mailbox, deps);
  const replyId = await recordPlan(email, account, plan, deps);
  if ((await apply(plan)).conflict) {
    throw new Error(`effects of message ${ref.id} conflict twice`);
  }
  return { plan, replyId };
}

/**
 * One acknowledgement per thread: when the plan sends one and another
 * message of the thread already has it, the plan is recorded without it.
 */
async function claimAcknowledgement(
  step: Step,
  current: Recorded,
  deps: ProcessDeps,
): Promise<Recorded> {
  const { email, account } = step;
  if (!outgoingOf(current.plan.decision)?.acknowledgement) return current;
  const ours = await deps.store.threads.claimAcknowledgement({
    accountId: account.id,
    threadId: email.threadId,
    gmailId: email.id,
    at: deps.clock.now(),
  });
  if (ours) return current;
  const plan = withoutAcknowledgement(current.plan);
  return { plan, replyId: await recordPlan(email, account, plan, deps) };
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
  const replyId = await replyIdFor(email, account, plan);
  await deps.store.ledger.recordDecision(account.id, email.id, {
    decision: plan.decision,
    effects: plan.effects,
    replyMessageId: replyId,
    ...senderFields(email),
    recipientAddress: recipientOf(email, plan, replyId),
    now: deps.clock.now(),
  });
  return replyId;
}

/** The reply's Message-ID (reply and draft decisions), else null. */
async function replyIdFor(
  email: ParsedEmail,
  account: Account,
  plan: Plan,
): Promise<string | null> {
  return outgoingOf(plan.decision) !== null
    ? await replyMessageId(account.id, email.id, domainOf(account.email))
    : null;
}

/** Counted by the reply cap: where the reply goes (reply_cap.ts). */
function recipientOf(
  email: ParsedEmail,
  plan: Plan,
  replyId: string | null,
): string | null {
  return replyId === null
    ? null
    : replyRecipientKey(email, plan.decision.category);
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

/**
 * Composes the reply (or acknowledgement) with the Message-ID recorded with
 * the decision, never derived again, and sends it or leaves it as a draft.
 */
async function sendOutgoing(
  o: {
    account: Account;
    email: ParsedEmail;
    text: string;
    mode: "reply" | "draft";
    replyId: string;
  },
  category: Category,
  deps: { mailbox: Mailbox; checkLive?: () => Promise<void>; now: Date },
): Promise<{ id: string }> {
  const reply = await composeReply({
    account: o.account,
    original: o.email,
    text: o.text,
    now: deps.now,
    autoSubmitted: o.mode === "reply",
    recipient: recipientKind(category),
    messageId: o.replyId,
  });
  if (reply.messageId !== o.replyId) {
    throw new Error(`reply Message-ID of message ${o.email.id} changed`);
  }
  await deps.checkLive?.();
  return o.mode === "reply"
    ? await deps.mailbox.send(reply.raw, reply.threadId)
    : await deps.mailbox.createDraft(reply.raw, reply.threadId);
}
