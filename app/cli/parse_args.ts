/**
 * Parses the CLI's command line into one of the known commands. Pure: no
 * I/O. Unknown commands and flags are errors (the caller prints usage and
 * exits 2).
 * @module
 */

/** A parsed command line. */
export type CliCommand =
  | { name: "serve"; watchKb: boolean }
  | { name: "poll"; once: true }
  | { name: "accounts add"; email: string; refreshToken: string }
  | { name: "accounts list" }
  | { name: "orders import"; file: string }
  | { name: "orders get"; orderId: string }
  | { name: "simulate"; file: string }
  | { name: "eval classify"; file: string }
  | { name: "eval retrieve"; file: string; kb: string | null }
  | { name: "eval answers"; file: string; kb: string | null }
  | { name: "migrate" }
  | { name: "healthcheck" }
  | { name: "help" };

/** Result of parsing. */
export type ParseResult = { ok: true; command: CliCommand } | {
  ok: false;
  error: string;
};

/** The usage text. */
export const USAGE = `Usage: deno task agent <command>

Commands:
  serve [--watch-kb]                      serve the web app and poll on a schedule
                                          (--watch-kb: reindex when the knowledge base changes)
  poll --once                             run one polling cycle over every active account
  accounts add --email E --refresh-token T
                                          store an account from an existing refresh token
  accounts list                           list accounts (no secrets)
  orders import FILE                      import orders from CSV or JSON lines
  orders get ORDER_ID                     show one order and its status
  simulate [FILE|-]                       decide on one raw .eml without sending
  eval classify FILE                      measure the classifier on labelled JSON lines
  eval retrieve FILE [--kb DIR]           measure retrieval on {"query","expected"} lines
  eval answers FILE [--kb DIR]            batch test of answers: {"id","body","expect","facts"} lines
  migrate                                 apply Postgres migrations
  healthcheck                             exit 0 when the local server answers /healthz
  help                                    show this text`;

interface Split {
  positional: string[];
  flags: Map<string, string | true>;
}

function split(argv: string[]): Split | string {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-" || !a.startsWith("-")) {
      positional.push(a);
      continue;
    }
    if (!a.startsWith("--")) return `unknown flag ${a}`;
    const eq = a.indexOf("=");
    if (eq > 0) {
      flags.set(a.slice(2, eq), a.slice(eq + 1));
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && (next === "-" || !next.startsWith("-"))) {
      flags.set(a.slice(2), next);
      i++;
    } else {
      flags.set(a.slice(2), true);
    }
  }
  return { positional, flags };
}

/** Parses `argv` (without the program name). */
export function parseArgs(argv: string[]): ParseResult {
  const s = split(argv);
  if (typeof s === "string") return { ok: false, error: s };
  const { positional: p, flags } = s;
  const allow = (...names: string[]): string | null => {
    for (const k of flags.keys()) {
      if (!names.includes(k)) return `unknown flag --${k}`;
    }
    return null;
  };
  const str = (name: string): string | null => {
    const v = flags.get(name);
    return typeof v === "string" && v !== "" ? v : null;
  };
  const fail = (error: string): ParseResult => ({ ok: false, error });
  const ok = (command: CliCommand): ParseResult => ({ ok: true, command });
  const [cmd, sub, ...rest] = p;
  const noExtra = (n: number) =>
    p.length > n ? `unexpected argument ${p[n]}` : null;

  switch (cmd) {
    case undefined:
    case "help": {
      return ok({ name: "help" });
    }
    case "serve": {
      const e = allow("watch-kb") ?? noExtra(1);
      return e
        ? fail(e)
        : ok({ name: "serve", watchKb: flags.get("watch-kb") === true });
    }
    case "migrate":
    case "healthcheck": {
      const e = allow() ?? noExtra(1);
      return e ? fail(e) : ok({ name: cmd });
    }
    case "poll": {
      const e = allow("once") ?? noExtra(1);
      if (e) return fail(e);
      if (flags.get("once") !== true) return fail("poll needs --once");
      return ok({ name: "poll", once: true });
    }
    case "accounts": {
      if (sub === "list") {
        const e = allow() ?? noExtra(2);
        return e ? fail(e) : ok({ name: "accounts list" });
      }
      if (sub === "add") {
        const e = allow("email", "refresh-token") ?? noExtra(2);
        if (e) return fail(e);
        const email = str("email");
        const refreshToken = str("refresh-token");
        if (!email) return fail("accounts add needs --email E");
        if (!refreshToken) return fail("accounts add needs --refresh-token T");
        return ok({ name: "accounts add", email, refreshToken });
      }
      return fail(
        `unknown accounts command ${sub ?? "(none)"}: use add or list`,
      );
    }
    case "orders": {
      const e = allow() ?? noExtra(3);
      if (e) return fail(e);
      if (sub === "import") {
        return rest[0]
          ? ok({ name: "orders import", file: rest[0] })
          : fail("orders import needs FILE");
      }
      if (sub === "get") {
        return rest[0]
          ? ok({ name: "orders get", orderId: rest[0] })
          : fail("orders get needs ORDER_ID");
      }
      return fail(
        `unknown orders command ${sub ?? "(none)"}: use import or get`,
      );
    }
    case "simulate": {
      const e = allow() ?? noExtra(2);
      return e ? fail(e) : ok({ name: "simulate", file: sub ?? "-" });
    }
    case "eval": {
      if (sub === "classify") {
        const e = allow() ?? noExtra(3);
        if (e) return fail(e);
        return rest[0]
          ? ok({ name: "eval classify", file: rest[0] })
          : fail("eval classify needs FILE");
      }
      if (sub === "retrieve") {
        const e = allow("kb") ?? noExtra(3);
        if (e) return fail(e);
        if (flags.get("kb") === true) return fail("--kb needs a folder");
        return rest[0]
          ? ok({ name: "eval retrieve", file: rest[0], kb: str("kb") })
          : fail("eval retrieve needs FILE");
      }
      if (sub === "answers") {
        const e = allow("kb") ?? noExtra(3);
        if (e) return fail(e);
        if (flags.get("kb") === true) return fail("--kb needs a folder");
        return rest[0]
          ? ok({ name: "eval answers", file: rest[0], kb: str("kb") })
          : fail("eval answers needs FILE");
      }
      return fail(
        `unknown eval command ${
          sub ?? "(none)"
        }: use classify, retrieve or answers`,
      );
    }
    default:
      return fail(`unknown command ${cmd}`);
  }
}
