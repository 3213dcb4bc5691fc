/**
 * Counts the round trips a Deno KV handle makes (get, getMany, set,
 * delete, each list() call and each atomic commit), in all and by kind,
 * for the benchmark and the tests.
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
    const p: Deno.AtomicOperation = new Proxy(op, {
      get(o, prop) {
        const f = Reflect.get(o, prop);
        if (typeof f !== "function") return f;
        return (...args: unknown[]) => {
          if (prop === "commit") add("commit");
          const r = f.apply(o, args);
          return r === o ? p : r;
        };
      },
    });
    return p;
  };
  const proxy = new Proxy(kv, {
    get(target, prop) {
      if (prop === "atomic") return atomic;
      const v = Reflect.get(target, prop);
      if (typeof v !== "function") return v;
      return (...args: unknown[]) => {
        if (typeof prop === "string" && COUNTED.has(prop)) add(prop);
        return v.apply(target, args);
      };
    },
  });
  return { kv: proxy, count: () => n, byMethod: () => ({ ...by }) };
}
