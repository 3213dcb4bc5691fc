/**
 * JSON with dates kept: `Date` values become `{"$date": ISO}` and come back
 * as `Date`, so jsonb columns round-trip like Deno KV's structured clone.
 * @module
 */

/** Serialises `value`, tagging dates. */
export function toJsonWithDates(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, k, v) {
    const orig = this[k];
    return orig instanceof Date ? { $date: orig.toISOString() } : v;
  });
}

/** Turns `{"$date": ISO}` objects back into dates, deeply. */
export function reviveDates<T>(value: unknown): T {
  return walk(value) as T;
}

function walk(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(walk);
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (
      keys.length === 1 && keys[0] === "$date" && typeof o.$date === "string"
    ) {
      return new Date(o.$date);
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = walk(o[k]);
    return out;
  }
  return v;
}
