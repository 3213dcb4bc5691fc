/**
 * Counts the round trips a Deno KV handle makes (get, getMany, set,
 * delete, each list() call and each atomic commit), in all and by kind,
 * for the benchmark and the tests. Cheap enough not to weigh on what the
 * benchmark times: one wrapper per method, made once, and an atomic
 * operation's own object with only its `commit` counted.
 * @module
 */

const COUNTED = new Set(["get", "getMany", "set", "delete", "list"]);

/** `kv` with every round trip counted; `count()` reads the total. */
export function countKvOps(
  kv: Deno.Kv,
): { kv: Deno.Kv; count(): number; byMethod(): Record<string, number> } {
  let n = 0;
  const by: Record<string, number> = {};
  const add = (m: string) => {
    n++;
    by[m] = (by[m] ?? 0) + 1;
  };
  const atomic = (): Deno.AtomicOperation => {
    const op = kv.atomic();
    const commit = op.commit.bind(op);
    op.commit = () => {
      add("commit");
      return commit();
    };
    return op;
  };
  const wrapped = new Map<PropertyKey, unknown>([["atomic", atomic]]);
  const proxy = new Proxy(kv, {
    get(target, prop) {
      const known = wrapped.get(prop);
      if (known !== undefined) return known;
      const v = Reflect.get(target, prop);
      if (typeof v !== "function") return v;
      const f = typeof prop === "string" && COUNTED.has(prop)
        ? (...args: unknown[]) => {
          add(prop);
          return v.apply(target, args);
        }
        : v.bind(target);
      wrapped.set(prop, f);
      return f;
    },
  });
  return { kv: proxy, count: () => n, byMethod: () => ({ ...by }) };
}
