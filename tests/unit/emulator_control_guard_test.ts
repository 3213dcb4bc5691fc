/**
 * guardControl(): the sandbox emulator's control routes need the secret,
 * the emulator's own Host and a JSON body; other paths pass untouched.
 */
import assert from "node:assert/strict";
import {
  CONTROL_SECRET_HEADER,
  guardControl,
} from "../../emulator/control_guard.ts";

const opts = { secret: "s3cret-".repeat(6), host: "127.0.0.1:4567" };

function req(
  path: string,
  headers: Record<string, string>,
  method = "POST",
): Request {
  return new Request(`http://127.0.0.1:4567${path}`, {
    method,
    headers: { host: "127.0.0.1:4567", ...headers },
    ...(method === "GET" ? {} : { body: "{}" }),
  });
}

const good = {
  [CONTROL_SECRET_HEADER]: opts.secret,
  "content-type": "application/json; charset=utf-8",
};

Deno.test("guardControl() lets the app's JSON call with the secret and the emulator's Host through", () => {
  assert.equal(guardControl(req("/__emu/users", good), opts), null);
  assert.equal(
    guardControl(req("/__emu/sent?user=a@b.c", good, "GET"), opts),
    null,
  );
});

Deno.test("guardControl() refuses another Host name even with the secret (DNS rebinding)", () => {
  for (
    const host of ["rebind.evil.test:4567", "localhost:4567", "127.0.0.1:1"]
  ) {
    const r = guardControl(req("/__emu/users", { ...good, host }), opts);
    assert.equal(r?.status, 403, host);
  }
});

Deno.test("guardControl() refuses a missing or wrong secret, also on GET and encoded paths", () => {
  const { [CONTROL_SECRET_HEADER]: _, ...noSecret } = good;
  for (
    const [path, method] of [
      ["/__emu/users", "POST"],
      ["/__emu/sent?user=a@b.c", "GET"],
      ["/%5F%5Femu/users", "POST"],
      ["//__emu/users", "POST"],
      ["/__emu", "GET"],
    ]
  ) {
    assert.equal(
      guardControl(req(path!, noSecret, method), opts)?.status,
      403,
      `${method} ${path}`,
    );
  }
  const wrong = { ...good, [CONTROL_SECRET_HEADER]: "x".repeat(42) };
  assert.equal(guardControl(req("/__emu/users", wrong), opts)?.status, 403);
});

Deno.test("guardControl() refuses a body that is not application/json (text/plain, forms)", () => {
  for (
    const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "",
    ]
  ) {
    const r = guardControl(
      req("/__emu/messages", { ...good, "content-type": type }),
      opts,
    );
    assert.equal(r?.status, 415, type);
  }
});

Deno.test("guardControl() leaves the Gmail and OAuth routes alone", () => {
  for (
    const path of ["/gmail/v1/users/me/profile", "/token", "/o/oauth2/v2/auth"]
  ) {
    assert.equal(guardControl(req(path, { host: "other:1" }), opts), null);
  }
});
