/**
 * `serve`: the HTTP server, the `Deno.cron` jobs (the poll schedule and the
 * daily prune of old records), the server's card for CLI commands on the
 * same data folder (`server_file.ts`), the one-time login link in the log,
 * the optional knowledge-base watch (`--watch-kb`) and a clean exit on
 * SIGINT / SIGTERM.
 * @module
 */
import { PRUNE_SCHEDULE } from "../pipeline/worker/retention.ts";
import type { Agent } from "./build_agent.ts";
import { removeServerFile, writeServerFile } from "./server_file.ts";

/** Options of `serve`. */
export interface ServeOptions {
  /** Signals that stop the server. */
  signals: Deno.Signal[];
  /** Rebuild the knowledge base when its files change (`deno task dev`). */
  watchKnowledgeBase?: boolean;
}

/** Serves the agent until one of the signals arrives. */
export async function serve(agent: Agent, opts: ServeOptions): Promise<void> {
  const { config, logger } = agent;
  const stop = new AbortController();
  let listening: (url: string) => void = () => {};
  const ready = new Promise<string>((r) => listening = r);
  const server = Deno.serve({
    hostname: config.HOST,
    port: config.PORT,
    signal: stop.signal,
    onListen: ({ hostname, port }) => {
      const host = hostname === "0.0.0.0" ? "127.0.0.1" : hostname;
      listening(`http://${host}:${port}`);
    },
  }, agent.app.fetch);
  const url = await ready;
  // CLI commands on this data folder find the server here (server_file.ts).
  await writeServerFile(config.DATA_DIR, {
    url,
    token: agent.controlToken,
    pid: Deno.pid,
    store: agent.store.kind,
  });
  const login = await agent.loginLink(config.PUBLIC_URL ?? url);
  logger.info("listening", {
    url,
    store: agent.store.kind,
    sandbox: agent.sandbox ? agent.sandbox.email : null,
    ...(login ? { login_link: login } : {}),
  });

  // Deno.cron's promise settles only when the job stops: keep it, don't wait.
  const cron = Deno.cron(
    "poll inboxes",
    config.POLL_SCHEDULE,
    { signal: stop.signal },
    async () => {
      await agent.pollOnce().catch((e) =>
        logger.error("poll failed", {
          error: e instanceof Error ? e.message : String(e),
        })
      );
    },
  );
  // Retention: records older than RETENTION_DAYS go once a day.
  const prune = Deno.cron(
    "prune old records",
    PRUNE_SCHEDULE,
    { signal: stop.signal },
    async () => {
      await agent.pruneOnce().catch((e) =>
        logger.error("prune failed", {
          error: e instanceof Error ? e.message : String(e),
        })
      );
    },
  );
  agent.schedulerRegistered();
  agent.startKnowledgeBase();
  const watcher = opts.watchKnowledgeBase
    ? watchKnowledgeBase(agent, stop.signal).catch((e) =>
      logger.error("knowledge base watch failed", {
        error: e instanceof Error ? e.message : String(e),
      })
    )
    : null;

  await new Promise<void>((resolve) => {
    for (const s of opts.signals) Deno.addSignalListener(s, () => resolve());
  });
  logger.info("stopping");
  stop.abort();
  await removeServerFile(config.DATA_DIR, agent.controlToken);
  await watcher;
  await cron;
  await prune;
  await server.finished;
}

async function watchKnowledgeBase(
  agent: Agent,
  signal: AbortSignal,
): Promise<void> {
  const watcher = Deno.watchFs(agent.config.KNOWLEDGE_BASE_DIR, {
    recursive: true,
  });
  signal.addEventListener("abort", () => watcher.close());
  let timer: ReturnType<typeof setTimeout> | undefined;
  for await (const _ of watcher) {
    clearTimeout(timer);
    timer = setTimeout(() => {
      agent.knowledge.reindex().catch((e) =>
        agent.logger.error("reindex failed", {
          error: e instanceof Error ? e.message : String(e),
        })
      );
    }, 200);
  }
  clearTimeout(timer);
}
