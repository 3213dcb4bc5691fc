/**
 * Derives the Gmail API response schemas from the generated client
 * `@googleapis/gmail` (its `v1.ts`: the `Schema$*` interfaces and, per
 * method, the URL, HTTP method and response type), so the emulator's
 * contract test checks against Google's own generated definitions. The
 * package ships no discovery document; this is the closest vendored source.
 *
 * `deno run --allow-read --allow-write tests/contract/derive_gmail_schemas.ts [--check]`
 * writes tests/contract/gmail_schemas.json (or, with `--check`, exits 1 when
 * the vendored file differs from what the installed package gives).
 * @module
 */

/** A field type of a schema. */
export type FieldType =
  | { type: "string" | "number" | "boolean" }
  | { ref: string }
  | { type: "array"; items: FieldType }
  | { type: "map"; values: FieldType };

/** One Gmail API method: where it lives and what it answers. */
export interface MethodSpec {
  /** e.g. `users.messages.get`. */
  id: string;
  httpMethod: string;
  /** e.g. `/gmail/v1/users/{userId}/messages/{id}`. */
  path: string;
  /** The `/upload/...` path of a media upload, when the method has one. */
  mediaPath?: string;
  /** The response schema name, or null when the response has no body. */
  response: string | null;
}

/** The derived document. */
export interface GmailSchemas {
  source: string;
  schemas: Record<string, Record<string, FieldType>>;
  methods: MethodSpec[];
}

function fieldType(ts: string): FieldType {
  const t = ts.replace(/\s*\|\s*null$/, "").trim();
  if (t.endsWith("[]")) {
    return { type: "array", items: fieldType(t.slice(0, -2)) };
  }
  const map = /^\{\s*\[key: string\]: (.+?);?\s*\}$/.exec(t);
  if (map) return { type: "map", values: fieldType(map[1]!) };
  if (t === "string" || t === "number" || t === "boolean") return { type: t };
  if (t.startsWith("Schema$")) return { ref: t.slice("Schema$".length) };
  throw new Error(`Cannot map the TypeScript type: current value is "${ts}"`);
}

/** Parses v1.ts text into schemas and methods. */
export function deriveGmailSchemas(
  source: string,
  label: string,
): GmailSchemas {
  const lines = source.split("\n");
  const schemas: Record<string, Record<string, FieldType>> = {};
  let current: string | null = null;
  let inComment = false;
  for (const line of lines) {
    const start = /^ {2}export interface Schema\$(\w+) \{/.exec(line);
    if (start) {
      current = start[1]!;
      schemas[current] = {};
      continue;
    }
    if (current === null) continue;
    if (/^ {2}\}/.test(line)) {
      current = null;
      continue;
    }
    const trimmed = line.trim();
    if (trimmed.startsWith("/**")) inComment = !trimmed.endsWith("*/");
    else if (inComment) {
      if (trimmed.endsWith("*/")) inComment = false;
    } else {
      const f = /^(\w+)\??: (.+);$/.exec(trimmed);
      if (f) schemas[current]![f[1]!] = fieldType(f[2]!);
    }
  }

  const methods: MethodSpec[] = [];
  let resource = "";
  let method: string | null = null;
  let spec: Partial<MethodSpec> = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const cls = /^ {2}export class Resource\$([\w$]+) \{/.exec(line);
    if (cls) {
      resource = cls[1]!.split("$").map((p, j) =>
        j === 0 ? p.toLowerCase() : p[0]!.toLowerCase() + p.slice(1)
      ).join(".");
      continue;
    }
    const impl = /^ {4}(\w+)\($/.exec(line);
    if (impl && /paramsOrCallback\?:/.test(lines[i + 1] ?? "")) {
      method = impl[1]!;
      spec = { id: `${resource}.${method}` };
      continue;
    }
    if (method === null) continue;
    const url = /'(\/(?:upload\/)?gmail\/v1\/[^']+)'/.exec(line);
    if (url) {
      if (url[1]!.startsWith("/upload/")) spec.mediaPath = url[1]!;
      else if (spec.path === undefined) spec.path = url[1]!;
    }
    const http = /^\s+method: '(\w+)',/.exec(line);
    if (http && spec.httpMethod === undefined) spec.httpMethod = http[1]!;
    const res = /createAPIRequest<(Schema\$(\w+)|void)>\(parameters\)/.exec(
      line,
    );
    if (res) {
      methods.push({
        id: spec.id!,
        httpMethod: spec.httpMethod!,
        path: spec.path!,
        ...(spec.mediaPath ? { mediaPath: spec.mediaPath } : {}),
        response: res[2] ?? null,
      });
      method = null;
    }
  }
  return { source: label, schemas, methods };
}

const OUT = new URL("./gmail_schemas.json", import.meta.url);

if (import.meta.main) {
  const pkgDir = new URL(
    "../../node_modules/@googleapis/gmail/",
    import.meta.url,
  );
  const pkg = JSON.parse(
    await Deno.readTextFile(new URL("package.json", pkgDir)),
  );
  const text = await Deno.readTextFile(new URL("v1.ts", pkgDir));
  const derived = deriveGmailSchemas(
    text,
    `@googleapis/gmail@${pkg.version} v1.ts`,
  );
  const json = JSON.stringify(derived, null, 2) + "\n";
  if (Deno.args.includes("--check")) {
    const vendored = await Deno.readTextFile(OUT).catch(() => "");
    if (vendored !== json) {
      // deno-lint-ignore no-console
      console.error(
        "gmail_schemas.json differs from the installed @googleapis/gmail: run this script without --check",
      );
      Deno.exit(1);
    }
  } else {
    await Deno.writeTextFile(OUT, json);
    // deno-lint-ignore no-console
    console.log(
      `${
        Object.keys(derived.schemas).length
      } schemas, ${derived.methods.length} methods from ${derived.source}`,
    );
  }
}
