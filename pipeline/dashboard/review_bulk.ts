/**
 * Bulk actions on the review queue: assign several items to a person (a
 * pending item moves to in progress) or resolve them, each change audited.
 * Items already in the asked state are left as they are.
 * @module
 */
import { AppError } from "../errors.ts";
import type { AuditStore, Clock, ReviewStore } from "../ports.ts";

/** What to do with the selected items. */
export type BulkAction =
  | { kind: "assign"; assignee: string }
  | { kind: "resolve" };

/** Most items one bulk action changes. */
export const MAX_BULK_ITEMS = 200;

/** Applies `action` to the items `ids`; returns how many changed. */
export async function bulkReview(
  input: { ids: string[]; action: BulkAction; actor: string },
  deps: {
    review: Pick<ReviewStore, "get" | "update">;
    audit: Pick<AuditStore, "add">;
    clock: Clock;
  },
): Promise<number> {
  const ids = [...new Set(input.ids)];
  if (ids.length === 0) {
    throw new AppError("invalid_input", "Select at least one item first.");
  }
  if (ids.length > MAX_BULK_ITEMS) {
    throw new AppError(
      "invalid_input",
      `Too many items at once: at most ${MAX_BULK_ITEMS}, selected ${ids.length}.`,
    );
  }
  const a = input.action;
  if (a.kind === "assign" && a.assignee.trim() === "") {
    throw new AppError("invalid_input", "Write who to assign them to.");
  }
  let changed = 0;
  for (const id of ids) {
    const item = await deps.review.get(id);
    if (!item) continue;
    const now = deps.clock.now();
    if (a.kind === "resolve") {
      if (item.status === "resolved") continue;
      await deps.review.update(id, { status: "resolved" }, now);
    } else {
      const who = a.assignee.trim();
      if (item.assignee === who) continue;
      await deps.review.update(id, {
        assignee: who,
        ...(item.status === "pending"
          ? { status: "in_progress" as const }
          : {}),
      }, now);
    }
    await deps.audit.add({
      at: now,
      actor: input.actor,
      action: a.kind === "resolve" ? "review_resolved" : "review_assigned",
      target: id,
      detail: a.kind === "assign"
        ? { assignee: a.assignee.trim(), bulk: true }
        : { bulk: true },
    });
    changed++;
  }
  return changed;
}
