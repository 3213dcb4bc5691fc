/**
 * A person's reply from the dashboard goes to the From address. When the
 * email's Reply-To names another address, the review page shows both with
 * a warning and the person may choose the Reply-To; otherwise it is never
 * used. Against the real emulator, over the web app.
 */
import assert from "node:assert/strict";
import { replyAddresses } from "../../pipeline/dashboard/person_reply.ts";
import { parseEmail } from "../../pipeline/mail/parse_email.ts";
import { openTestWeb, signIn, type TestWeb } from "../helpers/web_app.ts";

const MAILBOX = "support@shop.example";

async function emuPost(web: TestWeb, path: string, body: unknown) {
  const res = await fetch(`${web.emu!.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  assert.ok(res.ok, `${path}: HTTP ${res.status}`);
  return await res.json();
}

/** A connected mailbox with one review item per email. */
async function seed(web: TestWeb, mails: Array<{ replyTo?: string }>) {
  const user = await emuPost(web, "/__emu/users", { email: MAILBOX }) as {
    refresh_token: string;
  };
  const account = await web.store.accounts.upsert({
    email: MAILBOX,
    tokens: {
      accessToken: null,
      refreshToken: user.refresh_token,
      expiryDate: null,
    },
  });
  const items = [];
  for (const [i, m] of mails.entries()) {
    const msg = await emuPost(web, "/__emu/messages", {
      to: MAILBOX,
      from: "Alice Example <alice@example.com>",
      subject: `About my order ${i}`,
      text: "Where is the refund for ORD10001? I want to speak to a person.",
      ...(m.replyTo ? { headers: { "Reply-To": m.replyTo } } : {}),
    }) as { id: string; threadId: string };
    items.push(
      await web.store.review.add({
        accountId: account.id,
        gmailId: msg.id,
        threadId: msg.threadId,
        sender: "alice@example.com",
        subject: `About my order ${i}`,
        excerpt: "Where is the refund for ORD10001?",
        category: "Refund",
        importance: 4,
        importanceReasons: [],
        reason: "human_requested",
      }, web.clock.now()),
    );
  }
  return items;
}

async function sentTo(web: TestWeb): Promise<string[]> {
  const sent = await (await fetch(
    `${web.emu!.url}/__emu/sent?user=${MAILBOX}`,
  )).json() as { raw: string }[];
  const out: string[] = [];
  for (const m of sent) {
    const bytes = Uint8Array.from(
      atob(m.raw.replace(/-/g, "+").replace(/_/g, "/")),
      (c) => c.charCodeAt(0),
    );
    const p = await parseEmail(bytes, { id: "s", threadId: "s", labelIds: [] });
    out.push(p.to.map((a) => a.address).join(","));
  }
  return out;
}

Deno.test("dashboard reply: goes to From; a differing Reply-To is shown with a warning and used only when chosen", async (t) => {
  const web = await openTestWeb();
  try {
    const { jar, csrf } = await signIn(web);
    const [stranger, chosen, plain] = await seed(web, [
      { replyTo: "mallory@evil.test" },
      { replyTo: "mallory@evil.test" },
      {},
    ]);
    const page = async (id: string) =>
      await (await web.app.request(`/review/${id}`, {
        headers: { cookie: jar.header() },
      })).text();
    const reply = (id: string, fields: Record<string, string>) =>
      web.app.request(`/review/${id}/reply`, {
        method: "POST",
        headers: { cookie: jar.header() },
        body: new URLSearchParams({ _csrf: csrf, ...fields }),
      });

    await t.step(
      "the page shows From and Reply-To, with a warning",
      async () => {
        const html = await page(stranger!.id);
        assert.match(html, /role="alert"/);
        assert.match(html, /mallory@evil\.test/);
        assert.match(html, /alice@example\.com/);
        assert.match(
          html,
          /<input type="radio" name="to" value="from" checked/,
        );
        assert.match(html, /<input type="radio" name="to" value="reply_to"/);
      },
    );
    await t.step("without a choice the reply goes to From", async () => {
      const res = await reply(stranger!.id, { reply: "Hello Alice." });
      assert.equal(res.status, 303, await res.clone().text());
      assert.deepEqual(await sentTo(web), ["alice@example.com"]);
    });
    await t.step("an explicit choice of Reply-To goes there", async () => {
      const res = await reply(chosen!.id, {
        reply: "Hello.",
        to: "reply_to",
      });
      assert.equal(res.status, 303);
      assert.deepEqual((await sentTo(web)).sort(), [
        "alice@example.com",
        "mallory@evil.test",
      ]);
      const audit = await web.store.audit.list(10);
      assert.ok(
        audit.some((a) =>
          a.action === "review_replied" &&
          (a.detail as { to?: string }).to === "reply_to"
        ),
      );
    });
    await t.step(
      "without a Reply-To there is no warning and no choice",
      async () => {
        const html = await page(plain!.id);
        assert.doesNotMatch(html, /role="alert"/);
        assert.doesNotMatch(html, /name="to"/);
        assert.match(html, /To: Alice Example &lt;alice@example\.com&gt;/);
      },
    );
  } finally {
    await web.close();
  }
});

Deno.test("replyAddresses() keeps a Reply-To only when it names another address", () => {
  const a = (address: string) => ({ address, name: "" });
  assert.deepEqual(
    replyAddresses({ from: a("alice@example.com"), replyTo: null }),
    { from: a("alice@example.com"), replyTo: null },
  );
  assert.equal(
    replyAddresses({
      from: a("alice@example.com"),
      replyTo: a("ALICE@Example.com"),
    }).replyTo,
    null,
  );
  assert.deepEqual(
    replyAddresses({ from: a("alice@example.com"), replyTo: a("m@evil.test") })
      .replyTo,
    a("m@evil.test"),
  );
});
