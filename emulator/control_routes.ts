/**
 * Control routes under `/__emu/` for tests and the sandbox: users and
 * refresh tokens, message delivery, sent mail and drafts, faults, revocation,
 * call counters, OAuth flags, history expiry, reset.
 * @module
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { composeRaw } from "./compose.ts";
import { deliver, expireHistory } from "./mail_ops.ts";
import { fromBase64Url, toBase64Url } from "./mime.ts";
import { createGrant, DEFAULT_SCOPE, revokeUser } from "./oauth_state.ts";
import {
  type EmulatorState,
  ensureUser,
  findUser,
  nextHexId,
  resetState,
} from "./state.ts";

const Email = z.string().trim().min(3).regex(/@/, "must be an email address");
const UserBody = z.object({ email: Email });
const DeliverBody = z.union([
  z.object({
    to: Email,
    raw: z.string().min(1),
    date: z.iso.datetime({ offset: true }).optional(),
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
  }),
]);
const FaultBody = z.object({
  status: z.number().int().min(400).max(599),
  count: z.number().int().min(1).default(1),
  path: z.string().optional(),
  reason: z.string().optional(),
});
const OAuthFlags = z.object({
  deny: z.union([z.boolean(), z.number().int().min(0)]).optional(),
  omit_refresh_token: z.boolean().optional(),
});

class ControlError extends Error {
  constructor(readonly status: 400 | 404, message: string) {
    super(message);
  }
}

async function body<T extends z.ZodType>(
  c: Context,
  schema: T,
): Promise<z.infer<T>> {
  let value: unknown;
  try {
    value = await c.req.json();
  } catch {
    throw new ControlError(
      400,
      "Cannot read the request body as it is not JSON",
    );
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new ControlError(
      400,
      `Invalid body: ${i?.path.join(".") || "body"}: ${i?.message}`,
    );
  }
  return parsed.data;
}

function userParam(state: EmulatorState, c: Context) {
  const email = c.req.query("user") ?? "";
  const mb = findUser(state, email);
  if (!mb) {
    throw new ControlError(
      404,
      `No emulated user: current value is "${email}"`,
    );
  }
  return mb;
}

/** The `/__emu/*` routes. */
export function createControlRoutes(state: EmulatorState): Hono {
  const app = new Hono();
  app.onError((err, c) => {
    if (err instanceof ControlError) {
      return c.json({ error: err.message }, err.status);
    }
    throw err;
  });

  app.post("/users", async (c) => {
    const { email } = await body(c, UserBody);
    const mb = ensureUser(state, email);
    const grant = createGrant(state, {
      email: mb.email,
      clientId: null,
      scope: DEFAULT_SCOPE,
      withRefresh: true,
    });
    return c.json({ email: mb.email, refresh_token: grant.refreshToken });
  });

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
    const msg = deliver(state, mb, raw, date.getTime());
    return c.json({ id: msg.id, threadId: msg.threadId });
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

  app.post("/faults", async (c) => {
    const f = await body(c, FaultBody);
    state.faults.push({
      status: f.status,
      remaining: f.count,
      path: f.path ?? null,
      reason: f.reason ?? null,
    });
    return c.json({ queued: f.count });
  });
  app.delete("/faults", (c) => {
    state.faults = [];
    return c.json({});
  });

  app.post("/revoke", async (c) => {
    const { email } = await body(c, UserBody);
    return c.json({ revoked: revokeUser(state, email) });
  });
  app.get("/revocations", (c) =>
    c.json(state.revocations.map((r) => ({
      email: r.email,
      client_id: r.clientId,
      token_type: r.tokenType,
      at: r.at,
    }))));

  app.post("/tokens/expire", async (c) => {
    const { email } = await body(c, UserBody);
    let n = 0;
    for (const t of state.accessTokens.values()) {
      if (state.grants.get(t.grantId)?.email === email.toLowerCase()) {
        t.expiresAt = 0;
        n++;
      }
    }
    return c.json({ expired: n });
  });

  app.get(
    "/calls",
    (c) => c.json({ calls: { ...state.calls }, units: state.units }),
  );

  app.post("/oauth", async (c) => {
    const f = await body(c, OAuthFlags);
    if (f.deny !== undefined) {
      state.flags.denyNext = typeof f.deny === "number"
        ? f.deny
        : f.deny
        ? 1
        : 0;
    }
    if (f.omit_refresh_token !== undefined) {
      state.flags.omitRefreshToken = f.omit_refresh_token;
    }
    return c.json({
      deny: state.flags.denyNext,
      omit_refresh_token: state.flags.omitRefreshToken,
      client_ids: [...state.clientIds],
    });
  });

  app.post("/history/expire", async (c) => {
    const { email } = await body(c, UserBody);
    const mb = findUser(state, email);
    if (!mb) {
      throw new ControlError(
        404,
        `No emulated user: current value is "${email}"`,
      );
    }
    expireHistory(mb);
    return c.json({ historyId: String(mb.historyId) });
  });

  app.post("/reset", (c) => {
    resetState(state);
    return c.json({});
  });
  return app;
}
