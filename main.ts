/**
 * The entry point: parses argv, reads `Deno.env` (the only module that
 * does), and runs one CLI command (`serve` for `deno task start`). The agent
 * is wired in one place, the composition root `app/`: `app/open_store.ts`
 * opens Deno KV or Postgres, `app/build_agent.ts` builds every other
 * collaborator (Gmail adapter, understanding, worker, web app), and
 * `app/serve.ts` serves it and registers `Deno.cron`. No business logic here.
 * @module
 */
// deno-lint-ignore-file no-console
import { buildAgent } from "./app/build_agent.ts";
import { withBundledPaths } from "./app/bundled_paths.ts";
import { serve } from "./app/serve.ts";
import { accountsList } from "./app/cli/accounts_commands.ts";
import { accountsAdd } from "./app/cli/accounts_add.ts";
import { pollCommand } from "./app/cli/poll_command.ts";
import { evalClassify, evalRetrieve } from "./app/cli/eval_command.ts";
import { evalAnswers } from "./app/cli/eval_answers.ts";
import { ordersGet, ordersImport } from "./app/cli/orders_commands.ts";
import { type CliCommand, parseArgs, USAGE } from "./app/cli/parse_args.ts";
import { readInput } from "./app/cli/read_input.ts";
import { sideBySide } from "./app/cli/running_server.ts";
import { findRunningServer, pollOnServer } from "./app/server_file.ts";
import { loadConfig } from "./app/config.ts";
import { migrateDatabase, openStore } from "./app/open_store.ts";
import { loadSampleOrders } from "./db/sample_orders.ts";
import { createLogger, scrubText } from "./app/ops/logger.ts";
import { AppError } from "./pipeline/errors.ts";
import { systemClock } from "./pipeline/ports.ts";

const print = (v: unknown) =>
  console.log(typeof v === "string" ? v : JSON.stringify(v));

async function run(argv: string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    console.error(`error: ${parsed.error}\n\n${USAGE}`);
    return 2;
  }
  const cmd = parsed.command;
  if (cmd.name === "help") {
    print(USAGE);
    return 0;
  }
  const loaded = loadConfig(Deno.env.toObject());
  if (!loaded.ok) {
    for (const e of loaded.errors) console.error(`config error: ${e}`);
    return 1;
  }
  const config = await withBundledPaths(loaded.config);
  const logger = createLogger({
    level: config.LOG_LEVEL,
    format: config.LOG_FORMAT,
  });

  if (cmd.name === "healthcheck") {
    const res = await fetch(`http://127.0.0.1:${config.PORT}/healthz`).catch(
      () => null,
    );
    await res?.body?.cancel();
    return res?.ok ? 0 : 1;
  }
  if (
    cmd.name === "eval classify" || cmd.name === "eval retrieve" ||
    cmd.name === "eval answers"
  ) {
    return await runEval(cmd, config, logger);
  }
  if (cmd.name === "migrate") {
    if (!config.DATABASE_URL) {
      throw new AppError(
        "invalid_input",
        "migrate needs DATABASE_URL: the embedded Deno KV store has no migrations",
      );
    }
    print({ applied: await migrateDatabase(config.DATABASE_URL, logger) });
    return 0;
  }

  // A server on this data folder owns its sandbox and its embedded store.
  const server = await findRunningServer(config.DATA_DIR);
  if (sideBySide(cmd.name, server) === "poll_on_server") {
    print(await pollOnServer(server!));
    return 0;
  }

  const store = await openStore(config, { logger });
  try {
    // The embedded default ships sample orders, loaded once on first use
    // (by the running server, if there is one).
    if (!config.DATABASE_URL && server === null) {
      await loadSampleOrders(store, { now: systemClock.now(), logger });
    }
    switch (cmd.name) {
      case "accounts list":
        for (const a of await accountsList(store)) print(a);
        return 0;
      case "orders import":
        print(await ordersImport(store, cmd.file));
        return 0;
      case "orders get":
        print(await ordersGet(store, cmd.orderId));
        return 0;
      default:
        break;
    }
    const agent = await buildAgent({
      config,
      store,
      logger,
      clock: systemClock,
      // Only the server runs the sandbox: a CLI command must not replace
      // its mailbox and token with a throwaway one.
      sandbox: cmd.name === "serve",
    });
    try {
      switch (cmd.name) {
        case "serve":
          await serve(agent, {
            signals: ["SIGINT", "SIGTERM"],
            watchKnowledgeBase: cmd.watchKb,
          });
          return 0;
        case "poll":
          print(await pollCommand(agent));
          return 0;
        case "accounts add":
          print(
            await accountsAdd({
              email: cmd.email,
              refreshToken: cmd.refreshToken,
            }, agent.accountDeps),
          );
          return 0;
        case "simulate": {
          const raw = await readInput(cmd.file);
          print((await agent.simulate(raw)).decision);
          return 0;
        }
      }
    } finally {
      await agent.close();
    }
  } finally {
    await store.close();
  }
  return 0;
}

async function runEval(
  cmd: Extract<
    CliCommand,
    { name: "eval classify" | "eval retrieve" | "eval answers" }
  >,
  config: ReturnType<typeof loadConfig> extends infer R
    ? R extends { ok: true; config: infer C } ? C : never
    : never,
  logger: ReturnType<typeof createLogger>,
): Promise<number> {
  const summary = cmd.name === "eval classify"
    ? await evalClassify(cmd.file, { config, logger, progress: Deno.stderr })
    : cmd.name === "eval answers"
    ? await evalAnswers(cmd.file, { kbDir: cmd.kb }, {
      config,
      logger,
      progress: Deno.stderr,
    })
    : await evalRetrieve(cmd.file, { kbDir: cmd.kb }, {
      config,
      logger,
      progress: Deno.stderr,
    });
  print(summary);
  return 0;
}

if (import.meta.main) {
  let code = 1;
  try {
    code = await run(Deno.args);
  } catch (e) {
    // One line, no stack trace. Our own errors are written for users; any
    // other is scrubbed in case a library put a token in its message.
    const message = e instanceof Error ? e.message : String(e);
    const line = message.split("\n")[0] ?? "";
    console.error(`error: ${e instanceof AppError ? line : scrubText(line)}`);
    code = 1;
  }
  Deno.exit(code);
}
