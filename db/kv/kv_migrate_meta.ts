/**
 * One-time carry-over of the string-keyed `meta` markers of an older KV
 * file into the typed state (`kv_state.ts`): takeovers, sent-reply markers,
 * label ids, first-sync marks, sync notes, mail pauses, failure counts and the
 * sample-orders step. Each entry moves in one atomic write and its old key
 * is deleted, so a second run finds nothing. An unknown key is left as it was.
 * @module
 */
import type { StateRetention } from "../../pipeline/ports.ts";
import { keys } from "./keys.ts";

/** A marker key split into its kind, account id and rest. */
function parse(key: string): { kind: string; account: string; rest: string } {
  const [kind = "", account = "", ...rest] = key.split(":");
  return { kind, account, rest: rest.join(":") };
}

/** Moves every known `meta` marker to its typed key; returns how many moved. */
export async function migrateKvMeta(
  kv: Deno.Kv,
  opts: { retention: StateRetention; now: Date },
): Promise<number> {
  const { retention, now } = opts;
  let moved = 0;
  for await (const e of kv.list<string>({ prefix: keys.metaPrefix() })) {
    const name = String(e.key[1] ?? "");
    const value = String(e.value);
    const when = Number.isNaN(Date.parse(value)) ? now : new Date(value);
    const op = kv.atomic().check(e).delete(e.key);
    const { kind, account, rest } = parse(name);
    if (kind === "takeover") {
      op.set(keys.takeover(account, rest), when);
    } else if (kind === "agent-sent" || kind === "human-sent") {
      const expiresAt = when.getTime() + retention.sentReplyMs;
      if (expiresAt > now.getTime()) {
        op.set(
          keys.sentReply(
            account,
            rest,
            kind === "agent-sent" ? "agent" : "person",
          ),
          { at: when, expiresAt },
          { expireIn: expiresAt - now.getTime() },
        );
      }
    } else if (kind === "gmail_label") {
      op.set(keys.syncLabel(account, rest), value);
    } else if (kind === "mail_paused_until") {
      op.set(keys.mailPause(account), when);
    } else if (kind === "sync_note") {
      op.set(keys.syncNote(account), JSON.parse(value));
    } else if (kind === "initial_sync_done") {
      op.set(keys.initialSync(account), now);
    } else if (kind === "msg_failures") {
      op.set(keys.failureCount(account, rest), {
        count: Number(value) || 0,
        expiresAt: now.getTime() + retention.failureCountMs,
      }, { expireIn: retention.failureCountMs });
    } else if (name === "sample_orders_loaded") {
      op.set(keys.setupStep("sample_orders"), {
        state: value === "failed" ? "failed" : "claimed",
        at: when,
      });
    } else {
      continue;
    }
    if ((await op.commit()).ok) moved++;
  }
  return moved;
}
