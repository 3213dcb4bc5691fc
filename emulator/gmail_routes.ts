/**
 * Gmail `users.getProfile`, `labels.*`, `drafts.*`, `history.list`,
 * `threads.get`, plus the messages routes.
 * @module
 */
import { Hono } from "hono";
import { z } from "zod";
import { invalidArgument, notFound } from "./errors.ts";
import { gmailMethod, SCOPES } from "./gmail_method.ts";
import {
  createMessageRoutes,
  pageOffset,
  pageSize,
} from "./gmail_messages_routes.ts";
import { listHistory } from "./history.ts";
import { readJson } from "./json_body.ts";
import { threadCount, threadMessages } from "./mailbox.ts";
import {
  createDraft,
  createLabel,
  deleteDraft,
  draftMessage,
  sendDraft,
  updateDraft,
} from "./mail_ops.ts";
import {
  formatMessage,
  type MessageFormat,
  minimalRef,
} from "./message_format.ts";
import { fromBase64Url } from "./mime.ts";
import { compileQuery, parseQuery } from "./query.ts";
import type { EmulatorState } from "./state.ts";

const LabelBody = z.object({
  name: z.string().optional(),
  messageListVisibility: z.enum(["show", "hide"]).optional(),
  labelListVisibility: z.enum(["labelShow", "labelShowIfUnread", "labelHide"])
    .optional(),
  color: z.object({
    textColor: z.string().optional(),
    backgroundColor: z.string().optional(),
  }).optional(),
});
const DraftBody = z.object({
  message: z.object({
    raw: z.string().optional(),
    threadId: z.string().optional(),
  })
    .optional(),
});

/** All Gmail API v1 routes of the emulator. */
export function createGmailRoutes(state: EmulatorState): Hono {
  const app = new Hono();
  const u = "/gmail/v1/users/:userId";
  app.route("/", createMessageRoutes(state));

  app.get(
    `${u}/profile`,
    gmailMethod(
      state,
      "users.getProfile",
      SCOPES.labelsRead,
      ({ c, mb }) =>
        c.json({
          emailAddress: mb.email,
          messagesTotal: mb.messages.size,
          threadsTotal: threadCount(mb),
          historyId: String(mb.historyId),
        }),
    ),
  );

  app.get(
    `${u}/labels`,
    gmailMethod(
      state,
      "labels.list",
      SCOPES.labelsRead,
      ({ c, mb }) => c.json({ labels: [...mb.labels.values()] }),
    ),
  );

  app.get(
    `${u}/labels/:id`,
    gmailMethod(state, "labels.get", SCOPES.labelsRead, ({ c, mb }) => {
      const label = mb.labels.get(c.req.param("id")!);
      if (!label) throw notFound();
      const ids = [...mb.messages.values()].filter((m) =>
        m.labelIds.includes(label.id)
      );
      return c.json({
        ...label,
        messagesTotal: ids.length,
        messagesUnread: ids.filter((m) => m.labelIds.includes("UNREAD")).length,
        threadsTotal: new Set(ids.map((m) => m.threadId)).size,
        threadsUnread: new Set(
          ids.filter((m) => m.labelIds.includes("UNREAD")).map((m) =>
            m.threadId
          ),
        ).size,
      });
    }),
  );

  app.post(
    `${u}/labels`,
    gmailMethod(state, "labels.create", SCOPES.labels, async ({ c, mb }) => {
      const body = await readJson(c, LabelBody);
      return c.json(createLabel(mb, body));
    }),
  );

  app.post(
    `${u}/drafts`,
    gmailMethod(state, "drafts.create", SCOPES.compose, async ({ c, mb }) => {
      const body = await readJson(c, DraftBody);
      const raw = body.message?.raw;
      if (!raw) throw invalidArgument("Missing draft message");
      let bytes: Uint8Array;
      try {
        bytes = fromBase64Url(raw);
      } catch {
        throw invalidArgument("Invalid value for ByteString");
      }
      const { draftId, message } = createDraft(
        state,
        mb,
        bytes,
        body.message?.threadId || undefined,
      );
      return c.json({
        id: draftId,
        message: {
          id: message.id,
          threadId: message.threadId,
          labelIds: [...message.labelIds],
        },
      });
    }),
  );

  app.get(
    `${u}/drafts`,
    gmailMethod(state, "drafts.list", SCOPES.read, ({ c, mb }) => {
      const match = compileQuery(
        parseQuery(c.req.query("q") ?? ""),
        mb,
        state.now().getTime(),
      );
      const hits = [...mb.drafts].flatMap(([id, msgId]) => {
        const m = mb.messages.get(msgId);
        return m && match(m) ? [{ id, m }] : [];
      }).sort((a, b) =>
        b.m.internalDate - a.m.internalDate || (b.id < a.id ? -1 : 1)
      );
      const size = pageSize(c.req.query("maxResults"));
      const offset = pageOffset(c.req.query("pageToken"));
      const page = hits.slice(offset, offset + size);
      const body: Record<string, unknown> = {};
      if (page.length > 0) {
        body.drafts = page.map(({ id, m }) => ({
          id,
          message: { id: m.id, threadId: m.threadId },
        }));
      }
      if (offset + size < hits.length) {
        body.nextPageToken = String(offset + size);
      }
      body.resultSizeEstimate = hits.length;
      return c.json(body);
    }),
  );

  app.get(
    `${u}/drafts/:id`,
    gmailMethod(state, "drafts.get", SCOPES.read, ({ c, mb }) => {
      const format = c.req.query("format") ?? "full";
      if (!["full", "metadata", "minimal", "raw"].includes(format)) {
        throw invalidArgument(`Invalid value at 'format' (${format})`);
      }
      const id = c.req.param("id")!;
      const msg = draftMessage(mb, id);
      return c.json({
        id,
        message: formatMessage(msg, format as MessageFormat),
      });
    }),
  );

  app.put(
    `${u}/drafts/:id`,
    gmailMethod(state, "drafts.update", SCOPES.compose, async ({ c, mb }) => {
      const id = c.req.param("id")!;
      const body = await readJson(c, DraftBody);
      const raw = body.message?.raw;
      if (!raw) throw invalidArgument("Missing draft message");
      let bytes: Uint8Array;
      try {
        bytes = fromBase64Url(raw);
      } catch {
        throw invalidArgument("Invalid value for ByteString");
      }
      const message = updateDraft(
        state,
        mb,
        id,
        bytes,
        body.message?.threadId || undefined,
      );
      return c.json({
        id,
        message: {
          id: message.id,
          threadId: message.threadId,
          labelIds: [...message.labelIds],
        },
      });
    }),
  );

  app.delete(
    `${u}/drafts/:id`,
    gmailMethod(state, "drafts.delete", SCOPES.compose, ({ c, mb }) => {
      deleteDraft(mb, c.req.param("id")!);
      return c.body(null, 204);
    }),
  );

  app.post(
    `${u}/drafts/send`,
    gmailMethod(state, "drafts.send", SCOPES.compose, async ({ c, mb }) => {
      const body = await readJson(c, z.object({ id: z.string().optional() }));
      if (!body.id) throw invalidArgument("Invalid draft id");
      return c.json(minimalRef(sendDraft(state, mb, body.id)));
    }),
  );

  app.get(
    `${u}/history`,
    gmailMethod(
      state,
      "history.list",
      SCOPES.read,
      ({ c, mb }) =>
        c.json(listHistory(mb, {
          startHistoryId: c.req.query("startHistoryId"),
          historyTypes: c.req.queries("historyTypes") ?? [],
          labelId: c.req.query("labelId"),
          maxResults: pageSize(c.req.query("maxResults")),
          offset: pageOffset(c.req.query("pageToken")),
          withLabelIds: state.flags.historyLabelIds,
          staleStatus: state.flags.staleHistoryStatus,
        })),
    ),
  );

  app.get(
    `${u}/threads/:id`,
    gmailMethod(state, "threads.get", SCOPES.read, ({ c, mb }) => {
      const messages = threadMessages(mb, c.req.param("id")!);
      if (messages.length === 0) throw notFound();
      const format = (c.req.query("format") ?? "full") as MessageFormat;
      const headers = c.req.queries("metadataHeaders") ?? [];
      return c.json({
        id: c.req.param("id"),
        historyId: String(Math.max(...messages.map((m) => m.historyId))),
        messages: messages.map((m) => formatMessage(m, format, headers)),
      });
    }),
  );

  return app;
}
