/**
 * One-time build of the one-read values of an older KV file: a thread's
 * open review items (`review_open_by_thread`, from every review item) and
 * the recent reply marks of each sender and recipient (`reply_marks`, from
 * the per-sender and per-recipient indexes of the last 7 days), which
 * `store.emails.snapshot` reads instead of listing. Marked done under
 * `migrations/email_indexes`, so it runs once per file.
 * @module
 */
import type { ReviewItem } from "../../pipeline/types.ts";
import { keys } from "./keys.ts";
import { isAutoReply, type SenderMark } from "./kv_ledger.ts";
import {
  MARKS_EXPIRE_MS,
  MARKS_WINDOW_MS,
  type ReplyMark,
  type ReplyMarks,
  withMark,
} from "./kv_reply_marks.ts";

const NAME = "email_indexes";

/** What the build wrote: threads with open items, reply-mark keys. */
export interface IndexBuild {
  threads: number;
  marks: number;
}

/** Builds the values unless done before; null when it was done before. */
export async function migrateKvIndexes(
  kv: Deno.Kv,
  opts: { now: Date },
): Promise<IndexBuild | null> {
  const done = await kv.get(keys.migration(NAME));
  if (done.value !== null) return null;
  const open = new Map<string, { key: Deno.KvKey; ids: string[] }>();
  for await (const e of kv.list<ReviewItem>({ prefix: keys.reviewPrefix() })) {
    const i = e.value;
    if (i.status === "resolved") continue;
    const key = keys.reviewOpenByThread(i.accountId, i.threadId);
    const id = JSON.stringify(key);
    const cur = open.get(id) ?? { key, ids: [] };
    cur.ids.push(i.id);
    open.set(id, cur);
  }
  const from = opts.now.getTime() - MARKS_WINDOW_MS;
  const marks = new Map<string, { key: Deno.KvKey; value: ReplyMarks }>();
  const collect = async (index: "ledger_by_sender" | "ledger_by_recipient") => {
    for await (const e of kv.list<SenderMark>({ prefix: [index] })) {
      const [, accountId, address, gmailId] = e.key as string[];
      if (e.value.at.getTime() < from) continue;
      const key = keys.replyMarks(
        accountId!,
        index === "ledger_by_sender" ? "sender" : "to",
        address!,
      );
      const id = JSON.stringify(key);
      const mark: ReplyMark = [
        gmailId!,
        e.value.at.getTime(),
        isAutoReply(e.value) ? 1 : 0,
      ];
      const cur = marks.get(id);
      marks.set(id, {
        key,
        value: withMark(cur?.value ?? null, mark, opts.now),
      });
    }
  };
  await collect("ledger_by_sender");
  await collect("ledger_by_recipient");
  for (const { key, ids } of open.values()) await kv.set(key, ids);
  for (const { key, value } of marks.values()) {
    await kv.set(key, value, { expireIn: MARKS_EXPIRE_MS });
  }
  await kv.set(keys.migration(NAME), opts.now);
  return { threads: open.size, marks: marks.size };
}
