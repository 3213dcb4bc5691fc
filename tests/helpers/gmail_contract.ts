/**
 * The Gmail API contract the emulator is held to: every response of a Gmail
 * route (success or error) is checked against the schemas derived from
 * `@googleapis/gmail` (tests/contract/gmail_schemas.json), plus the fields
 * Google's reference pages say are always there, and Google's JSON error
 * format. Unknown fields, missing required fields, `null`s and wrong types
 * are violations.
 * @module
 */
import schemasJson from "../contract/gmail_schemas.json" with { type: "json" };
import type {
  FieldType,
  GmailSchemas,
  MethodSpec,
} from "../contract/derive_gmail_schemas.ts";

const GMAIL = schemasJson as GmailSchemas;

/**
 * Fields a response always carries. The generated types mark every field
 * optional (the discovery document has no `required`); these come from the
 * reference pages' descriptions of each resource as Gmail returns it.
 */
export const REQUIRED_FIELDS: Record<string, string[]> = {
  Profile: ["emailAddress", "messagesTotal", "threadsTotal", "historyId"],
  Message: ["id", "threadId"],
  MessagePartHeader: ["name", "value"],
  MessagePartBody: ["size"],
  Label: ["id", "name"],
  ListLabelsResponse: ["labels"],
  ListMessagesResponse: ["resultSizeEstimate"],
  ListHistoryResponse: ["historyId"],
  History: ["id"],
  HistoryMessageAdded: ["message"],
  HistoryLabelAdded: ["message", "labelIds"],
  HistoryLabelRemoved: ["message", "labelIds"],
  Draft: ["id", "message"],
  Thread: ["id"],
};

/** Google's JSON error format (`google.rpc.Status` with the legacy `errors`). */
const ERROR_SCHEMAS: Record<string, Record<string, FieldType>> = {
  ErrorBody: { error: { ref: "ErrorStatus" } },
  ErrorStatus: {
    code: { type: "number" },
    message: { type: "string" },
    errors: { type: "array", items: { ref: "ErrorItem" } },
    status: { type: "string" },
    details: {
      type: "array",
      items: { type: "map", values: { type: "string" } },
    },
  },
  ErrorItem: {
    message: { type: "string" },
    domain: { type: "string" },
    reason: { type: "string" },
    location: { type: "string" },
    locationType: { type: "string" },
  },
};
const ERROR_REQUIRED: Record<string, string[]> = {
  ErrorBody: ["error"],
  ErrorStatus: ["code", "message", "status"],
  ErrorItem: ["message", "domain", "reason"],
};

/** One contract violation. */
export interface Violation {
  /** e.g. `GET /gmail/v1/users/me/messages/1 200`. */
  call: string;
  /** JSON path, e.g. `$.payload.headers[0].name`. */
  path: string;
  problem: string;
}

function segments(path: string): string[] {
  return path.split("/").filter(Boolean);
}

/** The Gmail method a request is for (by HTTP method and path), or null. */
export function methodFor(httpMethod: string, path: string): MethodSpec | null {
  const parts = segments(path);
  let best: { spec: MethodSpec; literal: number } | null = null;
  for (const spec of GMAIL.methods) {
    if (spec.httpMethod !== httpMethod) continue;
    for (const template of [spec.path, spec.mediaPath]) {
      if (!template) continue;
      const t = segments(template);
      if (t.length !== parts.length) continue;
      let literal = 0;
      const ok = t.every((seg, i) => {
        if (seg.startsWith("{")) return true;
        literal++;
        return seg === parts[i];
      });
      if (ok && (!best || literal > best.literal)) best = { spec, literal };
    }
  }
  return best?.spec ?? null;
}

function describe(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}

function checkType(
  v: unknown,
  t: FieldType,
  path: string,
  out: { path: string; problem: string }[],
  schemas: Record<string, Record<string, FieldType>>,
  required: Record<string, string[]>,
): void {
  if ("ref" in t) {
    checkObject(v, t.ref, path, out, schemas, required);
    return;
  }
  if (t.type === "array") {
    if (!Array.isArray(v)) {
      out.push({ path, problem: `expected array, got ${describe(v)}` });
      return;
    }
    v.forEach((x, i) =>
      checkType(x, t.items, `${path}[${i}]`, out, schemas, required)
    );
    return;
  }
  if (t.type === "map") {
    if (typeof v !== "object" || v === null || Array.isArray(v)) {
      out.push({ path, problem: `expected object, got ${describe(v)}` });
      return;
    }
    for (const [k, x] of Object.entries(v)) {
      checkType(x, t.values, `${path}.${k}`, out, schemas, required);
    }
    return;
  }
  const actual = typeof v;
  if (actual !== t.type) {
    out.push({ path, problem: `expected ${t.type}, got ${describe(v)}` });
  }
}

function checkObject(
  v: unknown,
  name: string,
  path: string,
  out: { path: string; problem: string }[],
  schemas: Record<string, Record<string, FieldType>>,
  required: Record<string, string[]>,
): void {
  const fields = schemas[name];
  if (!fields) {
    out.push({ path, problem: `no schema named ${name}` });
    return;
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    out.push({ path, problem: `expected ${name} object, got ${describe(v)}` });
    return;
  }
  const obj = v as Record<string, unknown>;
  for (const f of required[name] ?? []) {
    if (!(f in obj)) {
      out.push({ path, problem: `${name}: missing required field "${f}"` });
    }
  }
  for (const [k, x] of Object.entries(obj)) {
    const t = fields[k];
    if (!t) {
      out.push({
        path: `${path}.${k}`,
        problem: `${name}: unknown field "${k}"`,
      });
      continue;
    }
    checkType(x, t, `${path}.${k}`, out, schemas, required);
  }
}

/** Problems of `value` as a `schema` (a Gmail schema name or `ErrorBody`). */
export function validateAgainst(
  value: unknown,
  schema: string,
): { path: string; problem: string }[] {
  const out: { path: string; problem: string }[] = [];
  if (schema in ERROR_SCHEMAS) {
    checkObject(value, schema, "$", out, ERROR_SCHEMAS, ERROR_REQUIRED);
  } else {
    checkObject(value, schema, "$", out, GMAIL.schemas, REQUIRED_FIELDS);
  }
  return out;
}

/**
 * Checks one exchange with a Gmail route. Returns its violations; a request
 * outside `/gmail/v1/` and `/upload/gmail/v1/` is not checked (empty list).
 */
export function checkGmailExchange(
  httpMethod: string,
  path: string,
  status: number,
  contentType: string | null,
  body: string,
): Violation[] {
  if (!/^\/(upload\/)?gmail\/v1\//.test(path)) return [];
  const call = `${httpMethod} ${path} ${status}`;
  const spec = methodFor(httpMethod, path);
  const schema = status >= 400 ? "ErrorBody" : spec?.response ?? null;
  if (status < 400 && spec === null) {
    return [{ call, path: "$", problem: "no Gmail API method has this path" }];
  }
  if (schema === null) {
    return body.trim() === ""
      ? []
      : [{ call, path: "$", problem: "expected an empty body" }];
  }
  if (!(contentType ?? "").startsWith("application/json")) {
    return [{ call, path: "$", problem: `content-type is ${contentType}` }];
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return [{ call, path: "$", problem: "body is not JSON" }];
  }
  const v = validateAgainst(value, schema).map((p) => ({ call, ...p }));
  if (status >= 400) {
    const code = (value as { error?: { code?: unknown } }).error?.code;
    if (code !== status) {
      v.push({
        call,
        path: "$.error.code",
        problem: `${code} is not the HTTP status`,
      });
    }
  }
  return v;
}
