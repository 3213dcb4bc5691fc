/**
 * The playground: run the decision pipeline on a pasted or uploaded .eml
 * with nothing sent; in sandbox mode, send it into the sandbox inbox and
 * poll now.
 * @module
 */
import { Hono } from "hono";
import { AppError } from "../pipeline/errors.ts";
import type { Plan } from "../pipeline/types.ts";
import type { WebEnv } from "./hono_env.ts";
import { PlaygroundPage } from "./pages/playground_page.tsx";
import type { WebDeps } from "./web_deps.ts";

/** Largest message accepted, in bytes. */
export const MAX_EML_BYTES = 2 * 1024 * 1024;

/** A sample message to start from. */
export function sampleEml(to: string, now: Date): string {
  return [
    "From: Jane Customer <jane.customer@example.com>",
    `To: ${to}`,
    "Subject: Shipping time for my lamp order",
    `Date: ${now.toUTCString()}`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Hello,",
    "",
    "I ordered a lamp yesterday. How long does standard shipping usually take?",
    "",
    "Thanks,",
    "Jane",
    "",
  ].join("\r\n");
}

async function readEml(body: Record<string, unknown>): Promise<Uint8Array> {
  const file = body.file;
  if (file instanceof File && file.size > 0) {
    if (file.size > MAX_EML_BYTES) throw tooBig();
    return new Uint8Array(await file.arrayBuffer());
  }
  const text = typeof body.eml === "string" ? body.eml : "";
  if (text.trim() === "") {
    throw new AppError(
      "invalid_input",
      "Paste a message or choose a .eml file first.",
    );
  }
  const bytes = new TextEncoder().encode(text.replace(/\r?\n/g, "\r\n"));
  if (bytes.length > MAX_EML_BYTES) throw tooBig();
  return bytes;
}

/** The error for a message over MAX_EML_BYTES. */
export function tooBig(): AppError {
  return new AppError(
    "invalid_input",
    `The message is too large: at most ${MAX_EML_BYTES / 1024 / 1024} MB.`,
  );
}

/** Routes: GET /playground, POST /playground/(simulate|send|poll). */
export function createPlaygroundRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const page = (
    csrf: string,
    eml: string,
    extra: { plan?: Plan; notice?: string; poll?: Record<string, number> } = {},
  ) => (
    <PlaygroundPage
      csrf={csrf}
      eml={eml}
      sandboxEmail={deps.sandbox?.email ?? null}
      {...extra}
    />
  );

  app.get("/playground", (c) => {
    const eml = sampleEml(
      deps.sandbox?.email ?? "support@example.com",
      deps.clock.now(),
    );
    return c.html(page(c.get("session")!.csrf, eml));
  });

  app.post("/playground/simulate", async (c) => {
    const raw = await readEml(await c.req.parseBody());
    const plan = await deps.simulate(raw);
    return c.html(
      page(c.get("session")!.csrf, new TextDecoder().decode(raw), { plan }),
    );
  });

  app.post("/playground/send", async (c) => {
    const sandbox = deps.sandbox;
    if (!sandbox) {
      throw new AppError(
        "invalid_input",
        "The sandbox is off: connect a mailbox and send the email to it from any mail client.",
      );
    }
    const raw = await readEml(await c.req.parseBody());
    try {
      await sandbox.deliver(raw);
    } catch (err) {
      throw new AppError(
        "unavailable",
        "The sandbox mailbox refused the message.",
        { cause: err },
      );
    }
    await deps.store.audit.add({
      at: deps.clock.now(),
      actor: c.get("session")!.actor,
      action: "sandbox_message_sent",
      target: null,
      detail: {},
    });
    return c.html(page(c.get("session")!.csrf, new TextDecoder().decode(raw), {
      notice:
        `Delivered to the sandbox inbox of ${sandbox.email}. The agent answers at the next poll, or press "Poll now".`,
    }));
  });

  app.post("/playground/poll", async (c) => {
    const summary = await deps.pollNow();
    const eml = sampleEml(
      deps.sandbox?.email ?? "support@example.com",
      deps.clock.now(),
    );
    return c.html(page(c.get("session")!.csrf, eml, {
      notice:
        "Polled every active mailbox once. See Activity and Review for the results.",
      poll: summary,
    }));
  });

  return app;
}
