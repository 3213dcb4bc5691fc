/**
 * Test helper: a tiny OpenAI-compatible chat endpoint on a random port. It
 * stands in for the external model service the way the Gmail emulator stands
 * in for Google: the test scripts its replies, and the client under test
 * talks to it over real HTTP.
 * @module
 */

/** One scripted answer of `POST /v1/chat/completions`. */
export type StubReply =
  /** A completion whose `choices[0].message.content` is `content`. */
  | { content: string }
  /** Any status and body (JSON-encoded unless a string). */
  | { status: number; body: unknown; headers?: Record<string, string> }
  /** Never answers (until the client gives up or the stub closes). */
  | { hang: true };

/** A request the stub received. */
export interface StubRequest {
  path: string;
  headers: Headers;
  /** The parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
}

/** A running stub. */
export interface OpenAiStub {
  /** Base URL to give the client, e.g. `http://127.0.0.1:40123/v1`. */
  baseUrl: string;
  /** Requests received, oldest first. */
  requests: StubRequest[];
  /** Queues replies; each request takes the next one. */
  script(...replies: StubReply[]): void;
  /** Called each time a request takes a `hang` reply (fire a deadline here). */
  onHang: () => void;
  close(): Promise<void>;
}

/** Starts the stub on 127.0.0.1 and a random port. */
export function startOpenAiStub(): OpenAiStub {
  const queue: StubReply[] = [];
  const requests: StubRequest[] = [];
  const closing = Promise.withResolvers<void>();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (req) => {
      const path = new URL(req.url).pathname;
      const text = await req.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch { /* keep the text */ }
      requests.push({ path, headers: req.headers, body });
      if (req.method !== "POST" || path !== "/v1/chat/completions") {
        return Response.json({ error: { message: "not found" } }, {
          status: 404,
        });
      }
      const reply = queue.shift();
      if (!reply) {
        return Response.json({ error: { message: "no scripted reply" } }, {
          status: 418,
        });
      }
      if ("hang" in reply) {
        // Held until the stub closes; the client gives up before that.
        stub.onHang();
        await closing.promise;
        return new Response(null, { status: 499 });
      }
      if ("content" in reply) {
        return Response.json({
          id: `chatcmpl-${requests.length}`,
          object: "chat.completion",
          model: (body as { model?: string }).model ?? "stub",
          choices: [{
            index: 0,
            message: { role: "assistant", content: reply.content },
            finish_reason: "stop",
          }],
        });
      }
      return new Response(
        typeof reply.body === "string"
          ? reply.body
          : JSON.stringify(reply.body),
        {
          status: reply.status,
          headers: { "content-type": "application/json", ...reply.headers },
        },
      );
    },
  );
  const addr = server.addr as Deno.NetAddr;
  const stub: OpenAiStub = {
    baseUrl: `http://127.0.0.1:${addr.port}/v1`,
    requests,
    script: (...replies) => void queue.push(...replies),
    onHang: () => {},
    close: async () => {
      closing.resolve();
      await server.shutdown();
    },
  };
  return stub;
}

/**
 * Deadlines a test fires by hand: `deadline(ms)` gives a signal that aborts
 * (with a TimeoutError, as `AbortSignal.timeout` does) only on `expire()`.
 * Pass `deadline` to the client and call `expire` from `stub.onHang`.
 */
export function manualDeadlines(): {
  deadline: (ms: number) => AbortSignal;
  expire: () => void;
} {
  const open = new Set<AbortController>();
  return {
    deadline: () => {
      const c = new AbortController();
      open.add(c);
      return c.signal;
    },
    expire: () => {
      for (const c of open) {
        c.abort(new DOMException("The deadline passed", "TimeoutError"));
      }
      open.clear();
    },
  };
}
