/**
 * A fresh Postgres database per scenario (CREATE/DROP DATABASE through
 * postgres.js on the server's maintenance database).
 * @module
 */
import postgres from "postgres";

/** The server the chaos run uses (trust auth on 127.0.0.1:5432 by default). */
export const PG_SERVER = Deno.env.get("CHAOS_PG_URL") ??
  "postgres://postgres@127.0.0.1:5432/postgres";

function admin() {
  return postgres(PG_SERVER, {
    max: 1,
    onnotice: () => {},
    connect_timeout: 10,
    idle_timeout: 1,
  });
}

/** Creates database `name`; returns its URL. */
export async function createDatabase(name: string): Promise<string> {
  const sql = admin();
  try {
    await sql.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }
  const url = new URL(PG_SERVER);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops database `name`, ending its open connections (FORCE). */
export async function dropDatabase(name: string): Promise<void> {
  const sql = admin();
  try {
    await sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
