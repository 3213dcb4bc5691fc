/**
 * The agent's configuration: one zod schema over the environment, loaded
 * once in `main.ts`. Every problem is reported at once, one line each.
 * @module
 */
import { z } from "zod";
import { isKey } from "../db/crypto/key_file.ts";
import { ackTemplateProblems } from "../pipeline/decide/acknowledge.ts";

const intIn = (name: string, min: number, max: number, def: number) =>
  z.string().optional().transform((v, ctx) => {
    if (v === undefined || v.trim() === "") return def;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      ctx.addIssue({
        code: "custom",
        message:
          `${name} must be a whole number from ${min} to ${max}: current value is "${v}"`,
      });
      return z.NEVER;
    }
    return n;
  });

const numIn = (name: string, min: number, max: number, def: number) =>
  z.string().optional().transform((v, ctx) => {
    if (v === undefined || v.trim() === "") return def;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) {
      ctx.addIssue({
        code: "custom",
        message:
          `${name} must be a number from ${min} to ${max}: current value is "${v}"`,
      });
      return z.NEVER;
    }
    return n;
  });

const flag = (name: string, def: boolean) =>
  z.string().optional().transform((v, ctx) => {
    if (v === undefined || v.trim() === "") return def;
    const t = v.trim().toLowerCase();
    if (["1", "true", "on", "yes"].includes(t)) return true;
    if (["0", "false", "off", "no"].includes(t)) return false;
    ctx.addIssue({
      code: "custom",
      message: `${name} must be true or false: current value is "${v}"`,
    });
    return z.NEVER;
  });

const optional = z.string().optional().transform((v) =>
  v === undefined || v.trim() === "" ? null : v.trim()
);

const list = z.string().optional().transform((v) =>
  (v ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "")
);

const urlOrNull = (name: string) =>
  optional.superRefine((v, ctx) => {
    if (v === null) return;
    try {
      const u = new URL(v);
      if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
    } catch {
      ctx.addIssue({
        code: "custom",
        message: `${name} must be an http(s) URL: current value is "${v}"`,
      });
    }
  });

const enumOf = <T extends string>(name: string, values: T[], def: T) =>
  z.string().optional().transform((v, ctx) => {
    if (v === undefined || v.trim() === "") return def;
    const s = v.trim().toLowerCase() as T;
    if (!values.includes(s)) {
      ctx.addIssue({
        code: "custom",
        message: `${name} must be one of ${
          values.join(", ")
        }: current value is "${v}"`,
      });
      return z.NEVER;
    }
    return s;
  });

const base64Key = (name: string) =>
  optional.superRefine((v, ctx) => {
    if (v === null) return;
    if (!isKey(v)) {
      ctx.addIssue({
        code: "custom",
        message:
          `${name} must be base64 of exactly 32 bytes (generate one with: openssl rand -base64 32): current value has the wrong length or format`,
      });
    }
  });

const schema = z.object({
  PORT: intIn("PORT", 0, 65535, 8000),
  HOST: z.string().optional().transform((v) => v?.trim() || "127.0.0.1"),
  PUBLIC_URL: urlOrNull("PUBLIC_URL"),
  DATA_DIR: z.string().optional().transform((v) => v?.trim() || "./data"),
  DATABASE_URL: optional.superRefine((v, ctx) => {
    if (v === null) return;
    if (!/^postgres(ql)?:\/\//.test(v)) {
      ctx.addIssue({
        code: "custom",
        message:
          `DATABASE_URL must start with postgres:// or postgresql://: current value starts with "${
            v.slice(0, 12)
          }"`,
      });
    }
  }),
  ENCRYPTION_KEY: base64Key("ENCRYPTION_KEY"),
  ENCRYPTION_KEYS_OLD: list.superRefine((keys, ctx) => {
    keys.forEach((k, i) => {
      if (!isKey(k)) {
        ctx.addIssue({
          code: "custom",
          message: `ENCRYPTION_KEYS_OLD entry ${
            i + 1
          } must be base64 of exactly 32 bytes`,
        });
      }
    });
  }),
  GOOGLE_CLIENT_ID: optional,
  GOOGLE_CLIENT_SECRET: optional,
  GOOGLE_BASE_URL: urlOrNull("GOOGLE_BASE_URL"),
  KNOWLEDGE_BASE_DIR: z.string().optional().transform((v) =>
    v?.trim() || "./knowledge_base"
  ),
  EXAMPLES_FILE: z.string().optional().transform((v) =>
    v?.trim() || "./pipeline/classify/training/classify_examples.jsonl"
  ),
  /** Default: `$DATA_DIR/my_examples.jsonl` (resolved in loadConfig). */
  USER_EXAMPLES_FILE: optional,
  REPLY_MODE: enumOf("REPLY_MODE", ["auto", "draft"], "auto"),
  POLL_SCHEDULE: z.string().optional().transform((v) =>
    v?.trim() || "*/1 * * * *"
  )
    .superRefine((v, ctx) => {
      if (v.split(/\s+/).length !== 5) {
        ctx.addIssue({
          code: "custom",
          message:
            `POLL_SCHEDULE must be a 5-field cron expression: current value is "${v}"`,
        });
      }
    }),
  INITIAL_SYNC_DAYS: intIn("INITIAL_SYNC_DAYS", 0, 365, 3),
  SENT_REPLY_MARKER_DAYS: intIn("SENT_REPLY_MARKER_DAYS", 1, 3650, 30),
  INITIAL_SYNC_MAX: intIn("INITIAL_SYNC_MAX", 0, 5000, 50),
  /** Gmail's per-method quota costs (pipeline/gmail/quota_costs.ts). */
  GMAIL_COST_TABLE: enumOf(
    "GMAIL_COST_TABLE",
    ["current", "legacy"],
    "current",
  ),
  /** Units per user per minute; 0: the chosen table's published limit. */
  GMAIL_UNITS_PER_MINUTE: intIn("GMAIL_UNITS_PER_MINUTE", 0, 1_000_000, 0),
  /** Longest a store call may take (Postgres statement/connect timeouts too). */
  STORE_TIMEOUT_SECONDS: intIn("STORE_TIMEOUT_SECONDS", 1, 600, 15),
  /**
   * Days processed records (activity log, audit events) are kept; the
   * review queue and refund cases are kept regardless.
   */
  RETENTION_DAYS: intIn("RETENTION_DAYS", 7, 3650, 90),
  /**
   * Optional id of this instance, stable across restarts and unique among
   * running instances (e.g. the container name): a restarted process then
   * takes its own accounts back at once instead of after the lease.
   */
  INSTANCE_ID: optional,
  /** A poll cycle of one account stops cleanly after this long. */
  POLL_DEADLINE_SECONDS: intIn("POLL_DEADLINE_SECONDS", 10, 3600, 240),
  LLM_BASE_URL: urlOrNull("LLM_BASE_URL"),
  LLM_MODEL: optional,
  LLM_API_KEY: optional,
  EMBEDDING_MODEL: optional,
  LOG_LEVEL: enumOf(
    "LOG_LEVEL",
    ["debug", "info", "warn", "error", "silent"],
    "info",
  ),
  LOG_FORMAT: enumOf("LOG_FORMAT", ["json", "pretty"], "json"),
  ADMIN_PASSWORD: optional,
  TRUST_PROXY: flag("TRUST_PROXY", false),
  MAX_AUTO_REPLIES_PER_SENDER: intIn("MAX_AUTO_REPLIES_PER_SENDER", 0, 1000, 3),
  MAX_INVALID_REFUND_ATTEMPTS: intIn("MAX_INVALID_REFUND_ATTEMPTS", 1, 100, 3),
  REFUND_AUTO_LIMIT: numIn("REFUND_AUTO_LIMIT", 0, 1e9, 200),
  REFUND_WINDOW_DAYS: intIn("REFUND_WINDOW_DAYS", 0, 3650, 30),
  REFUND_ELIGIBLE_STATUSES: z.string().optional().transform((v) =>
    // Both vocabularies: WooCommerce marks a delivered order "completed",
    // Shopify a shipped one "fulfilled".
    (v?.trim() ? v : "delivered,shipped,completed,fulfilled").split(",").map((
      s,
    ) => s.trim().toLowerCase())
      .filter((s) => s !== "")
  ),
  ORDER_ID_PATTERN: optional.superRefine((v, ctx) => {
    if (v === null) return;
    try {
      new RegExp(v);
    } catch {
      ctx.addIssue({
        code: "custom",
        message:
          `ORDER_ID_PATTERN must be a valid regular expression: current value is "${v}"`,
      });
    }
  }),
  REFUND_TEMPLATES_FILE: optional,
  VIP_SENDERS: list.transform((l) => l.map((s) => s.toLowerCase())),
  CLASSIFY_THRESHOLD: numIn("CLASSIFY_THRESHOLD", 0, 1, 0.7),
  ANSWER_THRESHOLD: numIn("ANSWER_THRESHOLD", 0, 1, 0.5),
  SIGNATURE: z.string().optional().transform((v) =>
    (v?.trim() || "The Support Team").replace(/\\n/g, "\n")
  ),
  SHOP_NAME: z.string().optional().transform((v) =>
    v?.trim() || "Northwind Goods"
  ),
  /**
   * The acknowledgement when a thread goes to a person (acknowledge.ts):
   * off by default; at most one per thread, counted in the reply cap.
   */
  ACK_ENABLED: flag("ACK_ENABLED", false),
  /** The answer time the acknowledgement promises ({hours}). */
  ACK_HOURS: intIn("ACK_HOURS", 1, 720, 24),
  /** Default: the built-in text (acknowledge.ts). `\n` starts a new line. */
  ACK_TEMPLATE: optional.transform((v) => v?.replace(/\\n/g, "\n") ?? null)
    .superRefine((v, ctx) => {
      if (v === null) return;
      for (const p of ackTemplateProblems(v)) {
        ctx.addIssue({ code: "custom", message: `ACK_TEMPLATE ${p}` });
      }
    }),
  SANDBOX: enumOf("SANDBOX", ["auto", "on", "off"], "auto"),
});

/** The resolved configuration: every field present. */
export type Config = Omit<z.output<typeof schema>, "USER_EXAMPLES_FILE"> & {
  USER_EXAMPLES_FILE: string;
};

/** Result of loading the configuration. */
export type ConfigResult =
  | { ok: true; config: Config }
  | { ok: false; errors: string[] };

/**
 * Validates the environment. Returns every problem at once, one line each,
 * naming the variable.
 */
export function loadConfig(
  env: Record<string, string | undefined>,
): ConfigResult {
  const parsed = schema.safeParse(env);
  const errors: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = issue.path.join(".");
      errors.push(
        issue.message.startsWith(name)
          ? issue.message
          : `${name}: ${issue.message}`,
      );
    }
    return { ok: false, errors };
  }
  const c = parsed.data;
  if (c.DATABASE_URL && !c.ENCRYPTION_KEY) {
    errors.push(
      "ENCRYPTION_KEY is required when DATABASE_URL is set (generate one with: openssl rand -base64 32)",
    );
  }
  if ((c.GOOGLE_CLIENT_ID === null) !== (c.GOOGLE_CLIENT_SECRET === null)) {
    errors.push(
      "GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET must be set together",
    );
  }
  if (
    c.INITIAL_SYNC_DAYS > 0 && c.SENT_REPLY_MARKER_DAYS <= c.INITIAL_SYNC_DAYS
  ) {
    errors.push(
      `SENT_REPLY_MARKER_DAYS must be more than INITIAL_SYNC_DAYS, as a full sync lists sent mail that recent again: current values are ${c.SENT_REPLY_MARKER_DAYS} and ${c.INITIAL_SYNC_DAYS}`,
    );
  }
  if (c.LLM_BASE_URL && !c.LLM_MODEL) {
    errors.push("LLM_MODEL is required when LLM_BASE_URL is set");
  }
  if (errors.length > 0) return { ok: false, errors };
  const userExamples = c.USER_EXAMPLES_FILE ??
    `${c.DATA_DIR.replace(/\/+$/, "")}/my_examples.jsonl`;
  return { ok: true, config: { ...c, USER_EXAMPLES_FILE: userExamples } };
}

/** True when the agent runs its built-in sandbox mailbox. */
export function sandboxEnabled(c: Config): boolean {
  if (c.SANDBOX === "on") return true;
  if (c.SANDBOX === "off") return false;
  return c.GOOGLE_CLIENT_ID === null && c.GOOGLE_BASE_URL === null;
}

/** Names of variables whose values are secrets (masked on the settings page). */
export const SECRET_KEYS = [
  "ENCRYPTION_KEY",
  "ENCRYPTION_KEYS_OLD",
  "GOOGLE_CLIENT_SECRET",
  "LLM_API_KEY",
  "ADMIN_PASSWORD",
  "DATABASE_URL",
] as const;

/** The configuration as name/value rows, secrets shown as "set" or "not set". */
export function maskedConfig(config: Config): [string, string][] {
  const secret = new Set<string>(SECRET_KEYS);
  return Object.entries(config).sort(([a], [b]) => a.localeCompare(b)).map(
    ([k, v]) => {
      const empty = v === null || v === undefined ||
        (Array.isArray(v) && v.length === 0) || v === "";
      if (secret.has(k)) return [k, empty ? "(not set)" : "•••••• (set)"];
      if (empty) return [k, "(not set)"];
      return [k, Array.isArray(v) ? v.join(", ") : String(v)];
    },
  );
}
