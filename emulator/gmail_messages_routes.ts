/**
 * Gmail `users.messages.*`: list, get, send (JSON and media upload),
 * modify, attachments.get.
 * @module
 */
import { Hono } from "hono";
import { z } from "zod";
import { googleError, invalidArgument, notFound } from "./errors.ts";
import { gmailMethod, SCOPES } from "./gmail_method.ts";
import { readJson } from "./json_body.ts";
import type { StoredMessage } from "./mailbox.ts";
import { modifyMessage, sendMessage } from "./mail_ops.ts";
import {
  attachmentIdFor,
  findPart,
  formatMessage,
  type MessageFormat,
  minimalRef,
} from "./message_format.ts";
import { fromBase64Url, toBase64Url } from "./mime.ts";
import { compileQuery, mentionsSpamOrTrash, parseQuery } from "./query.ts";
import type { EmulatorState } from "./state.ts";

const SendBody = z.object({
  raw: z.string().optional(),
  threadId: z.string().optional(),
});
const ModifyBody = z.object({
  addLabelIds: z.array(z.string()).optional(),
  removeLabelIds: z.array(z.string()).optional(),
});

const FORMATS = ["full", "metadata", "minimal", "raw"];

/** Parses maxResults (default 100, max 500) like Gmail. */
export function pageSize(value: string | undefined): number {
  if (value === undefined || value === "") return 100;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw invalidArgument(`Invalid value for maxResults: ${value}`);
  }
  return n === 0 ? 100 : Math.min(n, 500);
}

/** Parses a page token produced by this emulator (an offset). */
export function pageOffset(token: string | undefined): number {
  if (!token) return 0;
  const n = Number(token);
  if (!Number.isInteger(n) || n < 0) throw invalidArgument("Invalid pageToken");
  return n;
}

function decodeRaw(raw: string | undefined): Uint8Array {
  if (!raw) {
    throw invalidArgument(
      "'raw' RFC822 payload message string or uploading message via /upload/* URL required",
    );
  }
  try {
    return fromBase64Url(raw);
  } catch {
    throw invalidArgument("Invalid value for ByteString: " + raw.slice(0, 20));
  }
}

function getMessage(
  messages: Map<string, StoredMessage>,
  id: string,
): StoredMessage {
  const msg = messages.get(id);
  if (!msg) throw notFound();
  return msg;
}

/** Routes for users.messages.* (mounted at the app root). */
export function createMessageRoutes(state: EmulatorState): Hono {
  const app = new Hono();
  const base = "/gmail/v1/users/:userId/messages";

  app.get(
    base,
    gmailMethod(state, "messages.list", SCOPES.read, ({ c, mb }) => {
      const terms = parseQuery(c.req.query("q") ?? "");
      const labelIds = c.req.queries("labelIds") ?? [];
      const withSpam = c.req.query("includeSpamTrash") === "true" ||
        mentionsSpamOrTrash(terms);
      const nowMs = state.now().getTime();
      const hits = [...mb.messages.values()]
        .filter((m) =>
          withSpam || !m.labelIds.some((l) => l === "SPAM" || l === "TRASH")
        )
        .filter((m) => labelIds.every((l) => m.labelIds.includes(l)))
        .filter(compileQuery(terms, mb, nowMs))
        .sort((a, b) =>
          b.internalDate - a.internalDate || (b.id < a.id ? -1 : 1)
        );
      const size = pageSize(c.req.query("maxResults"));
      const offset = pageOffset(c.req.query("pageToken"));
      const page = hits.slice(offset, offset + size);
      const body: Record<string, unknown> = {};
      if (page.length > 0) {
        body.messages = page.map((m) => ({ id: m.id, threadId: m.threadId }));
      }
      if (offset + size < hits.length) {
        body.nextPageToken = String(offset + size);
      }
      body.resultSizeEstimate = hits.length;
      return c.json(body);
    }),
  );

  app.get(
    `${base}/:id`,
    gmailMethod(state, "messages.get", SCOPES.read, ({ c, mb }) => {
      const format = c.req.query("format") ?? "full";
      if (!FORMATS.includes(format)) {
        throw invalidArgument(`Invalid value at 'format' (${format})`);
      }
      const msg = getMessage(mb.messages, c.req.param("id")!);
      const headers = c.req.queries("metadataHeaders") ?? [];
      return c.json(formatMessage(msg, format as MessageFormat, headers));
    }),
  );

  app.get(
    `${base}/:id/attachments/:aid`,
    gmailMethod(state, "messages.attachments.get", SCOPES.read, ({ c, mb }) => {
      const msg = getMessage(mb.messages, c.req.param("id")!);
      const aid = c.req.param("aid")!;
      const walk = (id: string): string | null => {
        const p = findPart(msg.mime, id);
        if (!p) return null;
        if (p.parts.length === 0) {
          return attachmentIdFor(msg.id, id) === aid ? id : null;
        }
        for (let i = 0; i < p.parts.length; i++) {
          const hit = walk(id === "" ? String(i) : `${id}.${i}`);
          if (hit !== null) return hit;
        }
        return null;
      };
      const partId = walk("");
      const part = partId === null ? undefined : findPart(msg.mime, partId);
      if (!part) throw invalidArgument("Invalid attachment token");
      return c.json({ size: part.body.length, data: toBase64Url(part.body) });
    }),
  );

  const send = gmailMethod(
    state,
    "messages.send",
    SCOPES.send,
    async ({ c, mb }) => {
      let raw: Uint8Array;
      let threadId: string | undefined;
      if (c.req.path.startsWith("/upload/")) {
        if (c.req.query("uploadType") !== "media") {
          throw googleError(
            400,
            "badRequest",
            "Only uploadType=media is emulated",
          );
        }
        raw = new Uint8Array(await c.req.arrayBuffer());
        threadId = c.req.query("threadId");
      } else {
        const body = await readJson(c, SendBody);
        raw = decodeRaw(body.raw);
        threadId = body.threadId;
      }
      const msg = sendMessage(state, mb, raw, threadId || undefined);
      return c.json(minimalRef(msg));
    },
  );
  app.post(`${base}/send`, send);
  app.post(`/upload${base}/send`, send);

  app.post(
    `${base}/:id/modify`,
    gmailMethod(state, "messages.modify", SCOPES.modify, async ({ c, mb }) => {
      const body = await readJson(c, ModifyBody);
      const msg = modifyMessage(
        mb,
        c.req.param("id")!,
        body.addLabelIds ?? [],
        body.removeLabelIds ?? [],
      );
      return c.json(minimalRef(msg));
    }),
  );

  return app;
}
