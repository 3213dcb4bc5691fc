import assert from "node:assert/strict";
import { parseArgs } from "../../app/cli/parse_args.ts";

Deno.test("parseArgs() reads every command of docs/cli.md", async (t) => {
  const cases: [string[], unknown][] = [
    [["serve"], { name: "serve", watchKb: false }],
    [["serve", "--watch-kb"], { name: "serve", watchKb: true }],
    [["poll", "--once"], { name: "poll", once: true }],
    [["accounts", "add", "--email", "a@b.c", "--refresh-token", "rt"], {
      name: "accounts add",
      email: "a@b.c",
      refreshToken: "rt",
    }],
    [["accounts", "list"], { name: "accounts list" }],
    [["orders", "import", "x.csv"], { name: "orders import", file: "x.csv" }],
    [["orders", "get", "ORD1"], { name: "orders get", orderId: "ORD1" }],
    [["simulate"], { name: "simulate", file: "-" }],
    [["simulate", "a.eml"], { name: "simulate", file: "a.eml" }],
    [["eval", "classify", "f"], { name: "eval classify", file: "f" }],
    [["eval", "retrieve", "f", "--kb", "d"], {
      name: "eval retrieve",
      file: "f",
      kb: "d",
    }],
    [["migrate"], { name: "migrate" }],
  ];
  for (const [argv, want] of cases) {
    await t.step(argv.join(" "), () => {
      const r = parseArgs(argv);
      assert.ok(r.ok, JSON.stringify(r));
      assert.deepEqual(r.command, want);
    });
  }
});

Deno.test("parseArgs() refuses unknown commands, flags and missing values", async (t) => {
  const cases: [string[], RegExp][] = [
    [["frobnicate"], /unknown command frobnicate/],
    [["serve", "--verbose"], /unknown flag --verbose/],
    [["poll"], /--once/],
    [["poll", "--once", "-x"], /unknown flag -x/],
    [["accounts", "add", "--email", "a@b.c"], /--refresh-token/],
    [["orders", "import"], /needs FILE/],
    [["eval", "retrieve", "f", "--kb"], /--kb needs a folder/],
    [["eval", "score", "f"], /unknown eval command/],
  ];
  for (const [argv, want] of cases) {
    await t.step(argv.join(" "), () => {
      const r = parseArgs(argv);
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.error, want);
    });
  }
});
