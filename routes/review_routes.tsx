/**
 * The review queue: the list (importance, then age; by status, searched, in
 * pages), bulk assign and resolve, one item with a suggested reply (or a
 * saved reply picked with `?saved=`), reply from the dashboard
 * (`pipeline/dashboard/person_reply.ts`), assign, note, resolve and reopen.
 * @module
 */
import { type Context, Hono } from "hono";
import { AppError } from "../pipeline/errors.ts";
import type { ReviewItem, ReviewStatus } from "../pipeline/types.ts";
import { bulkReview } from "../pipeline/dashboard/review_bulk.ts";
import { suggestReply } from "../pipeline/dashboard/suggest_reply.ts";
import { fillSavedReply } from "../pipeline/dashboard/saved_replies.ts";
import type { SavedReply } from "../pipeline/ports.ts";
import type { WebEnv } from "./hono_env.ts";
import { decodeReviewCursor, encodeReviewCursor } from "./page_cursor.ts";
import { ReviewItemPage, ReviewListPage } from "./pages/review_pages.tsx";
import type { InsertedReply } from "./pages/saved_reply_picker.tsx";
import {
  personReplyAddresses,
  sendPersonReply,
} from "../pipeline/dashboard/person_reply.ts";
import type { WebDeps } from "./web_deps.ts";

const STATUSES: ReviewStatus[] = ["pending", "in_progress", "resolved"];
/** Items on one page of the queue. */
const REVIEW_PAGE_SIZE = 50;
const BULK_NOTICES: Record<string, string> = {
  bulk_assigned: "The selected items are assigned.",
  bulk_resolved: "The selected items are resolved.",
};
const NOTICES: Record<string, string> = {
  replied:
    "Reply sent in the Gmail thread. The agent leaves this thread to people from now on.",
  assigned: "Assignee saved.",
  noted: "Note saved.",
  resolved: "Marked as resolved.",
  reopened: "Reopened.",
};

function field(
  body: Record<string, unknown>,
  name: string,
  max: number,
): string {
  const v = body[name];
  const s = typeof v === "string" ? v.trim() : "";
  if (s.length > max) {
    throw new AppError(
      "invalid_input",
      `The ${name} is too long: at most ${max} characters.`,
    );
  }
  return s;
}

type ReviewContext = Context<WebEnv>;

/** The review item named in the path, or `not_found`. */
async function loadItem(deps: WebDeps, c: ReviewContext): Promise<ReviewItem> {
  const id = c.req.param("id") ?? "";
  const item = id.length <= 100 ? await deps.store.review.get(id) : null;
  if (!item) throw new AppError("not_found", "No such review item.");
  return item;
}

/** Writes one audit row about `item`, by the signed-in actor. */
function auditItem(
  deps: WebDeps,
  c: ReviewContext,
  action: string,
  item: ReviewItem,
  detail = {},
) {
  return deps.store.audit.add({
    at: deps.clock.now(),
    actor: c.get("session")!.actor,
    action,
    target: item.id,
    detail,
  });
}

/** Back to the item's page with a notice. */
function backToItem(c: ReviewContext, item: ReviewItem, notice: string) {
  return c.redirect(
    `/review/${encodeURIComponent(item.id)}?notice=${notice}`,
    303,
  );
}

/** The list's filter from the query string: status, text and page cursor. */
function listQuery(c: ReviewContext) {
  const status = c.req.query("status") ?? "open";
  if (
    status !== "open" && status !== "all" &&
    !STATUSES.includes(status as ReviewStatus)
  ) {
    throw new AppError(
      "invalid_input",
      "status must be open, all, pending, in_progress or resolved.",
    );
  }
  const text = (c.req.query("q") ?? "").trim().slice(0, 200) || undefined;
  const afterParam = c.req.query("after");
  const after = afterParam ? decodeReviewCursor(afterParam) : null;
  if (afterParam && !after) {
    throw new AppError("invalid_input", "The page address is not valid.");
  }
  return { status, text, after };
}

/** The cursor of the page after `items`, or null on the last page. */
function nextCursor(rows: ReviewItem[]): string | null {
  const last = rows.slice(0, REVIEW_PAGE_SIZE).at(-1);
  return rows.length > REVIEW_PAGE_SIZE && last
    ? encodeReviewCursor({
      importance: last.importance,
      createdAt: last.createdAt,
      id: last.id,
    })
    : null;
}

async function renderList(
  deps: WebDeps,
  c: ReviewContext,
  extra: { notice?: string | null; bulkError?: string | null } = {},
  code: 200 | 400 = 200,
) {
  const { status, text, after } = listQuery(c);
  const rows = await deps.store.review.list({
    ...(STATUSES.includes(status as ReviewStatus)
      ? { status: status as ReviewStatus }
      : { open: status === "open" }),
    text,
    after: after ?? undefined,
    limit: REVIEW_PAGE_SIZE + 1,
  });
  const accounts = await deps.store.accounts.list();
  return c.html(
    <ReviewListPage
      csrf={c.get("session")!.csrf}
      items={rows.slice(0, REVIEW_PAGE_SIZE)}
      status={status}
      q={text ?? ""}
      next={nextCursor(rows)}
      paged={after !== null}
      accountEmails={new Map(accounts.map((a) => [a.id, a.email]))}
      notice={extra.notice ?? null}
      bulkError={extra.bulkError ?? null}
    />,
    code,
  );
}

/** The ids and the action of a bulk form. */
async function bulkForm(c: ReviewContext) {
  const body = await c.req.parseBody({ all: true });
  const raw = body.id;
  const ids = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw])
    .filter((v): v is string => typeof v === "string" && v.length <= 100);
  const action = body.action === "resolve" ? { kind: "resolve" as const } : {
    kind: "assign" as const,
    assignee: typeof body.assignee === "string"
      ? body.assignee.slice(0, 100)
      : "",
  };
  return { ids, action };
}

async function postBulk(deps: WebDeps, c: ReviewContext) {
  const { ids, action } = await bulkForm(c);
  try {
    await bulkReview({ ids, action, actor: c.get("session")!.actor }, {
      review: deps.store.review,
      audit: deps.store.audit,
      clock: deps.clock,
    });
  } catch (err) {
    if (err instanceof AppError && err.code === "invalid_input") {
      return renderList(deps, c, { bulkError: err.message }, 400);
    }
    throw err;
  }
  const back = new URL(c.req.url);
  back.searchParams.set(
    "notice",
    action.kind === "resolve" ? "bulk_resolved" : "bulk_assigned",
  );
  return c.redirect(`/review${back.search}`, 303);
}

async function renderItem(
  deps: WebDeps,
  c: ReviewContext,
  item: ReviewItem,
  extra: {
    notice?: string | null;
    replyError?: string | null;
    replyText?: string;
    /** A saved reply to put in the reply box (`?saved=`). */
    savedId?: string;
  } = {},
  status: 200 | 400 | 409 = 200,
) {
  const [account, entry, addresses, saved] = await Promise.all([
    deps.store.accounts.get(item.accountId),
    deps.store.ledger.get(item.accountId, item.gmailId),
    item.status === "resolved" ? null : personReplyAddresses(item, deps),
    deps.store.savedReplies.list(item.accountId),
  ]);
  const suggestion = suggestReply({
    decision: entry?.decision ?? null,
    sections: deps.knowledge.sections(),
    signature: deps.signature,
  });
  const inserted = insertedReply(deps, saved, extra.savedId, {
    customerName: addresses?.from?.name ?? null,
  });
  return c.html(
    <ReviewItemPage
      csrf={c.get("session")!.csrf}
      item={item}
      addresses={addresses}
      accountEmail={account?.email ?? null}
      sandbox={account?.sandbox ?? false}
      notice={extra.notice ?? null}
      suggestion={suggestion}
      replyError={extra.replyError ?? null}
      replyText={extra.replyText}
      savedReplies={saved.map((r) => ({ id: r.id, title: r.title }))}
      inserted={inserted}
    />,
    status,
  );
}

/**
 * The saved reply `savedId` of the item's mailbox, its placeholders filled;
 * null when none was asked for; "missing" when it is gone (or another
 * mailbox's).
 */
function insertedReply(
  deps: WebDeps,
  saved: SavedReply[],
  savedId: string | undefined,
  vars: { customerName: string | null },
): InsertedReply | "missing" | null {
  if (!savedId) return null;
  const r = saved.find((x) => x.id === savedId);
  if (!r) return "missing";
  return {
    id: r.id,
    title: r.title,
    text: fillSavedReply(r.body, {
      customerName: vars.customerName,
      signature: deps.signature,
      shopName: deps.refundTemplates.shopName,
    }),
  };
}

async function postReply(deps: WebDeps, c: ReviewContext) {
  const item = await loadItem(deps, c);
  const body = await c.req.parseBody();
  const typed = typeof body.reply === "string" ? body.reply : "";
  try {
    const text = field(body, "reply", 20_000);
    const to = body["to"] === "reply_to" ? "reply_to" : "from";
    await sendPersonReply(
      { item, text, actor: c.get("session")!.actor, to },
      deps,
    );
  } catch (err) {
    // A refused reply comes back on the form, with what was typed.
    if (
      err instanceof AppError &&
      (err.code === "invalid_input" || err.code === "conflict")
    ) {
      return renderItem(deps, c, item, {
        replyError: err.message,
        replyText: typed,
      }, err.code === "conflict" ? 409 : 400);
    }
    throw err;
  }
  return backToItem(c, item, "replied");
}

async function postAssign(deps: WebDeps, c: ReviewContext) {
  const item = await loadItem(deps, c);
  const who = field(await c.req.parseBody(), "assignee", 100);
  await deps.store.review.update(item.id, {
    assignee: who === "" ? null : who,
    ...(item.status === "pending" && who !== ""
      ? { status: "in_progress" as const }
      : {}),
  }, deps.clock.now());
  await auditItem(deps, c, "review_assigned", item, { assignee: who });
  return backToItem(c, item, "assigned");
}

async function postNote(deps: WebDeps, c: ReviewContext) {
  const item = await loadItem(deps, c);
  const note = field(await c.req.parseBody(), "note", 2000);
  await deps.store.review.update(
    item.id,
    { note: note === "" ? null : note },
    deps.clock.now(),
  );
  await auditItem(deps, c, "review_noted", item);
  return backToItem(c, item, "noted");
}

/** Resolve or reopen. */
async function postStatus(
  deps: WebDeps,
  c: ReviewContext,
  status: "resolved" | "pending",
) {
  const item = await loadItem(deps, c);
  await deps.store.review.update(item.id, { status }, deps.clock.now());
  const done = status === "resolved" ? "resolved" : "reopened";
  await auditItem(deps, c, `review_${done}`, item);
  return backToItem(c, item, done);
}

/** Routes: GET /review (search, pages), POST /review/bulk, GET /review/:id, POST /review/:id/(reply|assign|note|resolve|reopen). */
export function createReviewRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.get("/review", (c) =>
    renderList(deps, c, {
      notice: BULK_NOTICES[c.req.query("notice") ?? ""] ?? null,
    }));
  app.post("/review/bulk", (c) => postBulk(deps, c));
  app.get(
    "/review/:id",
    async (c) =>
      renderItem(deps, c, await loadItem(deps, c), {
        notice: NOTICES[c.req.query("notice") ?? ""] ?? null,
        savedId: c.req.query("saved")?.slice(0, 100) || undefined,
      }),
  );
  app.post("/review/:id/reply", (c) => postReply(deps, c));
  app.post("/review/:id/assign", (c) => postAssign(deps, c));
  app.post("/review/:id/note", (c) => postNote(deps, c));
  app.post("/review/:id/resolve", (c) => postStatus(deps, c, "resolved"));
  app.post("/review/:id/reopen", (c) => postStatus(deps, c, "pending"));
  return app;
}
