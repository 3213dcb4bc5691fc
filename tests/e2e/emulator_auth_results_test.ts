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
