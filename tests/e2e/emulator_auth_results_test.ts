/**
 * The emulator stamps Gmail's `Authentication-Results` on delivered mail,
 * on top of the message, with the verdict chosen per message; a header the
 * sender wrote stays below it.
 */
import assert from "node:assert/strict";
import { startTestEmulator } from "../helpers/emulator.ts";

const ME = "auth@shop.test";

/** The header block of a raw message, folded lines joined. */
function headerLines(rfc822: string): string[] {
  const head = rfc822.slice(0, rfc822.search(/\r?\n\r?\n/));
  return head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/);
}

Deno.test("POST /__emu/messages stamps Authentication-Results per message: pass by default, fail, none, missing", async () => {
  const emu = await startTestEmulator();
  try {
    const cases = [
      {
        auth: undefined,
        want:
          /^Authentication-Results: mx\.google\.com; dkim=pass header\.i=@cust\.test .*spf=pass .*smtp\.mailfrom=bob@cust\.test; dmarc=pass .*header\.from=cust\.test$/,
      },
      { auth: "pass" as const, want: /dmarc=pass .*header\.from=cust\.test$/ },
      {
        auth: "fail" as const,
        want:
          /^Authentication-Results: mx\.google\.com; dkim=fail .*spf=fail .*dmarc=fail .*header\.from=cust\.test$/,
      },
      {
        auth: "none" as const,
        want:
          /^Authentication-Results: mx\.google\.com; spf=none .*smtp\.mailfrom=bob@cust\.test$/,
      },
    ];
    for (const c of cases) {
      await emu.deliver(ME, {
        from: "Bob <bob@cust.test>",
        subject: `auth ${c.auth ?? "default"}`,
        text: "hi",
        ...(c.auth ? { auth: c.auth } : {}),
      });
    }
    await emu.deliver(ME, {
      from: "bob@cust.test",
      subject: "auth missing",
      text: "hi",
      auth: "missing",
    });
    const msgs = await emu.messages(ME);
    assert.equal(msgs.length, 5);
    for (const [i, c] of cases.entries()) {
      const lines = headerLines(msgs[i]!.rfc822);
      assert.match(lines[0]!, c.want, `case ${c.auth ?? "default"}`);
      assert.equal(
        lines.filter((l) => /^authentication-results:/i.test(l)).length,
        1,
      );
    }
    assert.ok(
      !headerLines(msgs[4]!.rfc822).some((l) =>
        /^authentication-results:/i.test(l)
      ),
      "missing: no header",
    );
  } finally {
    await emu.close();
  }
});

Deno.test("a raw message's own Authentication-Results stays below Gmail's stamp", async () => {
  const emu = await startTestEmulator();
  try {
    const raw = [
      "Authentication-Results: mx.google.com; dmarc=pass header.from=bank.test",
      "From: ceo@bank.test",
      `To: ${ME}`,
      "Subject: forged",
      "",
      "hi",
    ].join("\r\n");
    const b64 = btoa(raw).replaceAll("+", "-").replaceAll("/", "_")
      .replaceAll("=", "");
    await emu.deliver(ME, { raw: b64, auth: "fail" });
    const lines = headerLines((await emu.messages(ME))[0]!.rfc822);
    const auth = lines.filter((l) => /^authentication-results:/i.test(l));
    assert.equal(auth.length, 2);
    assert.match(auth[0]!, /dmarc=fail .*header\.from=bank\.test$/);
    assert.match(auth[1]!, /dmarc=pass header\.from=bank\.test$/);
  } finally {
    await emu.close();
  }
});

Deno.test("POST /__emu/messages refuses an unknown auth outcome", async () => {
  const emu = await startTestEmulator();
  try {
    const res = await fetch(`${emu.url}/__emu/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        to: ME,
        from: "a@b.test",
        subject: "s",
        text: "t",
        auth: "softfail",
      }),
    });
    assert.equal(res.status, 400);
    await res.body?.cancel();
  } finally {
    await emu.close();
  }
});

Deno.test("mail sent to another emulated user is stamped: pass from the sender's own address, fail for a From naming someone else", async () => {
  const emu = await startTestEmulator();
  try {
    await emu.addUser("colleague@shop.test");
    const token = await emu.accessToken(ME);
    const send = async (raw: string) => {
      const res = await fetch(`${emu.url}/gmail/v1/users/me/messages/send`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({
          raw: btoa(raw).replaceAll("+", "-").replaceAll("/", "_")
            .replaceAll("=", ""),
        }),
      });
      assert.equal(res.status, 200);
      await res.body?.cancel();
    };
    await send("To: colleague@shop.test\r\nSubject: Hi\r\n\r\nHello\r\n");
    await send(
      "From: ceo@bank.test\r\nTo: colleague@shop.test\r\nSubject: Wire\r\n\r\nPay\r\n",
    );
    const inbox = await emu.messages("colleague@shop.test");
    const tops = inbox.map((m) => headerLines(m.rfc822)[0] ?? "");
    assert.match(
      tops[0]!,
      /^Authentication-Results: mx\.google\.com; .*dmarc=pass .*header\.from=shop\.test$/,
    );
    assert.match(
      tops[1]!,
      /^Authentication-Results: mx\.google\.com; .*dmarc=fail .*header\.from=bank\.test$/,
    );
  } finally {
    await emu.close();
  }
});
