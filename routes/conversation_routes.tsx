/**
 * The conversation view: GET /conversations/:accountId/:threadId.
 * @module
 */
import { Hono } from "hono";
import { loadConversation } from "../pipeline/dashboard/conversation.ts";
import { AppError } from "../pipeline/errors.ts";
import type { WebEnv } from "./hono_env.ts";
import { ConversationPage } from "./pages/conversation_page.tsx";
import type { WebDeps } from "./web_deps.ts";

const ID = /^[A-Za-z0-9_.:-]{1,100}$/;

/** Routes: GET /conversations/:accountId/:threadId. */
export function createConversationRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.get("/conversations/:accountId/:threadId", async (c) => {
    const accountId = c.req.param("accountId");
    const threadId = c.req.param("threadId");
    if (!ID.test(accountId) || !ID.test(threadId)) {
      throw new AppError("not_found", "No such conversation.");
    }
    const conversation = await loadConversation(
      { accountId, threadId },
      deps,
    );
    if (!conversation) {
      throw new AppError("not_found", "No such conversation.");
    }
    return c.html(
      <ConversationPage
        csrf={c.get("session")!.csrf}
        conversation={conversation}
      />,
    );
  });
  return app;
}
