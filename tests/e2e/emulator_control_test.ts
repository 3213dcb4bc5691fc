/**
 * The emulator's control routes, its MIME handling of multipart mail and
 * the `deno task gmail-emulator` entry point.
 */
import assert from "node:assert/strict";
import { startTestEmulator } from "../helpers/emulator.ts";

const ME = "ctl@shop.test";

function b64url(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

function unb64url(data: string): string {
  const bin = atob(data.replaceAll("-", "+").replaceAll("_", "/"));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

const MULTIPART = [
  "From: =?UTF-8?B?SsOpcsO0bWU=?= <jerome@cust.test>",
  `To: ${ME}`,
  "Subject: =?UTF-8?Q?Caf=C3=A9_order?=",
  "Message-ID: <mp-1@cust.test>",
  "MIME-Version: 1.0",
  'Content-Type: multipart/mixed; boundary="outer"',
  "",
  "--outer",
  'Content-Type: multipart/alternative; boundary="inner"',
  "",
  "--inner",
  "Content-Type: text/plain; charset=utf-8",
  "Content-Transfer-Encoding: quoted-printable",
  "",
  "Bonjour, caf=C3=A9 cr=C3=A8me.",
  "--inner",
  "Content-Type: text/html; charset=utf-8",
  "",
  "<p>Bonjour</p>",
  "--inner--",
  "--outer",
  'Content-Type: application/pdf; name="receipt.pdf"',
  'Content-Disposition: attachment; filename="receipt.pdf"',
  "Content-Transfer-Encoding: base64",
  "",
  btoa("%PDF-1.4 fake"),
  "--outer--",
  "",
].join("\r\n");

Deno.test("gmail emulator control routes and MIME payloads", async (t) => {
  const emu = await startTestEmulator();
  try {
    const token = await emu.accessToken(ME);
    const api = async (path: string) => {
      const res = await fetch(`${emu.url}/gmail/v1/users/me/${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(res.status, 200);
      return await res.json();
    };

    await t.step("users get a fresh refresh token each time", async () => {
      const one = await emu.addUser(ME);
      const two = await emu.addUser(ME);
      assert.equal(one.email, ME);
      assert.notEqual(one.refresh_token, two.refresh_token);
    });

    const mp = await emu.deliver(ME, { raw: b64url(MULTIPART) });
    await t.step(
      "format=full mirrors the MIME tree with partIds and attachment ids",
      async () => {
        const msg = await api(`messages/${mp.id}`);
        const p = msg.payload;
        assert.equal(p.mimeType, "multipart/mixed");
        assert.deepEqual(p.body, { size: 0 });
        assert.equal(p.parts[0].partId, "0");
        assert.equal(p.parts[0].parts[0].partId, "0.0");
        assert.equal(p.parts[0].parts[1].mimeType, "text/html");
        assert.equal(
          unb64url(p.parts[0].parts[0].body.data),
          "Bonjour, café crème.",
        );
        const att = p.parts[1];
        assert.equal(att.filename, "receipt.pdf");
        assert.equal(att.body.data, undefined);
        const got = await api(
          `messages/${mp.id}/attachments/${att.body.attachmentId}`,
        );
        assert.equal(unb64url(got.data), "%PDF-1.4 fake");
        assert.equal(got.size, 13);
        const subject = p.headers.find((h: { name: string }) =>
          h.name === "Subject"
        ).value;
        assert.equal(subject, "Café order");
        assert.equal(msg.snippet, "Bonjour, café crème.");
      },
    );

    await t.step(
      "sent mail to another emulated user lands in their inbox",
      async () => {
        await emu.addUser("colleague@shop.test");
        const res = await fetch(`${emu.url}/gmail/v1/users/me/messages/send`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${token}`,
            "content-type": "application/json",
          },
          body: JSON.stringify({
            raw: b64url(
              `To: colleague@shop.test\r\nSubject: Hi\r\n\r\nHello\r\n`,
            ),
          }),
        });
        assert.equal(res.status, 200);
        await res.body?.cancel();
        const inbox = await emu.messages("colleague@shop.test");
        assert.equal(inbox.length, 1);
        assert.deepEqual(inbox[0]?.labelIds, ["INBOX", "UNREAD"]);
      },
    );

    await t.step(
      "the composed form builds RFC 822 with Message-ID, Date and threading headers",
      async () => {
        const d = await emu.deliver(ME, {
          from: "ann@cust.test",
          subject: "Re: Café order",
          text: "Follow-up ✓",
          in_reply_to: "<mp-1@cust.test>",
          headers: { "Auto-Submitted": "auto-replied" },
          date: "2026-02-03T04:05:06Z",
        });
        assert.equal(d.threadId, mp.threadId);
        const all = await emu.messages(ME);
        const text = all.find((m) => m.id === d.id)!.rfc822;
        assert.match(text, /^Message-ID: <emu\.[0-9a-f]+@cust\.test>\r?$/m);
        assert.match(text, /^Date: Tue, 03 Feb 2026 04:05:06 \+0000\r?$/m);
        assert.match(text, /^References: <mp-1@cust\.test>\r?$/m);
        assert.match(text, /^Auto-Submitted: auto-replied\r?$/m);
        const full = await api(`messages/${d.id}`);
        assert.equal(full.internalDate, String(Date.UTC(2026, 1, 3, 4, 5, 6)));
      },
    );

    await t.step(
      "bad control bodies are 400 and unknown users 404, with a message",
      async () => {
        const res = await fetch(`${emu.url}/__emu/messages`, {
          method: "POST",
          body: JSON.stringify({ to: "not-an-email" }),
        });
        assert.equal(res.status, 400);
        assert.match((await res.json()).error, /Invalid body/);
        const nf = await fetch(`${emu.url}/__emu/sent?user=nobody@x.test`);
        assert.equal(nf.status, 404);
        await nf.body?.cancel();
      },
    );

    await t.step("reset empties everything", async () => {
      const res = await fetch(`${emu.url}/__emu/reset`, { method: "POST" });
      await res.body?.cancel();
      assert.deepEqual(await emu.calls(), { calls: {}, units: 0 });
      const r = await fetch(`${emu.url}/gmail/v1/users/me/profile`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(r.status, 401);
      await r.body?.cancel();
    });
  } finally {
    await emu.close();
  }
});

Deno.test("deno task gmail-emulator prints its URL and stops cleanly on SIGTERM", async () => {
  const main = new URL("../../emulator/main.ts", import.meta.url).pathname;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", "--allow-env", main, "--port", "0"],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!out.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    out += value;
  }
  const m = /^listening on (http:\/\/127\.0\.0\.1:(\d+))\n$/.exec(out);
  assert.ok(m, `unexpected stdout: ${JSON.stringify(out)}`);
  const res = await fetch(`${m[1]}/__emu/calls`);
  assert.deepEqual(await res.json(), { calls: {}, units: 0 });
  child.kill("SIGTERM");
  const status = await child.status;
  await reader.cancel();
  await child.stderr.cancel();
  assert.equal(status.code, 0);
});

Deno.test("an emulator started with a latency answers Gmail and OAuth calls that late, and control calls at once", async () => {
  const { startEmulator } = await import("../../emulator/server.ts");
  const waits: number[] = [];
  const running = await startEmulator({
    latencyMs: 25,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
  });
  try {
    const gmail = await fetch(`${running.url}/gmail/v1/users/me/profile`);
    await gmail.body?.cancel();
    assert.equal(gmail.status, 401);
    assert.deepEqual(waits, [25]);
    const control = await fetch(`${running.url}/__emu/calls`);
    await control.body?.cancel();
    assert.equal(control.status, 200);
    assert.deepEqual(waits, [25], "a control call does not wait");
  } finally {
    await running.close();
  }
});
