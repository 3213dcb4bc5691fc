/**
 * The emulator is held to Gmail's own schemas (derived from
 * `@googleapis/gmail`, tests/contract/gmail_schemas.json): one tour calls
 * every emulated Gmail method, in success and in error, and every answer
 * must validate. The same check runs on every answer of every e2e test
 * (tests/helpers/emulator.ts), so a new field or route cannot drift.
 */
import assert from "node:assert/strict";
import {
  checkGmailExchange,
  methodFor,
  validateAgainst,
} from "../helpers/gmail_contract.ts";
import { startTestEmulator } from "../helpers/emulator.ts";

const ME = "contract@shop.test";
const G = "/gmail/v1/users";

Deno.test("Gmail contract: the validator rejects unknown fields, missing required fields, nulls and wrong types", () => {
  const ok = { id: "1", threadId: "1", labelIds: ["INBOX"], sizeEstimate: 3 };
  assert.deepEqual(validateAgainst(ok, "Message"), []);
  const problems = (v: unknown, s: string) =>
    validateAgainst(v, s).map((p) => `${p.path}: ${p.problem}`);
  assert.match(
    problems({ ...ok, colour: "red" }, "Message").join(),
    /unknown field "colour"/,
  );
  assert.match(
    problems({ id: "1" }, "Message").join(),
    /missing required field "threadId"/,
  );
  assert.match(
    problems({ ...ok, sizeEstimate: "3" }, "Message").join(),
    /sizeEstimate: expected number, got string/,
  );
  assert.match(
    problems({ ...ok, snippet: null }, "Message").join(),
    /expected string, got null/,
  );
  assert.match(
    problems(
      { ...ok, payload: { headers: [{ name: "To", value: 1 }] } },
      "Message",
    ).join(),
    /\$\.payload\.headers\[0\]\.value: expected string/,
  );
  assert.match(
    problems({ error: { code: 404, message: "x" } }, "ErrorBody").join(),
    /missing required field "status"/,
  );
  // A body for the wrong status, an error code that is not the HTTP status.
  assert.notDeepEqual(
    checkGmailExchange(
      "GET",
      `${G}/me/messages/1`,
      404,
      "application/json",
      JSON.stringify({
        error: { code: 400, message: "m", status: "NOT_FOUND" },
      }),
    ),
    [],
  );
  assert.equal(
    methodFor("POST", `${G}/me/drafts/send`)?.id,
    "users.drafts.send",
  );
  assert.equal(
    methodFor("GET", `${G}/me/messages/abc`)?.id,
    "users.messages.get",
  );
  assert.equal(
    methodFor("POST", `${G}/me/messages/send`)?.id,
    "users.messages.send",
  );
});

Deno.test("Gmail contract: every emulated method answers within Gmail's schemas, in success and in error", async () => {
  const emu = await startTestEmulator({ rewriteMessageIds: false });
  const seen = new Set<string>();
  try {
    const token = await emu.accessToken(ME);
    const api = async (
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) => {
      const res = await fetch(`${emu.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...headers,
        },
        body: body === undefined
          ? undefined
          : typeof body === "string"
          ? body
          : JSON.stringify(body),
      });
      const spec = methodFor(method, new URL(res.url).pathname);
      if (spec) seen.add(`${spec.id} ${res.status < 400 ? "ok" : "error"}`);
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : null };
    };
    const b64 = (s: string) =>
      btoa(s).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");

    const inbound = await emu.deliver(ME, {
      from: "Cust <cust@example.net>",
      subject: "Contract",
      text: "Hello",
      html: "<p>Hello</p>",
      message_id: "<c1@example.net>",
    });
    const withFile = await emu.deliver(ME, {
      raw: b64(
        "From: a@example.net\r\nTo: contract@shop.test\r\nSubject: File\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee file\r\n--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=a.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERg==\r\n--b--\r\n",
      ),
    });

    assert.equal((await api("GET", `${G}/me/profile`)).status, 200);
    assert.equal((await api("GET", `${G}/other@x.test/profile`)).status, 403);
    assert.equal((await api("GET", `${G}/me/labels`)).status, 200);
    const label = await api("POST", `${G}/me/labels`, {
      name: "Agent/Processed",
    });
    assert.equal(label.status, 200);
    assert.equal(
      (await api("POST", `${G}/me/labels`, { name: "agent/processed" })).status,
      409,
    );
    assert.equal(
      (await api("POST", `${G}/me/labels`, "{not json")).status,
      400,
    );
    assert.equal(
      (await api("GET", `${G}/me/labels/${label.json.id}`)).status,
      200,
    );
    assert.equal((await api("GET", `${G}/me/labels/Label_404`)).status, 404);

    assert.equal(
      (await api("GET", `${G}/me/messages?q=in:inbox&maxResults=1`)).status,
      200,
    );
    assert.equal(
      (await api("GET", `${G}/me/messages?q=nothing-matches-this`)).status,
      200,
    );
    assert.equal(
      (await api("GET", `${G}/me/messages?maxResults=-1`)).status,
      400,
    );
    for (const format of ["full", "metadata", "minimal", "raw"]) {
      const r = await api(
        "GET",
        `${G}/me/messages/${withFile.id}?format=${format}`,
      );
      assert.equal(r.status, 200);
    }
    assert.equal(
      (await api(
        "GET",
        `${G}/me/messages/${inbound.id}?format=metadata&metadataHeaders=Subject`,
      )).status,
      200,
    );
    assert.equal(
      (await api("GET", `${G}/me/messages/${inbound.id}?format=bogus`)).status,
      400,
    );
    assert.equal((await api("GET", `${G}/me/messages/ffff`)).status, 404);
    const full = await api(
      "GET",
      `${G}/me/messages/${withFile.id}?format=full`,
    );
    const aid = full.json.payload.parts[1].body.attachmentId;
    assert.equal(
      (await api("GET", `${G}/me/messages/${withFile.id}/attachments/${aid}`))
        .status,
      200,
    );
    assert.equal(
      (await api("GET", `${G}/me/messages/${withFile.id}/attachments/nope`))
        .status,
      400,
    );

    const reply = b64(
      "From: contract@shop.test\r\nTo: cust@example.net\r\nSubject: Re: Contract\r\nIn-Reply-To: <c1@example.net>\r\nReferences: <c1@example.net>\r\n\r\nThanks\r\n",
    );
    assert.equal(
      (await api("POST", `${G}/me/messages/send`, {
        raw: reply,
        threadId: inbound.threadId,
      })).status,
      200,
    );
    assert.equal(
      (await api("POST", `${G}/me/messages/send`, {
        raw: reply,
        threadId: "ffff",
      })).status,
      400,
    );
    assert.equal((await api("POST", `${G}/me/messages/send`, {})).status, 400);
    const media = await fetch(
      `${emu.url}/upload${G}/me/messages/send?uploadType=media`,
      {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "message/rfc822",
        },
        body: atob(reply.replaceAll("-", "+").replaceAll("_", "/")),
      },
    );
    assert.equal(media.status, 200);
    await media.body?.cancel();
    seen.add("users.messages.send ok");

    assert.equal(
      (await api("POST", `${G}/me/messages/${inbound.id}/modify`, {
        addLabelIds: [label.json.id],
      })).status,
      200,
    );
    assert.equal(
      (await api("POST", `${G}/me/messages/${inbound.id}/modify`, {
        addLabelIds: ["SENT"],
      })).status,
      400,
    );
    assert.equal(
      (await api("POST", `${G}/me/messages/ffff/modify`, {})).status,
      404,
    );

    const draft = await api("POST", `${G}/me/drafts`, {
      message: { raw: reply, threadId: inbound.threadId },
    });
    assert.equal(draft.status, 200);
    assert.equal(
      (await api("POST", `${G}/me/drafts`, { message: {} })).status,
      400,
    );
    assert.equal(
      (await api("POST", `${G}/me/drafts/send`, { id: draft.json.id })).status,
      200,
    );
    assert.equal(
      (await api("POST", `${G}/me/drafts/send`, { id: draft.json.id })).status,
      404,
    );
    const second = await api("POST", `${G}/me/drafts`, {
      message: { raw: reply, threadId: inbound.threadId },
    });
    assert.equal(second.status, 200);
    const listed = await api("GET", `${G}/me/drafts?q=subject:contract`);
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.json.drafts.map((d: { id: string }) => d.id), [
      second.json.id,
    ]);
    assert.equal(
      (await api("GET", `${G}/me/drafts?maxResults=-1`)).status,
      400,
    );
    for (const format of ["full", "raw", "metadata", "minimal"]) {
      assert.equal(
        (await api("GET", `${G}/me/drafts/${second.json.id}?format=${format}`))
          .status,
        200,
      );
    }
    assert.equal((await api("GET", `${G}/me/drafts/r404`)).status, 404);
    const updated = await api("PUT", `${G}/me/drafts/${second.json.id}`, {
      id: second.json.id,
      message: { raw: reply, threadId: inbound.threadId },
    });
    assert.equal(updated.status, 200);
    assert.notEqual(updated.json.message.id, second.json.message.id);
    assert.equal(
      (await api("PUT", `${G}/me/drafts/r404`, {
        message: { raw: reply },
      })).status,
      404,
    );
    assert.equal(
      (await api("DELETE", `${G}/me/drafts/${second.json.id}`)).status,
      204,
    );
    assert.equal(
      (await api("DELETE", `${G}/me/drafts/${second.json.id}`)).status,
      404,
    );

    assert.equal(
      (await api("GET", `${G}/me/threads/${inbound.threadId}?format=metadata`))
        .status,
      200,
    );
    assert.equal(
      (await api("GET", `${G}/me/threads/${inbound.threadId}`)).status,
      200,
    );
    assert.equal((await api("GET", `${G}/me/threads/ffff`)).status, 404);

    const profile = await api("GET", `${G}/me/profile`);
    const start = Number(profile.json.historyId) - 30;
    assert.equal(
      (await api("GET", `${G}/me/history?startHistoryId=${start}`)).status,
      404,
    );
    await emu.move(ME, inbound.id, "spam");
    await emu.settings({ history_label_ids: false });
    const h = await api(
      "GET",
      `${G}/me/history?startHistoryId=${profile.json.historyId}`,
    );
    assert.equal(h.status, 200);
    await emu.settings({ history_label_ids: true });
    assert.equal(
      (await api(
        "GET",
        `${G}/me/history?startHistoryId=1000&historyTypes=labelAdded`,
      )).status,
      200,
    );
    assert.equal(
      (await api("GET", `${G}/me/history?startHistoryId=abc`)).status,
      400,
    );

    // Quota and fault errors, and an unauthenticated call.
    await emu.quota({ units_per_minute: 3, rate_limit_style: "403_user" });
    assert.equal(
      (await api("GET", `${G}/me/messages/${inbound.id}`)).status,
      403,
    );
    await emu.quota({ rate_limit_style: "429" });
    assert.equal(
      (await api("GET", `${G}/me/messages/${inbound.id}`)).status,
      429,
    );
    await emu.quota({ units_per_minute: null, daily_units: 1 });
    assert.equal(
      (await api("GET", `${G}/me/messages/${inbound.id}`)).status,
      403,
    );
    await emu.quota({ daily_units: null });
    for (const status of [400, 401, 403, 404, 409, 429, 500, 503]) {
      await emu.fault({ status, path: "/profile", retry_after_ms: 1000 });
      assert.equal((await api("GET", `${G}/me/profile`)).status, status);
    }
    await emu.fault({ status: 503, path: "/labels" });
    assert.equal((await api("GET", `${G}/me/labels`)).status, 503);
    const anon = await fetch(`${emu.url}${G}/me/profile`);
    assert.equal(anon.status, 401);
    await anon.body?.cancel();
    assert.equal((await api("GET", `${G}/me/nothing-here`)).status, 404);

    assert.deepEqual(emu.violations(), []);
    const emulated = [
      "users.getProfile",
      "users.labels.list",
      "users.labels.get",
      "users.labels.create",
      "users.messages.list",
      "users.messages.get",
      "users.messages.attachments.get",
      "users.messages.send",
      "users.messages.modify",
      "users.drafts.create",
      "users.drafts.send",
      "users.drafts.list",
      "users.drafts.get",
      "users.drafts.update",
      "users.drafts.delete",
      "users.history.list",
      "users.threads.get",
    ];
    for (const id of emulated) {
      assert.ok(seen.has(`${id} ok`), `${id} answered in success`);
      assert.ok(seen.has(`${id} error`), `${id} answered in error`);
    }
  } finally {
    await emu.close();
  }
});
