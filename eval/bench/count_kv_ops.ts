/**
 * Counts the round trips a Deno KV handle makes (get, getMany, set,
 * delete, each list() call and each atomic commit), for the benchmark.
 * @module
 */

const COUNTED = new Set(["get", "getMany", "set", "delete", "list"]);

/** `kv` with every round trip counted; `count()` reads the total. */
export function countKvOps(kv: Deno.Kv): { kv: Deno.Kv; count(): number } {
  let n = 0;
  const atomic = (): Deno.AtomicOperation => {
    const op = kv.atomic();
    const p: Deno.AtomicOperation = new Proxy(op, {
      get(o, prop) {
        const f = Reflect.get(o, prop);
        if (typeof f !== "function") return f;
        return (...args: unknown[]) => {
          if (prop === "commit") n++;
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
        if (typeof prop === "string" && COUNTED.has(prop)) n++;
        return v.apply(target, args);
      };
    },
  });
  return { kv: proxy, count: () => n };
}
