/**
 * The agent's own CPU per email, stage by stage, with no I/O: the bench's
 * 2,000 emails (composed as the emulator composes them) through what the
 * worker does between its Gmail and store calls: base64url decode of the
 * raw message, `parseEmail`, `contextKeys`, `planEmail` (classify, retrieve,
 * answer; the store's reads given), the reply's Message-ID, `composeReply`,
 * and the base64url encode of the reply. Run with the agent's V8 flags:
 * `deno run -A --v8-flags=--optimize-for-size eval/bench/stage_bench.ts`.
 * Prints microseconds per email per stage (median of 5 rounds).
 * @module
 */
import { Buffer } from "node:buffer";
import { composeRaw } from "../../emulator/compose.ts";
import { parseEmail } from "../../pipeline/mail/parse_email.ts";
import { contextKeys } from "../../pipeline/decide/load_context.ts";
import { planEmail } from "../../pipeline/decide/plan_email.ts";
import {
  composeReply,
  domainOf,
  replyMessageId,
} from "../../pipeline/mail/compose_reply.ts";
import { outgoingOf } from "../../pipeline/worker/outgoing.ts";
import { toBase64Url } from "../../pipeline/gmail/gmail_mailbox.ts";
import type { Account, ParsedEmail, Plan } from "../../pipeline/types.ts";
import { benchDecideConfig, QUESTIONS, understanding } from "./e2e_bench.ts";

const N = Number(Deno.args[0] ?? 2000);
const u = await understanding();
const account = {
  id: "acc-1",
  email: "support@shop.example",
} as unknown as Account;
const raws: string[] = [];
for (let i = 0; i < N; i++) {
  const raw = await composeRaw({
    from: `Customer ${i} <c${i}@example.net>`,
    to: account.email,
    subject: `Question ${i}`,
    text: QUESTIONS[i % QUESTIONS.length]!,
    messageId: `<m${i}@example.net>`,
    date: new Date(),
  });
  raws.push(Buffer.from(raw).toString("base64url"));
}
const reads = {
  takenOver: false,
  repliesToSenderLast24h: 0,
  repliesToRecipientLast24h: 0,
  fromSenderLast7d: 0,
  openReviewItems: 0,
  refundCase: null,
  threadAcknowledgedBy: null,
};
const deps = {
  classifier: u.classifier,
  retriever: u.retriever,
  llm: null,
  config: benchDecideConfig(),
  store: {} as never,
} as unknown as Parameters<typeof planEmail>[2];

const stages = [
  "decode",
  "parse",
  "keys",
  "plan",
  "replyId",
  "compose",
  "encode",
] as const;
const rounds: Record<string, number>[] = [];
for (let round = 0; round < 5; round++) {
  const t: Record<string, number> = Object.fromEntries(
    stages.map((s) => [s, 0]),
  );
  let last = performance.now();
  const lap = (s: string) => {
    const now = performance.now();
    t[s]! += now - last;
    last = now;
  };
  for (let i = 0; i < N; i++) {
    last = performance.now();
    const raw = new Uint8Array(Buffer.from(raws[i]!, "base64url"));
    lap("decode");
    const email: ParsedEmail = await parseEmail(raw, {
      id: `g${i}`,
      threadId: `g${i}`,
      labelIds: ["INBOX", "UNREAD"],
    });
    lap("parse");
    contextKeys(email);
    lap("keys");
    const plan: Plan = await planEmail(email, {
      account,
      now: new Date(),
      reads,
    }, deps);
    lap("plan");
    const out = outgoingOf(plan.decision);
    const id = await replyMessageId(
      account.id,
      email.id,
      domainOf(account.email),
    );
    lap("replyId");
    const reply = await composeReply({
      account,
      original: email,
      text: out!.text!,
      now: new Date(),
      autoSubmitted: true,
      recipient: "reply_to",
      messageId: id,
    });
    lap("compose");
    toBase64Url(reply.raw);
    lap("encode");
  }
  rounds.push(t);
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[2]!;
const out = Object.fromEntries(
  stages.map((s) => [s, Math.round(med(rounds.map((r) => r[s]!)) / N * 1000)]),
);
const total = stages.reduce((a, s) => a + out[s]!, 0);
Deno.stdout.writeSync(
  new TextEncoder().encode(
    JSON.stringify({ us_per_email: out, total_us: total }) + "\n",
  ),
);
