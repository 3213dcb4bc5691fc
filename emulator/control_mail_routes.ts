/**
 * Control routes for mail: delivery (`POST /__emu/messages`), what a person
 * does in Gmail (`messages/move`, `drafts/send`), mailbox, sent and draft
 * listings, history expiry.
 * @module
 */
import { Hono } from "hono";
import { z } from "zod";
import { AUTH_OUTCOMES, stampAuthResults } from "./auth_results.ts";
import { composeRaw } from "./compose.ts";
import {
  body,
  ControlError,
  Email,
  UserBody,
  userParam,
} from "./control_common.ts";
import { deliver, expireHistory, moveMessage, sendDraft } from "./mail_ops.ts";
import { fromBase64Url, toBase64Url } from "./mime.ts";
import {
  type EmulatorState,
  ensureUser,
  findUser,
  nextHexId,
} from "./state.ts";

const DeliverBody = z.union([
  z.object({
    to: Email,
    raw: z.string().min(1),
    date: z.iso.datetime({ offset: true }).optional(),
    auth: z.enum(AUTH_OUTCOMES).default("pass"),
    spam: z.boolean().optional(),
  }),
  z.object({
    to: Email,
    from: z.string().min(3),
    subject: z.string(),
    text: z.string(),
    html: z.string().optional(),
    in_reply_to: z.string().optional(),
    references: z.array(z.string()).optional(),
    message_id: z.string().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    date: z.iso.datetime({ offset: true }).optional(),
    auth: z.enum(AUTH_OUTCOMES).default("pass"),
    spam: z.boolean().optional(),
  }),
]);
const MoveBody = z.object({
  user: Email,
  id: z.string().min(1),
  to: z.enum(["spam", "trash", "inbox", "archive"]),
});
const SendDraftBody = z.object({
  user: Email,
  id: z.string().min(1),
  edited: z.boolean().optional(),
});

function mailboxOf(state: EmulatorState, email: string) {
  const mb = findUser(state, email);
  if (!mb) {
    throw new ControlError(
      404,
      `No emulated user: current value is "${email}"`,
    );
  }
  return mb;
}

/** The mail control routes (mounted under `/__emu`). */
export function createControlMailRoutes(state: EmulatorState): Hono {
  const app = new Hono();

  app.post("/messages", async (c) => {
    const b = await body(c, DeliverBody);
    const mb = ensureUser(state, b.to);
    const date = b.date ? new Date(b.date) : state.now();
    let raw: Uint8Array;
    if ("raw" in b) {
      try {
        raw = fromBase64Url(b.raw);
      } catch {
        throw new ControlError(400, "Cannot decode raw as it is not base64url");
      }
    } else {
      const domain = b.from.match(/@([^>\s]+)/)?.[1] ?? "example.com";
      raw = await composeRaw({
        from: b.from,
        to: b.to,
        subject: b.subject,
        text: b.text,
        html: b.html,
        inReplyTo: b.in_reply_to,
        references: b.references,
        headers: b.headers,
        messageId: b.message_id ?? `<emu.${nextHexId(state)}@${domain}>`,
        date,
      });
    }
    // Gmail's MX stamps its own verdict on top of every inbound message.
    const msg = deliver(
      state,
      mb,
      stampAuthResults(raw, b.auth),
      date.getTime(),
      { spam: b.spam },
    );
    return c.json({ id: msg.id, threadId: msg.threadId });
  });

  app.post("/messages/move", async (c) => {
    const b = await body(c, MoveBody);
    const mb = mailboxOf(state, b.user);
    if (!mb.messages.has(b.id)) {
      throw new ControlError(404, `No message: current value is "${b.id}"`);
    }
    const msg = moveMessage(mb, b.id, b.to);
    return c.json({
      id: msg.id,
      threadId: msg.threadId,
      labelIds: msg.labelIds,
    });
  });

  app.post("/drafts/send", async (c) => {
    const b = await body(c, SendDraftBody);
    const mb = mailboxOf(state, b.user);
    if (!mb.drafts.has(b.id)) {
      throw new ControlError(404, `No draft: current value is "${b.id}"`);
    }
    const msg = sendDraft(state, mb, b.id, { edited: b.edited });
    return c.json({
      id: msg.id,
      threadId: msg.threadId,
      labelIds: msg.labelIds,
    });
  });

  app.get("/messages", (c) => {
    const mb = userParam(state, c);
    return c.json([...mb.messages.values()].map((m) => ({
      id: m.id,
      threadId: m.threadId,
      labelIds: m.labelIds,
      raw: toBase64Url(m.raw),
    })));
  });

  app.get("/sent", (c) => {
    const mb = userParam(state, c);
    return c.json(
      [...mb.messages.values()].filter((m) => m.labelIds.includes("SENT"))
        .map((m) => ({
          id: m.id,
          threadId: m.threadId,
          raw: toBase64Url(m.raw),
        })),
    );
  });

  app.get("/drafts", (c) => {
    const mb = userParam(state, c);
    return c.json([...mb.drafts].flatMap(([draftId, msgId]) => {
      const m = mb.messages.get(msgId);
      return m
        ? [{
          id: draftId,
          messageId: m.id,
          threadId: m.threadId,
          raw: toBase64Url(m.raw),
        }]
        : [];
    }));
  });

  app.post("/history/expire", async (c) => {
    const { email } = await body(c, UserBody);
    const mb = mailboxOf(state, email);
    expireHistory(mb);
    return c.json({ historyId: String(mb.historyId) });
  });

  return app;
}
