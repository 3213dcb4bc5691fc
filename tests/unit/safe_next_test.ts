/**
 * safeNext() keeps only a path of this app: every known open-redirect
 * bypass falls back to "/".
 */
import assert from "node:assert/strict";
import { safeNext } from "../../routes/auth/safe_next.ts";

/** Values a browser could follow to another host. */
const BYPASSES = [
  "//evil.example/",
  "/\t/evil.example/",
  "/\n/evil.example/",
  "/\r\n/evil.example/",
  "/\u0000/evil.example/",
  "/\u007f/evil.example/",
  "\t//evil.example/",
  " /evil.example/",
  "/\\evil.example/",
  "/\\\\evil.example/",
  "\\\\evil.example/",
  "/%2F/evil.example/",
  "/%2f%2fevil.example/",
  "/%5Cevil.example/",
  "/%5c%5cevil.example/",
  "/%09/evil.example/",
  "/%0a/evil.example/",
  "/%252F/evil.example/",
  "/.//evil.example/",
  "/..//evil.example/",
  "/./\\evil.example/",
  "https://evil.example/",
  "https:evil.example",
  "https:/evil.example",
  "javascript:alert(1)",
  "evil.example",
  "",
  "/%E0%A4%A", // malformed escape
];

Deno.test("safeNext() refuses every known open-redirect bypass", () => {
  for (const b of BYPASSES) {
    assert.equal(safeNext(b), "/", JSON.stringify(b));
  }
});

Deno.test("safeNext() keeps a path of this app with its query and fragment", () => {
  for (
    const ok of [
      "/",
      "/review/42",
      "/activity?reason=answered&page=2",
      "/settings#secrets",
      "/https://not-a-host",
      "/knowledge/shipping.md",
    ]
  ) {
    assert.equal(safeNext(ok), ok);
  }
});

Deno.test("safeNext() never sends the user back to sign-in and refuses non-strings", () => {
  for (const v of ["/login", "/login?next=/x", "/login/once?token=abc"]) {
    assert.equal(safeNext(v), "/");
  }
  assert.equal(safeNext("/loginx"), "/loginx");
  for (const v of [undefined, null, 42, ["/x"], { a: 1 }]) {
    assert.equal(safeNext(v), "/");
  }
  assert.equal(safeNext("/" + "a".repeat(3000)), "/");
});
