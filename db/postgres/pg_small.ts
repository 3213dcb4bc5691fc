/**
 * The small Postgres sub-stores: OAuth states, sessions, audit log and
 * leases. Expiry is checked against the injected time.
 * @module
 */
import type postgres from "postgres";
import type {
  AuditStore,
  LeaseStore,
  OAuthStateStore,
  SessionStore,
} from "../../pipeline/ports.ts";
import { reviveDates, toJsonWithDates } from "../json_dates.ts";

// deno-lint-ignore no-explicit-any
type Row = Record<string, any>;

/** OAuth states over `sql`: `take` is one DELETE ... RETURNING. */
export function createPgOAuthStates(sql: postgres.Sql): OAuthStateStore {
  return {
    async put(state, data, ttlMs, now) {
      const expires = new Date(now.getTime() + ttlMs);
      await sql`DELETE FROM oauth_states WHERE expires_at <= ${now}`;
      await sql`INSERT INTO oauth_states (state, data, expires_at)
        VALUES (${state}, ${JSON.stringify(data)}::text::jsonb, ${expires})
        ON CONFLICT (state) DO UPDATE SET data = EXCLUDED.data,
          expires_at = EXCLUDED.expires_at`;
    },
    async take(state, now) {
      const r = await sql<Row[]>`DELETE FROM oauth_states
        WHERE state = ${state} RETURNING data, expires_at`;
      const row = r[0];
      return row && row.expires_at.getTime() > now.getTime() ? row.data : null;
    },
  };
}

/** Sessions over `sql`. */
export function createPgSessions(sql: postgres.Sql): SessionStore {
  return {
    async put(id, data, ttlMs, now) {
      const expires = new Date(now.getTime() + ttlMs);
      await sql`DELETE FROM sessions WHERE expires_at <= ${now}`;
      await sql`INSERT INTO sessions (id, data, expires_at)
        VALUES (${id}, ${JSON.stringify(data)}::text::jsonb, ${expires})
        ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data,
          expires_at = EXCLUDED.expires_at`;
    },
    async get(id, now) {
      const r = await sql<Row[]>`SELECT data FROM sessions
        WHERE id = ${id} AND expires_at > ${now}`;
      return r[0]?.data ?? null;
    },
    async delete(id) {
      await sql`DELETE FROM sessions WHERE id = ${id}`;
    },
  };
}

/** The audit log over `sql`, newest first. */
export function createPgAudit(sql: postgres.Sql): AuditStore {
  return {
    async add(e) {
      await sql`INSERT INTO audit_events (at, actor, action, target, detail)
        VALUES (${e.at}, ${e.actor}, ${e.action}, ${e.target},
          ${toJsonWithDates(e.detail)}::text::jsonb)`;
    },
    async list(limit) {
      const r = await sql<Row[]>`SELECT * FROM audit_events
        ORDER BY at DESC, id DESC LIMIT ${limit}`;
      return r.map((row) => ({
        at: row.at,
        actor: row.actor,
        action: row.action,
        target: row.target,
        detail: reviveDates(row.detail),
      }));
    },
    async prune(before, limit) {
      const r = await sql`DELETE FROM audit_events WHERE id IN (
        SELECT id FROM audit_events WHERE at < ${before} LIMIT ${limit})`;
      return r.count;
    },
  };
}

/**
 * Leases over `sql`: one upsert that takes the row only when it is free,
 * expired or already ours, so two instances never hold one name.
 */
export function createPgLeases(sql: postgres.Sql): LeaseStore {
  return {
    async acquire(name, owner, ttlMs, now, opts = {}) {
      const expires = new Date(now.getTime() + ttlMs);
      const from = opts.reclaimFrom ?? null;
      const r = await sql`INSERT INTO leases (name, owner, expires_at)
        VALUES (${name}, ${owner}, ${expires})
        ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner,
          expires_at = EXCLUDED.expires_at
        WHERE leases.expires_at <= ${now} OR leases.owner = EXCLUDED.owner
          OR (${from}::text IS NOT NULL AND starts_with(leases.owner, ${from}))
        RETURNING owner`;
      return r.count === 1;
    },
    async renew(name, owner, ttlMs, now) {
      const expires = new Date(now.getTime() + ttlMs);
      const r = await sql`UPDATE leases SET expires_at = ${expires}
        WHERE name = ${name} AND owner = ${owner}`;
      return r.count === 1;
    },
    async release(name, owner) {
      await sql`DELETE FROM leases WHERE name = ${name} AND owner = ${owner}`;
    },
  };
}
