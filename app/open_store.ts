/**
 * Opens the configured store: Postgres when DATABASE_URL is set (migrated at
 * startup), otherwise Deno KV at `$DATA_DIR/agent.kv`. Every failure is one
 * clear line (AppError "unavailable"), never with the password.
 * @module
 */
import postgres from "postgres";
import type { Config } from "./config.ts";
import type { Logger } from "../pipeline/log.ts";
import { AppError } from "../pipeline/errors.ts";
import {
  DEFAULT_RETENTION,
  type Store,
  systemClock,
} from "../pipeline/ports.ts";
import { secureDataDir, secureFiles } from "./data_dir.ts";
import { loadOrCreateKeyFile } from "../db/crypto/key_file.ts";
import {
  createTokenCipher,
  type TokenCipher,
  TokenDecryptError,
} from "../db/crypto/token_cipher.ts";
import { migrateKvIndexes } from "../db/kv/kv_migrate_indexes.ts";
import { migrateKvMeta } from "../db/kv/kv_migrate_meta.ts";
import { createKvStore } from "../db/kv/kv_store.ts";
import { withDeadlines } from "../db/deadline_store.ts";
import { describePgError, isPgUnavailable, pgTarget } from "../db/pg_errors.ts";
import { migrate } from "../db/postgres/migrate.ts";
import { createPgStore } from "../db/postgres/pg_store.ts";

/** The folder of the SQL migrations. */
export const MIGRATIONS_DIR = new URL("../db/migrations/", import.meta.url);

type StoreConfig =
  & Pick<
    Config,
    "DATABASE_URL" | "DATA_DIR" | "ENCRYPTION_KEY" | "ENCRYPTION_KEYS_OLD"
  >
  & Partial<Pick<Config, "STORE_TIMEOUT_SECONDS" | "SENT_REPLY_MARKER_DAYS">>;

/** Default of STORE_TIMEOUT_SECONDS. */
const STORE_TIMEOUT_DEFAULT = 15;

/** How long the store keeps expiring state, from the configuration. */
function retentionOf(config: Pick<StoreConfig, "SENT_REPLY_MARKER_DAYS">) {
  const days = config.SENT_REPLY_MARKER_DAYS;
  return days === undefined
    ? DEFAULT_RETENTION
    : { ...DEFAULT_RETENTION, sentReplyMs: days * 86_400_000 };
}

/** Opens, migrates and checks the store chosen by the configuration. */
export async function openStore(
  config: StoreConfig,
  opts: { logger: Logger },
): Promise<Store> {
  const timeoutMs = (config.STORE_TIMEOUT_SECONDS ?? STORE_TIMEOUT_DEFAULT) *
    1000;
  const store = withDeadlines(
    config.DATABASE_URL
      ? await openPostgres(config.DATABASE_URL, config, opts.logger)
      : await openKv(config, opts.logger),
    { timeoutMs, isUnavailable: isPgUnavailable },
  );
  try {
    await checkKeyMatches(store);
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}

/** Opens Postgres, applies migrations, returns the store. */
export async function openPostgres(
  url: string,
  config: Pick<
    StoreConfig,
    | "ENCRYPTION_KEY"
    | "ENCRYPTION_KEYS_OLD"
    | "STORE_TIMEOUT_SECONDS"
    | "SENT_REPLY_MARKER_DAYS"
  >,
  logger: Logger,
): Promise<Store> {
  if (!config.ENCRYPTION_KEY) {
    throw new AppError(
      "invalid_input",
      "ENCRYPTION_KEY is required when DATABASE_URL is set (generate one with: openssl rand -base64 32)",
    );
  }
  const cipher = await cipherFor(config.ENCRYPTION_KEY, config);
  const sql = postgres(
    url,
    postgresOptions(config.STORE_TIMEOUT_SECONDS ?? STORE_TIMEOUT_DEFAULT),
  );
  try {
    const applied = await migrate(sql, { dir: MIGRATIONS_DIR });
    if (applied.length > 0) {
      logger.info("postgres migrations applied", { migrations: applied });
    }
  } catch (e) {
    await sql.end({ timeout: 1 }).catch(() => {});
    throw new AppError("unavailable", describePgError(e, pgTarget(url)), {
      cause: e,
    });
  }
  logger.info("store opened", { kind: "postgres", target: pgTarget(url) });
  return createPgStore(sql, cipher, { retention: retentionOf(config) });
}

/**
 * Pool options: a connection attempt, a statement and an idle transaction
 * each end within `timeoutSeconds` (the server enforces the last two), and
 * idle connections are closed after a minute.
 */
export function postgresOptions(timeoutSeconds: number) {
  const ms = timeoutSeconds * 1000;
  return {
    max: 10,
    connect_timeout: Math.min(5, timeoutSeconds),
    idle_timeout: 60,
    onnotice: () => {},
    connection: {
      statement_timeout: ms,
      idle_in_transaction_session_timeout: ms,
      lock_timeout: ms,
    },
  };
}

/**
 * The `migrate` command: applies pending migrations to DATABASE_URL and
 * closes the connection. Returns the file names applied now.
 */
export async function migrateDatabase(
  url: string,
  logger: Logger,
): Promise<string[]> {
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    const applied = await migrate(sql, { dir: MIGRATIONS_DIR });
    logger.info("postgres migrations applied", { migrations: applied });
    return applied;
  } catch (e) {
    throw new AppError("unavailable", describePgError(e, pgTarget(url)), {
      cause: e,
    });
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

async function openKv(config: StoreConfig, logger: Logger): Promise<Store> {
  const dir = config.DATA_DIR;
  let key: string;
  try {
    // The folder holds the sign-in state, tokens and customers' mail: only
    // this user may read it, checked (and repaired) at every start.
    const { repaired } = await secureDataDir(dir);
    if (repaired.length > 0) {
      logger.warn(
        "data folder was readable by other users: made it private (0700, files 0600)",
        {
          dir,
          repaired: repaired.length,
          first: `${repaired[0]!.path} ${repaired[0]!.mode}`,
        },
      );
    }
    key = config.ENCRYPTION_KEY ?? await loadOrCreateKeyFile(dir);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError(
      "unavailable",
      `Cannot use DATA_DIR ${dir}: ${(e as Error).message}`,
      { cause: e },
    );
  }
  const cipher = await cipherFor(key, config);
  const path = `${dir.replace(/\/+$/, "")}/agent.kv`;
  let kv: Deno.Kv;
  try {
    kv = await Deno.openKv(path);
  } catch (e) {
    const msg = (e as Error).message;
    const hint = /locked/i.test(msg)
      ? ": another agent process uses this file (one process per KV file; use Postgres for several instances)"
      : `: ${msg}`;
    throw new AppError("unavailable", `Cannot open Deno KV at ${path}${hint}`, {
      cause: e,
    });
  }
  // SQLite creates the file and its -wal/-shm with the umask's mode; later
  // -wal/-shm files take the main file's mode.
  await secureFiles([path, `${path}-wal`, `${path}-shm`]);
  const retention = retentionOf(config);
  try {
    // A KV file from before the typed state: its markers move over once.
    const moved = await migrateKvMeta(kv, {
      retention,
      now: systemClock.now(),
    });
    if (moved > 0) logger.info("kv meta markers migrated", { count: moved });
    // A KV file from before the one-read values of `store.emails`.
    const built = await migrateKvIndexes(kv, { now: systemClock.now() });
    if (built !== null && (built.threads > 0 || built.marks > 0)) {
      logger.info("kv email indexes built", { ...built });
    }
  } catch (e) {
    kv.close();
    throw new AppError(
      "unavailable",
      `Cannot migrate Deno KV at ${path}: ${(e as Error).message}`,
      { cause: e },
    );
  }
  logger.info("store opened", { kind: "kv", path });
  return createKvStore(kv, cipher, { retention });
}

async function cipherFor(
  key: string,
  config: Pick<StoreConfig, "ENCRYPTION_KEYS_OLD">,
): Promise<TokenCipher> {
  try {
    return await createTokenCipher({
      key,
      oldKeys: config.ENCRYPTION_KEYS_OLD,
    });
  } catch (e) {
    throw new AppError("invalid_input", (e as Error).message, { cause: e });
  }
}

/**
 * Startup check: decrypts one stored account, if any, so a wrong
 * ENCRYPTION_KEY is reported at once rather than at the first poll.
 */
export async function checkKeyMatches(store: Store): Promise<void> {
  const [first] = await store.accounts.list();
  if (!first) return;
  try {
    await store.accounts.getTokens(first.id);
  } catch (e) {
    if (!(e instanceof TokenDecryptError)) throw e;
    throw new AppError(
      "unavailable",
      `ENCRYPTION_KEY does not match the key that encrypted the stored tokens (key id ${
        e.keyId ?? "unknown"
      }): set ENCRYPTION_KEY back to that key, or add it to ENCRYPTION_KEYS_OLD`,
      { cause: e },
    );
  }
}
