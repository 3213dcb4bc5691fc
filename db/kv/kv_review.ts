/**
 * The human review queue on Deno KV: one item per account + gmailId, kept
 * unique with an index key checked in the same atomic write.
 * @module
 */
import type { ReviewPatch, ReviewStore } from "../../pipeline/ports.ts";
import type { ReviewItem } from "../../pipeline/types.ts";
import {
  compareReview,
  emptyStatusCounts,
  matchesReviewFilter,
} from "../review_sort.ts";
import { keys, retryAtomic } from "./keys.ts";

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
      return retryAtomic("add the review item", async () => {
        const idx = await kv.get<string>(
          keys.reviewByMessage(input.accountId, input.gmailId),
        );
        if (idx.value) {
          const existing = await kv.get<ReviewItem>(keys.review(idx.value));
          if (existing.value) return existing.value;
        }
        const item: ReviewItem = {
          ...input,
          id: crypto.randomUUID(),
          status: "pending",
          assignee: null,
          note: null,
          createdAt: now,
          updatedAt: now,
        };
        const res = await kv.atomic().check(idx)
          .set(keys.review(item.id), item)
          .set(keys.reviewByMessage(item.accountId, item.gmailId), item.id)
          .set(
            keys.reviewByThread(item.accountId, item.threadId, item.id),
            null,
          )
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
        const res = await kv.atomic().check(cur).set(keys.review(id), next)
          .commit();
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
