/**
 * The human review queue on Deno KV: one item per account + gmailId, kept
 * unique with an index key checked in the same atomic write. The ids of a
 * thread's open items are kept in one value, changed in the same write as
 * the item, so "is this thread in review" is one read.
 * @module
 */
import type {
  NewReviewItem,
  ReviewPatch,
  ReviewStore,
} from "../../pipeline/ports.ts";
import type { ReviewItem } from "../../pipeline/types.ts";
import {
  compareReview,
  emptyStatusCounts,
  matchesReviewFilter,
} from "../review_sort.ts";
import { keys, retryAtomic } from "./keys.ts";

/** A new pending item. */
export function newReviewItem(input: NewReviewItem, now: Date): ReviewItem {
  return {
    ...input,
    id: crypto.randomUUID(),
    status: "pending",
    assignee: null,
    note: null,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * Adds the writes of a new `item` to `op`: the item, its indexes, and its
 * id in the thread's open items (`open`, read before: checked).
 */
export function addItem(
  op: Deno.AtomicOperation,
  item: ReviewItem,
  open: Deno.KvEntryMaybe<string[]>,
): Deno.AtomicOperation {
  return op.check(open)
    .set(keys.review(item.id), item)
    .set(keys.reviewByMessage(item.accountId, item.gmailId), item.id)
    .set(keys.reviewByThread(item.accountId, item.threadId, item.id), null)
    .set(open.key, [...(open.value ?? []), item.id]);
}

/** The review store over `kv`. */
export function createKvReview(kv: Deno.Kv): ReviewStore {
  const all = async () => {
    const out: ReviewItem[] = [];
    for await (
      const e of kv.list<ReviewItem>({ prefix: keys.reviewPrefix() })
    ) {
      out.push(e.value);
    }
    return out;
  };
  return {
    add(input, now) {
      const openKey = keys.reviewOpenByThread(input.accountId, input.threadId);
      return retryAtomic("add the review item", async () => {
        const [idx, open] = await kv.getMany<[string, string[]]>([
          keys.reviewByMessage(input.accountId, input.gmailId),
          openKey,
        ]);
        if (idx.value) {
          const existing = await kv.get<ReviewItem>(keys.review(idx.value));
          if (existing.value) return existing.value;
        }
        const item = newReviewItem(input, now);
        const res = await addItem(kv.atomic().check(idx), item, open)
          .commit();
        return res.ok ? item : undefined;
      });
    },
    async get(id) {
      return (await kv.get<ReviewItem>(keys.review(id))).value;
    },
    async list(f) {
      const items = (await all()).filter((i) => matchesReviewFilter(i, f))
        .sort(compareReview);
      return items.slice(0, f.limit ?? items.length);
    },
    update(id, patch: ReviewPatch, now) {
      return retryAtomic("update the review item", async () => {
        const cur = await kv.get<ReviewItem>(keys.review(id));
        if (!cur.value) return null;
        const next: ReviewItem = {
          ...cur.value,
          ...(patch.status !== undefined ? { status: patch.status } : {}),
          ...(patch.assignee !== undefined ? { assignee: patch.assignee } : {}),
          ...(patch.note !== undefined ? { note: patch.note } : {}),
          updatedAt: now,
        };
        const op = kv.atomic().check(cur).set(keys.review(id), next);
        const wasOpen = cur.value.status !== "resolved";
        if (wasOpen !== (next.status !== "resolved")) {
          // The thread's open items change with it, in the same write.
          const openKey = keys.reviewOpenByThread(
            next.accountId,
            next.threadId,
          );
          const open = await kv.get<string[]>(openKey);
          const ids = (open.value ?? []).filter((x) => x !== id);
          if (!wasOpen) ids.push(id);
          op.check(open);
          if (ids.length > 0) op.set(openKey, ids);
          else op.delete(openKey);
        }
        const res = await op.commit();
        return res.ok ? next : undefined;
      });
    },
    async openForThread(accountId, threadId) {
      const out: ReviewItem[] = [];
      const prefix = keys.reviewByThreadPrefix(accountId, threadId);
      for await (const e of kv.list({ prefix })) {
        const id = e.key[e.key.length - 1] as string;
        const item = (await kv.get<ReviewItem>(keys.review(id))).value;
        if (item && item.status !== "resolved") out.push(item);
      }
      return out.sort(compareReview);
    },
    async countByStatus() {
      const counts = emptyStatusCounts();
      for (const i of await all()) counts[i.status]++;
      return counts;
    },
  };
}
