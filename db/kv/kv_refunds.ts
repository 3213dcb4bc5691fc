/**
 * Refund cases (optimistic versioning) and invalid refund attempts on
 * Deno KV.
 * @module
 */
import type { RefundStore } from "../../pipeline/ports.ts";
import type { InvalidRefundAttempt, RefundCase } from "../../pipeline/types.ts";
import { keys } from "./keys.ts";

/** The refund store over `kv`. */
export function createKvRefunds(kv: Deno.Kv): RefundStore {
  return {
    async getCase(accountId, threadId) {
      return (await kv.get<RefundCase>(keys.refundCase(accountId, threadId)))
        .value;
    },
    async saveCase(c, expectedVersion) {
      const key = keys.refundCase(c.accountId, c.threadId);
      const cur = await kv.get<RefundCase>(key);
      const stored = cur.value?.version ?? 0;
      if (stored !== expectedVersion) return false;
      const res = await kv.atomic().check(cur)
        .set(key, { ...c, version: expectedVersion + 1 })
        .commit();
      return res.ok;
    },
    async listCases(f) {
      const out: RefundCase[] = [];
      const prefix = keys.refundCasesPrefix(f.accountId);
      for await (const e of kv.list<RefundCase>({ prefix })) out.push(e.value);
      out.sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
      return out.slice(0, f.limit ?? out.length);
    },
    async addInvalidAttempt(a) {
      const key = keys.invalidAttempt(a.accountId, a.gmailId);
      // A repeat of the same message is ignored (checked, never overwritten).
      await kv.atomic().check({ key, versionstamp: null })
        .set(key, { ...a, sender: a.sender.toLowerCase() }).commit();
    },
    async countInvalidAttempts(by, since) {
      let n = 0;
      const sender = by.sender?.toLowerCase();
      const prefix = keys.invalidAttemptsPrefix(by.accountId);
      for await (const e of kv.list<InvalidRefundAttempt>({ prefix })) {
        const a = e.value;
        if (a.at.getTime() < since.getTime()) continue;
        if (by.threadId !== undefined && a.threadId !== by.threadId) continue;
        if (sender !== undefined && a.sender !== sender) continue;
        n++;
      }
      return n;
    },
    async listInvalidAttempts(limit) {
      const out: InvalidRefundAttempt[] = [];
      const prefix = keys.invalidAttemptsPrefix();
      for await (const e of kv.list<InvalidRefundAttempt>({ prefix })) {
        out.push(e.value);
      }
      out.sort((a, b) => b.at.getTime() - a.at.getTime());
      return out.slice(0, limit);
    },
  };
}
