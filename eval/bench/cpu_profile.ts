/**
 * V8 CPU profiles of the bench's timed parts (`deno task bench --profile
 * DIR`): the Profiler domain through `node:inspector` in the same process,
 * written as `.cpuprofile` files (Chrome DevTools opens them), and a summary
 * of self time by package / file and by function (`summarizeProfile`, also
 * `deno run -A eval/bench/cpu_profile.ts FILE.cpuprofile`).
 * @module
 */
import inspector from "node:inspector";

/** A V8 CPU profile (the Profiler domain's `Profile`). */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: {
      functionName: string;
      url: string;
      lineNumber: number;
      columnNumber: number;
    };
    children?: number[];
  }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** An inspector session on this isolate, and its `post` as a promise. */
function inspectorSession() {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(
        method,
        params,
        (err: unknown, res: unknown) => err ? reject(err) : resolve(res),
      )
    );
  return { session, post };
}

/** Starts profiling this isolate; the returned function stops and writes `path`. */
export async function startCpuProfile(
  path: string,
  intervalUs = 200,
): Promise<() => Promise<void>> {
  const { session, post } = inspectorSession();
  await post("Profiler.enable");
  await post("Profiler.setSamplingInterval", { interval: intervalUs });
  await post("Profiler.start");
  return async () => {
    const { profile } = await post("Profiler.stop") as {
      profile: CpuProfile;
    };
    session.disconnect();
    await Deno.writeTextFile(path, JSON.stringify(profile));
  };
}

/**
 * Starts V8's sampling heap profiler (every allocation counted, garbage
 * included); the returned function stops it and writes `path`
 * (a `.heapprofile`, which Chrome DevTools opens).
 */
export async function startHeapProfile(
  path: string,
): Promise<() => Promise<void>> {
  const { session, post } = inspectorSession();
  await post("HeapProfiler.enable");
  await post("HeapProfiler.startSampling", {
    samplingInterval: 16384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  return async () => {
    const { profile } = await post("HeapProfiler.stopSampling") as {
      profile: unknown;
    };
    session.disconnect();
    await Deno.writeTextFile(path, JSON.stringify(profile));
  };
}

/** Where a frame's code comes from: an npm package, a project folder, or V8. */
export function ownerOf(url: string, functionName: string): string {
  if (url === "") {
    return functionName.startsWith("(") ? functionName : "(native)";
  }
  const npm = url.match(/node_modules\/\.deno\/([^/]+)\//) ??
    url.match(/registry\.npmjs\.org\/([^/]+\/[^/]+|[^/]+)\//);
  if (npm) return `npm:${npm[1]!.replace(/@[\d.]+(_.*)?$/, "")}`;
  if (url.startsWith("ext:") || url.startsWith("node:")) {
    return url.split("/").slice(0, 2).join("/");
  }
  const own = url.match(/\/(app|db|pipeline|routes|eval|emulator)\/(.*)$/);
  if (own) return `${own[1]}/${own[2]}`;
  return url;
}

/** Self milliseconds by owner and by function, highest first. */
export function summarizeProfile(p: CpuProfile, top = 40) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const id = p.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  const byOwner = new Map<string, number>();
  const byFn = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const { callFrame: f } = byId.get(id)!;
    const owner = ownerOf(f.url, f.functionName);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + us);
    const fn = `${f.functionName || "(anonymous)"} ${owner}:${
      f.lineNumber + 1
    }`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + us);
    total += us;
  }
  const sorted = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) =>
      [k, Math.round(us / 100) / 10] as const
    );
  return {
    total_ms: Math.round(total / 1000),
    by_owner_ms: sorted(byOwner),
    by_function_ms: sorted(byFn),
  };
}

/**
 * Total milliseconds (self + callees) of every function whose name or owner
 * contains `needle`, counting each sample once.
 */
export function inclusiveMs(p: CpuProfile, needle: string): number {
  const parent = new Map<number, number>();
  for (const n of p.nodes) {
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const hit = new Map<number, boolean>();
  const matches = (id: number): boolean => {
    const known = hit.get(id);
    if (known !== undefined) return known;
    const f = byId.get(id)!.callFrame;
    const here = `${f.functionName} ${ownerOf(f.url, f.functionName)}`
      .includes(needle);
    const up = parent.get(id);
    const v = here || (up !== undefined && matches(up));
    hit.set(id, v);
    return v;
  };
  let us = 0;
  for (let i = 0; i < p.samples.length; i++) {
    if (matches(p.samples[i]!)) us += p.timeDeltas[i] ?? 0;
  }
  return Math.round(us / 1000);
}

if (import.meta.main) {
  const [file, ...needles] = Deno.args;
  const p = JSON.parse(await Deno.readTextFile(file!)) as CpuProfile;
  const s = summarizeProfile(p);
  const out = {
    ...s,
    inclusive_ms: Object.fromEntries(
      needles.map((n) => [n, inclusiveMs(p, n)]),
    ),
  };
  Deno.stdout.writeSync(
    new TextEncoder().encode(JSON.stringify(out, null, 1) + "\n"),
  );
}
