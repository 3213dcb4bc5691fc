/**
 * The small KV sub-stores: OAuth states, sessions, audit log and leases. Expiring records use `expireIn` for clean-up and are also
 * checked against the injected time, so expiry is exact and testable.
 * @module
 */
import type {
  AuditStore,
  LeaseStore,
  OAuthStateStore,
  SessionStore,
} from "../../pipeline/ports.ts";
import type { AuditEvent } from "../../pipeline/types.ts";
import { keys, retryAtomic } from "./keys.ts";

interface Expiring {
  data: Record<string, string>;
  expiresAt: number;
}

/** OAuth states over `kv`: `take` reads and deletes in one atomic step. */
export function createKvOAuthStates(kv: Deno.Kv): OAuthStateStore {
  return {
    async put(state, data, ttlMs, now) {
      const v: Expiring = { data, expiresAt: now.getTime() + ttlMs };
      await kv.set(keys.oauthState(state), v, { expireIn: ttlMs });
    },
    take(state, now) {
      return retryAtomic("take the OAuth state", async () => {
        const cur = await kv.get<Expiring>(keys.oauthState(state));
        if (!cur.value) return null;
        const res = await kv.atomic().check(cur).delete(cur.key).commit();
        if (!res.ok) return undefined;
        return cur.value.expiresAt > now.getTime() ? cur.value.data : null;
      });
    },
  };
}

/** Sessions over `kv`. */
export function createKvSessions(kv: Deno.Kv): SessionStore {
  return {
    async put(id, data, ttlMs, now) {
      const v: Expiring = { data, expiresAt: now.getTime() + ttlMs };
      await kv.set(keys.session(id), v, { expireIn: ttlMs });
    },
    async get(id, now) {
      const v = (await kv.get<Expiring>(keys.session(id))).value;
      return v && v.expiresAt > now.getTime() ? v.data : null;
    },
    async delete(id) {
      await kv.delete(keys.session(id));
    },
  };
}

/** The audit log over `kv`, newest first. */
export function createKvAudit(kv: Deno.Kv): AuditStore {
  return {
    async add(e) {
      await kv.set(keys.audit(e.at.getTime(), crypto.randomUUID()), e);
    },
    async list(limit) {
      const out: AuditEvent[] = [];
      const it = kv.list<AuditEvent>({ prefix: keys.auditPrefix() }, {
        reverse: true,
        limit,
      });
      for await (const e of it) out.push(e.value);
      return out;
    },
    async prune(before, limit) {
      let n = 0;
      const it = kv.list<AuditEvent>({
        start: keys.auditPrefix(),
        end: [...keys.auditPrefix(), before.getTime()],
      }, { limit });
      for await (const e of it) {
        await kv.delete(e.key);
        n++;
      }
      return n;
    },
  };
}

/** A lease record (also read by the ledger's fenced claim). */
export interface Lease {
  owner: string;
  expiresAt: number;
}

/** Leases over `kv`: taken only when free, expired or already ours. */
export function createKvLeases(kv: Deno.Kv): LeaseStore {
  return {
    acquire(name, owner, ttlMs, now, opts = {}) {
      const from = opts.reclaimFrom;
      return retryAtomic("acquire the lease", async () => {
        const cur = await kv.get<Lease>(keys.lease(name));
        const held = cur.value;
        if (
          held && held.owner !== owner && held.expiresAt > now.getTime() &&
          !(from && held.owner.startsWith(from))
        ) {
          return false;
        }
        const res = await kv.atomic().check(cur)
          .set(keys.lease(name), { owner, expiresAt: now.getTime() + ttlMs })
          .commit();
        return res.ok ? true : undefined;
      });
    },
    renew(name, owner, ttlMs, now) {
      return retryAtomic("renew the lease", async () => {
        const cur = await kv.get<Lease>(keys.lease(name));
        if (cur.value?.owner !== owner) return false;
        const res = await kv.atomic().check(cur)
          .set(keys.lease(name), { owner, expiresAt: now.getTime() + ttlMs })
          .commit();
        return res.ok ? true : undefined;
      });
    },
    async release(name, owner) {
      const cur = await kv.get<Lease>(keys.lease(name));
      if (cur.value?.owner !== owner) return;
      await kv.atomic().check(cur).delete(cur.key).commit();
    },
  };
}
