/**
 * What a CLI command does next to a running server (`sideBySide`), and the
 * control routes it talks to (bearer token only).
 */
import assert from "node:assert/strict";
import { sideBySide } from "../../app/cli/running_server.ts";
import type { ServerCard } from "../../app/server_file.ts";
import { AppError } from "../../pipeline/errors.ts";
import { createControlRoutes } from "../../routes/control_routes.ts";

const card = (store: "kv" | "postgres"): ServerCard => ({
  url: "http://127.0.0.1:8000",
  token: "t".repeat(43),
  pid: 4242,
  store,
});

Deno.test("sideBySide() runs every command here when no server runs", () => {
  for (const c of ["serve", "poll", "simulate", "orders import"]) {
    assert.equal(sideBySide(c, null), "run_here");
  }
});

Deno.test("sideBySide() sends poll to the server and lets readers run here", () => {
  assert.equal(sideBySide("poll", card("kv")), "poll_on_server");
  assert.equal(sideBySide("poll", card("postgres")), "poll_on_server");
  for (const c of ["simulate", "accounts list", "orders get"]) {
    assert.equal(sideBySide(c, card("kv")), "run_here");
  }
  assert.equal(sideBySide("orders import", card("postgres")), "run_here");
});

Deno.test("sideBySide() refuses store writers on the embedded store and a second serve", () => {
  for (const c of ["orders import", "accounts add", "serve"]) {
    assert.throws(
      () => sideBySide(c, card("kv")),
      (e) =>
        e instanceof AppError && e.code === "conflict" &&
        e.message.includes("http://127.0.0.1:8000") &&
        !e.message.includes("\n"),
    );
  }
});

Deno.test("control routes answer only the server's bearer token", async () => {
  let polls = 0;
  const token = "k".repeat(43);
  const app = createControlRoutes({
    controlToken: token,
    pollNow: () => {
      polls++;
      return Promise.resolve({ accounts: 1 });
    },
  });
  const bad = await app.request("/internal/poll", {
    method: "POST",
    headers: { authorization: `Bearer ${"x".repeat(43)}` },
  });
  assert.equal(bad.status, 401);
  await bad.body?.cancel();
  const none = await app.request("/internal/ping");
  assert.equal(none.status, 401);
  await none.body?.cancel();
  assert.equal(polls, 0);
  const ping = await app.request("/internal/ping", {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(ping.status, 204);
  const ok = await app.request("/internal/poll", {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
  });
  assert.deepEqual(await ok.json(), { accounts: 1 });
  assert.equal(polls, 1);
  const off = createControlRoutes({
    controlToken: null,
    pollNow: () => Promise.resolve({}),
  });
  const gone = await off.request("/internal/ping", {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(gone.status, 404);
  await gone.body?.cancel();
});
