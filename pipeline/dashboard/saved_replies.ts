/**
 * Saved replies (canned responses) per mailbox: a person creates, edits and
 * deletes them on the Saved replies page and inserts one into the reply box
 * of a review item. The form is checked with zod (each problem named by its
 * field, for the page to show on the form); each change is audited. On
 * insertion `{name}` (the customer's first name, else "there"),
 * `{signature}` and `{shop}` are filled.
 * @module
 */
import { z } from "zod";
import { AppError } from "../errors.ts";
import type { AuditStore, Clock, SavedReply, Store } from "../ports.ts";
import { greetingName } from "../refund/refund_plan.ts";

/** Longest title and text. */
export const SAVED_REPLY_LIMITS = { title: 100, body: 10_000 } as const;

/** The fields of the saved-reply form. */
export const savedReplyForm = z.object({
  title: z.string({ error: "Give the saved reply a title." }).trim()
    .min(1, "Give the saved reply a title.")
    .max(
      SAVED_REPLY_LIMITS.title,
      `The title is too long: at most ${SAVED_REPLY_LIMITS.title} characters.`,
    ),
  body: z.string({ error: "Write the text of the saved reply." })
    .transform((s) => s.replace(/\r\n/g, "\n").trim())
    .pipe(
      z.string().min(1, "Write the text of the saved reply.").max(
        SAVED_REPLY_LIMITS.body,
        `The text is too long: at most ${SAVED_REPLY_LIMITS.body} characters.`,
      ),
    ),
});

/** Problems of a submitted form, by field. */
export type SavedReplyErrors = Partial<
  Record<"title" | "body" | "account", string>
>;

/** What a save did: the reply, or the problems to show on the form. */
export type SaveOutcome =
  | { ok: true; reply: SavedReply }
  | { ok: false; errors: SavedReplyErrors };

/** What the changes read and write. */
export interface SavedReplyDeps {
  store: Pick<Store, "accounts" | "savedReplies"> & {
    audit: Pick<AuditStore, "add">;
  };
  clock: Clock;
}

/** Checks the form; the problems by field, or the clean values. */
export function checkSavedReplyForm(
  form: Record<string, unknown>,
):
  | { ok: true; value: { title: string; body: string } }
  | { ok: false; errors: SavedReplyErrors } {
  const parsed = savedReplyForm.safeParse(form);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: SavedReplyErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if ((field === "title" || field === "body") && !errors[field]) {
      errors[field] = issue.message;
    }
  }
  return { ok: false, errors };
}

const DUPLICATE = "This mailbox already has a saved reply with this title.";

/**
 * Creates a saved reply for the mailbox `accountId` (`id` absent) or edits
 * reply `id`. Throws `not_found` for an unknown reply; an unknown mailbox,
 * a bad field or a title the mailbox already has comes back as errors.
 */
export async function saveReply(
  input: {
    id?: string;
    accountId: string;
    form: Record<string, unknown>;
    actor: string;
  },
  deps: SavedReplyDeps,
): Promise<SaveOutcome> {
  const { store } = deps;
  const existing = input.id === undefined
    ? null
    : await store.savedReplies.get(input.id);
  if (input.id !== undefined && existing === null) {
    throw new AppError("not_found", "No such saved reply.");
  }
  const accountId = existing?.accountId ?? input.accountId;
  const checked = checkSavedReplyForm(input.form);
  const account = accountId.length <= 100
    ? await store.accounts.get(accountId)
    : null;
  if (!checked.ok || account === null) {
    return {
      ok: false,
      errors: {
        ...(checked.ok ? {} : checked.errors),
        ...(account === null ? { account: "Choose a connected mailbox." } : {}),
      },
    };
  }
  const now = deps.clock.now();
  const res = existing
    ? await store.savedReplies.update(existing.id, checked.value, now)
    : await store.savedReplies.create({ accountId, ...checked.value }, now);
  if (!res.ok) {
    if (res.reason === "not_found") {
      throw new AppError("not_found", "No such saved reply.");
    }
    return { ok: false, errors: { title: DUPLICATE } };
  }
  await store.audit.add({
    at: now,
    actor: input.actor,
    action: existing ? "saved_reply_updated" : "saved_reply_created",
    target: res.reply.id,
    detail: { accountId, title: res.reply.title },
  });
  return res;
}

/** Deletes saved reply `id`, audited; throws `not_found` when there is none. */
export async function deleteSavedReply(
  input: { id: string; actor: string },
  deps: SavedReplyDeps,
): Promise<SavedReply> {
  const reply = await deps.store.savedReplies.get(input.id);
  if (reply === null || !(await deps.store.savedReplies.delete(input.id))) {
    throw new AppError("not_found", "No such saved reply.");
  }
  await deps.store.audit.add({
    at: deps.clock.now(),
    actor: input.actor,
    action: "saved_reply_deleted",
    target: reply.id,
    detail: { accountId: reply.accountId, title: reply.title },
  });
  return reply;
}

/** A saved reply's text for one customer: its placeholders filled. */
export function fillSavedReply(
  body: string,
  vars: { customerName: string | null; signature: string; shopName: string },
): string {
  const values: Record<string, string> = {
    name: greetingName(vars.customerName),
    signature: vars.signature.trim(),
    shop: vars.shopName,
  };
  return body.replace(
    /\{(\w+)\}/g,
    (whole, key: string) => Object.hasOwn(values, key) ? values[key]! : whole,
  );
}
