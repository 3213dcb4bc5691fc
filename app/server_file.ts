/**
 * The running server's card in its data folder: `serve` writes
 * `$DATA_DIR/server.json` (mode 0600: its URL and a random control token)
 * and removes it when it stops. A CLI command started on the same data
 * folder reads it to find the server, so it never starts a second sandbox
 * over the server's one (which would replace the saved sandbox token) and
 * never writes the embedded Deno KV file next to it (SQLite: two writers
 * at once fail with "database is locked").
 * @module
 */
import { z } from "zod";
import { AppError } from "../pipeline/errors.ts";

/** What `server.json` holds. */
export interface ServerCard {
  url: string;
  /** Bearer token of the control routes (`/internal/*`). */
  token: string;
  pid: number;
  /** The store the server runs on. */
  store: "kv" | "postgres";
}

const cardSchema = z.object({
  url: z.string().url(),
  token: z.string().min(32),
  pid: z.number().int(),
  store: z.enum(["kv", "postgres"]),
});

/** The path of the card in `dataDir`. */
export function serverFilePath(dataDir: string): string {
  return `${dataDir.replace(/\/+$/, "")}/server.json`;
}

/** A fresh control token (256 random bits, base64url). */
export function newControlToken(): string {
  const b = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...b)).replace(/\+/g, "-").replace(
    /\//g,
    "_",
  ).replace(/=+$/, "");
}

/** Writes the card, readable by the owner only. */
export async function writeServerFile(
  dataDir: string,
  card: ServerCard,
): Promise<void> {
  await Deno.writeTextFile(serverFilePath(dataDir), JSON.stringify(card), {
    mode: 0o600,
  });
}

/** Removes the card when it is still this server's (same token). */
export async function removeServerFile(
  dataDir: string,
  token: string,
): Promise<void> {
  const card = await readServerFile(dataDir);
  if (card?.token !== token) return;
  await Deno.remove(serverFilePath(dataDir)).catch(() => undefined);
}

/** The card, or null when there is none or it is not readable. */
export async function readServerFile(
  dataDir: string,
): Promise<ServerCard | null> {
  let text: string;
  try {
    text = await Deno.readTextFile(serverFilePath(dataDir));
  } catch {
    return null;
  }
  try {
    const r = cardSchema.safeParse(JSON.parse(text));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/**
 * The server running on `dataDir`, or null: the card must exist and its
 * server must answer the control ping with that token (a card left by a
 * crashed server, or a port now used by another program, is not it).
 */
export async function findRunningServer(
  dataDir: string,
  fetchFn: typeof fetch = fetch,
): Promise<ServerCard | null> {
  const card = await readServerFile(dataDir);
  if (!card) return null;
  let res: Response;
  try {
    res = await fetchFn(`${card.url}/internal/ping`, {
      headers: { authorization: `Bearer ${card.token}` },
      signal: AbortSignal.timeout(PING_TIMEOUT_MS),
    });
  } catch (err) {
    // Refused: the card is left over. Slow: a busy server is still running.
    if (!(err instanceof DOMException && err.name === "TimeoutError")) {
      return null;
    }
    throw new AppError(
      "unavailable",
      `The server at ${card.url} (pid ${card.pid}) on this data folder did not answer within ${
        PING_TIMEOUT_MS / 1000
      } s; try again in a moment.`,
    );
  }
  await res.body?.cancel();
  return res.status === 204 ? card : null;
}

/** How long a CLI command waits for the running server's answer. */
const PING_TIMEOUT_MS = 15_000;

/** Asks the running server for one polling cycle; returns its summary. */
export async function pollOnServer(
  card: ServerCard,
  fetchFn: typeof fetch = fetch,
): Promise<Record<string, number>> {
  const res = await fetchFn(`${card.url}/internal/poll`, {
    method: "POST",
    headers: { authorization: `Bearer ${card.token}` },
  });
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(
      `Cannot poll through the running server at ${card.url}: it answered HTTP ${res.status}`,
    );
  }
  return await res.json() as Record<string, number>;
}
