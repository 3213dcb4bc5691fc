/**
 * A person's edits and outcomes of the agent's drafts over Deno KV: one
 * entry per answered message; the first outcome is kept (versionstamp check).
 * @module
 */
import type { DraftReview, DraftReviewStore } from "../../pipeline/ports.ts";
import { keys, retryAtomic } from "./keys.ts";

const EMPTY: DraftReview = { text: null, outcome: null };

/** The draft reviews over `kv`. */
export function createKvDraftReviews(kv: Deno.Kv): DraftReviewStore {
  /** Applies `change` to the entry atomically; undefined from it: no write. */
  const update = (
    what: string,
    accountId: string,
    gmailId: string,
    change: (r: DraftReview) => DraftReview | undefined,
  ) =>
    retryAtomic(what, async () => {
      const key = keys.draftReview(accountId, gmailId);
      const cur = await kv.get<DraftReview>(key);
      const next = change(cur.value ?? EMPTY);
      if (next === undefined) return false;
      const ok = await kv.atomic().check(cur).set(key, next).commit();
      return ok.ok ? true : undefined;
    });
  return {
    async get(accountId, gmailId) {
      return (await kv.get<DraftReview>(keys.draftReview(accountId, gmailId)))
        .value ?? EMPTY;
    },
    async saveText(accountId, gmailId, text) {
      await update(
        "save a draft's text",
        accountId,
        gmailId,
        (r) => ({ ...r, text }),
      );
    },
    close(accountId, gmailId, outcome) {
      return update(
        "record a draft's outcome",
        accountId,
        gmailId,
        (r) => r.outcome === null ? { ...r, outcome } : undefined,
      );
    },
  };
}
