/**
 * The review queue: list (importance, then age), one item, reply from the
 * dashboard, assign, note, resolve and reopen.
 * @module
 */
import { type Context, Hono } from "hono";
import { AppError } from "../pipeline/errors.ts";
import type { ReviewItem, ReviewStatus } from "../pipeline/types.ts";
import { bulkReview } from "../pipeline/dashboard/review_bulk.ts";
import { suggestReply } from "../pipeline/dashboard/suggest_reply.ts";
import type { WebEnv } from "./hono_env.ts";
import { decodeReviewCursor, encodeReviewCursor } from "./page_cursor.ts";
import { ReviewItemPage, ReviewListPage } from "./pages/review_pages.tsx";
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

/** Routes: GET /review (search, pages), POST /review/bulk, GET /review/:id, POST /review/:id/(reply|assign|note|resolve|reopen). */
export function createReviewRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const load = async (id: string): Promise<ReviewItem> => {
    const item = id.length <= 100 ? await deps.store.review.get(id) : null;
    if (!item) throw new AppError("not_found", "No such review item.");
    return item;
  };
  const audit = (
    actor: string,
    action: string,
    item: ReviewItem,
    detail = {},
  ) =>
    deps.store.audit.add({
      at: deps.clock.now(),
      actor,
      action,
      target: item.id,
      detail,
    });

  const renderList = async (
    c: Context<WebEnv>,
    extra: { notice?: string | null; bulkError?: string | null } = {},
    code: 200 | 400 = 200,
  ) => {
    const s = c.req.query("status") ?? "open";
    if (s !== "open" && s !== "all" && !STATUSES.includes(s as ReviewStatus)) {
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
    const rows = await deps.store.review.list({
      ...(STATUSES.includes(s as ReviewStatus)
        ? { status: s as ReviewStatus }
        : { open: s === "open" }),
      text,
      after: after ?? undefined,
      limit: REVIEW_PAGE_SIZE + 1,
    });
    const items = rows.slice(0, REVIEW_PAGE_SIZE);
    const last = items.at(-1);
    const accounts = await deps.store.accounts.list();
    return c.html(
      <ReviewListPage
        csrf={c.get("session")!.csrf}
        items={items}
        status={s}
        q={text ?? ""}
        next={rows.length > REVIEW_PAGE_SIZE && last
          ? encodeReviewCursor({
            importance: last.importance,
            createdAt: last.createdAt,
            id: last.id,
          })
          : null}
        paged={after !== null}
        accountEmails={new Map(accounts.map((a) => [a.id, a.email]))}
        notice={extra.notice ?? null}
        bulkError={extra.bulkError ?? null}
      />,
      code,
    );
  };

  app.get("/review", (c) =>
    renderList(c, {
      notice: BULK_NOTICES[c.req.query("notice") ?? ""] ?? null,
    }));

  app.post("/review/bulk", async (c) => {
    const body = await c.req.parseBody({ all: true });
    const raw = body.id;
    const ids = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw])
      .filter((v): v is string => typeof v === "string" && v.length <= 100);
    const kind = body.action === "resolve" ? "resolve" : "assign";
    try {
      await bulkReview({
        ids,
        action: kind === "resolve" ? { kind } : {
          kind,
          assignee: typeof body.assignee === "string"
            ? body.assignee.slice(0, 100)
            : "",
        },
        actor: c.get("session")!.actor,
      }, {
        review: deps.store.review,
        audit: deps.store.audit,
        clock: deps.clock,
      });
    } catch (err) {
      if (err instanceof AppError && err.code === "invalid_input") {
        return renderList(c, { bulkError: err.message }, 400);
      }
      throw err;
    }
    const back = new URL(c.req.url);
    back.searchParams.set(
      "notice",
      kind === "resolve" ? "bulk_resolved" : "bulk_assigned",
    );
    return c.redirect(`/review${back.search}`, 303);
  });

  const renderItem = async (
    c: Context<WebEnv>,
    item: ReviewItem,
    extra: {
      notice?: string | null;
      replyError?: string | null;
      replyText?: string;
    } = {},
    status: 200 | 400 | 409 = 200,
  ) => {
    const [account, entry, addresses] = await Promise.all([
      deps.store.accounts.get(item.accountId),
      deps.store.ledger.get(item.accountId, item.gmailId),
      item.status === "resolved" ? null : personReplyAddresses(item, deps),
    ]);
    const suggestion = suggestReply({
      decision: entry?.decision ?? null,
      sections: deps.knowledge.sections(),
      signature: deps.signature,
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
      />,
      status,
    );
  };

  app.get("/review/:id", async (c) => {
    const item = await load(c.req.param("id"));
    return renderItem(c, item, {
      notice: NOTICES[c.req.query("notice") ?? ""] ?? null,
    });
  });

  app.post("/review/:id/reply", async (c) => {
    const item = await load(c.req.param("id"));
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
        return renderItem(c, item, {
          replyError: err.message,
          replyText: typed,
        }, err.code === "conflict" ? 409 : 400);
      }
      throw err;
    }
    return c.redirect(
      `/review/${encodeURIComponent(item.id)}?notice=replied`,
      303,
    );
  });

  app.post("/review/:id/assign", async (c) => {
    const item = await load(c.req.param("id"));
    const who = field(await c.req.parseBody(), "assignee", 100);
    await deps.store.review.update(item.id, {
      assignee: who === "" ? null : who,
      ...(item.status === "pending" && who !== ""
        ? { status: "in_progress" as const }
        : {}),
    }, deps.clock.now());
    await audit(c.get("session")!.actor, "review_assigned", item, {
      assignee: who,
    });
    return c.redirect(
      `/review/${encodeURIComponent(item.id)}?notice=assigned`,
      303,
    );
  });

  app.post("/review/:id/note", async (c) => {
    const item = await load(c.req.param("id"));
    const note = field(await c.req.parseBody(), "note", 2000);
    await deps.store.review.update(
      item.id,
      { note: note === "" ? null : note },
      deps.clock.now(),
    );
    await audit(c.get("session")!.actor, "review_noted", item);
    return c.redirect(
      `/review/${encodeURIComponent(item.id)}?notice=noted`,
      303,
    );
  });

  for (
    const [verb, status] of [["resolve", "resolved"], [
      "reopen",
      "pending",
    ]] as const
  ) {
    app.post(`/review/:id/${verb}`, async (c) => {
      const item = await load(c.req.param("id"));
      await deps.store.review.update(item.id, { status }, deps.clock.now());
      await audit(
        c.get("session")!.actor,
        `review_${verb === "resolve" ? "resolved" : "reopened"}`,
        item,
      );
      return c.redirect(
        `/review/${encodeURIComponent(item.id)}?notice=${
          status === "resolved" ? "resolved" : "reopened"
        }`,
        303,
      );
    });
  }

  return app;
}
