/**
 * A full cycle through the real composition root (`buildAgent`), the real
 * web app, a real Deno KV store and the Gmail emulator over HTTP, with every
 * log line captured at debug level: sign in, connect a mailbox through
 * OAuth, deliver emails, poll, reply, follow up, reply from the review
 * queue, revoke. No line may contain a token, an authorization code, the
 * client secret, a password, a session cookie, a body, a subject or a reply
 * from the test data.
 */
import assert from "node:assert/strict";
import { buildAgent } from "../../app/build_agent.ts";
import { loadConfig } from "../../app/config.ts";
import {
  createTokenCipher,
  generateKey,
} from "../../db/crypto/token_cipher.ts";
import { createKvStore } from "../../db/kv/kv_store.ts";
import { createLogger } from "../../app/ops/logger.ts";
import { startTestEmulator } from "../helpers/emulator.ts";
import { CookieJar, postLogin } from "../helpers/web_app.ts";

const ROOT = new URL("../../", import.meta.url);
const MAILBOX = "support@shop.example";
const CUSTOMER = "jane.customer@example.com";
const CLIENT_SECRET = "GOCSPX-e2eClientSecretValue42";
const PASSWORD = "e2e admin pass phrase 9931";

/** Subjects and bodies: each carries a marker that must never be logged. */
const EMAILS = [
  {
    subject: "Where is my parcel QSUBJ7781",
    text:
      "Hello, I ordered a lamp last week and it has not arrived yet. How can I track my shipment? QBODY5512",
  },
  {
    subject: "Refund for a broken mug RSUBJ3321",
    text:
      "Hi, the mug from order ORD10001 arrived broken. I want a refund please. RBODY9944",
  },
  {
    subject: "Partnership proposal OSUBJ1209",
    text:
      "Dear team, we are a wholesale supplier and would like to discuss a partnership with your shop. OBODY6657",
  },
];
const FOLLOW_UP = "Thanks! One more thing: do you ship to Norway? FBODY4420";
const ADMIN_REPLY =
  "Thank you for reaching out, our buyer will call you next week. AREPLY8812";

Deno.test("a full e2e cycle logs no token, code, secret, body, subject or reply", async (t) => {
  const emu = await startTestEmulator();
  const dir = await Deno.makeTempDir({ prefix: "log_redaction_e2e_" });
  const kv = await Deno.openKv(`${dir}/agent.kv`);
  const store = createKvStore(
    kv,
    await createTokenCipher({ key: generateKey() }),
  );
  const lines: string[] = [];
  const logger = createLogger({
    level: "debug",
    write: (l) => lines.push(l),
  });
  const loaded = loadConfig({
    DATA_DIR: dir,
    GOOGLE_BASE_URL: emu.url,
    GOOGLE_CLIENT_ID: "e2e-client.apps.googleusercontent.com",
    GOOGLE_CLIENT_SECRET: CLIENT_SECRET,
    ADMIN_PASSWORD: PASSWORD,
    SANDBOX: "off",
    KNOWLEDGE_BASE_DIR: new URL("knowledge_base", ROOT).pathname,
    EXAMPLES_FILE:
      new URL("pipeline/classify/training/classify_examples.jsonl", ROOT)
        .pathname,
    USER_EXAMPLES_FILE: `${dir}/my_examples.jsonl`,
    LOG_LEVEL: "debug",
  });
  assert.ok(loaded.ok, loaded.ok ? "" : loaded.errors.join("; "));
  const agent = await buildAgent({
    config: loaded.config,
    store,
    logger,
    clock: { now: () => new Date() },
    sleep: () => Promise.resolve(),
    sandbox: false,
    embedder: null,
  });
  /** Strings from the test data that must not reach any log line. */
  const forbidden = new Map<string, string>([
    ["client secret", CLIENT_SECRET],
    ["admin password", PASSWORD],
  ]);
  for (const [i, e] of EMAILS.entries()) {
    forbidden.set(`subject ${i}`, e.subject);
    forbidden.set(`subject marker ${i}`, e.subject.split(" ").at(-1)!);
    forbidden.set(`body ${i}`, e.text.slice(0, 40));
    forbidden.set(`body marker ${i}`, e.text.split(" ").at(-1)!);
  }
  forbidden.set("follow-up body", FOLLOW_UP.split(" ").at(-1)!);
  forbidden.set("admin reply", ADMIN_REPLY.split(" ").at(-1)!);
  forbidden.set("customer address", CUSTOMER);

  try {
    const jar = new CookieJar();
    let csrf = "";
    await t.step("the admin signs in with the password", async () => {
      const res = jar.take(
        await postLogin(agent.app, "/login", {
          body: new URLSearchParams({ password: PASSWORD, next: "/" }),
        }),
      );
      assert.equal(res.status, 303);
      const html = await (await agent.app.request("/settings", {
        headers: { cookie: jar.header() },
      })).text();
      csrf = html.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? "";
      assert.ok(csrf);
      forbidden.set("csrf token", csrf);
      for (const pair of jar.header().split("; ")) {
        forbidden.set(`cookie ${pair.split("=")[0]}`, pair.split("=")[1]!);
      }
    });

    let accountId = "";
    await t.step("the mailbox is connected through OAuth", async () => {
      await emu.addUser(MAILBOX);
      const start = await agent.app.request("/connect", {
        method: "POST",
        headers: { cookie: jar.header() },
        body: new URLSearchParams({ _csrf: csrf, login_hint: MAILBOX }),
      });
      assert.equal(start.status, 303);
      const back = await fetch(start.headers.get("location")!, {
        redirect: "manual",
      });
      await back.body?.cancel();
      const cb = new URL(back.headers.get("location")!);
      forbidden.set("authorization code", cb.searchParams.get("code")!);
      forbidden.set("oauth state", cb.searchParams.get("state")!);
      const res = await agent.app.request(cb.pathname + cb.search, {
        headers: { cookie: jar.header() },
      });
      await res.body?.cancel();
      assert.equal(res.status, 303);
      const account = await store.accounts.getByEmail(MAILBOX);
      assert.ok(account);
      accountId = account.id;
    });

    const delivered: string[] = [];
    await t.step(
      "customers' emails are answered, queued or ignored",
      async () => {
        for (const e of EMAILS) {
          delivered.push(
            (await emu.deliver(MAILBOX, { from: CUSTOMER, ...e })).id,
          );
        }
        delivered.push(
          (await emu.deliver(MAILBOX, {
            from: "mailer-daemon@googlemail.com",
            subject: "Delivery Status Notification (Failure) BSUBJ4410",
            text: "Your message could not be delivered. BBODY3390",
            headers: { "Auto-Submitted": "auto-replied" },
          })).id,
        );
        forbidden.set("bounce subject marker", "BSUBJ4410");
        forbidden.set("bounce body marker", "BBODY3390");
        const summary = await agent.pollOnce();
        assert.equal(summary.fetched, delivered.length);
        assert.equal(summary.errors, 0);
        assert.ok(summary.replied >= 1, JSON.stringify(summary));
        const tokens = await store.accounts.getTokens(accountId);
        assert.ok(tokens?.accessToken && tokens.refreshToken);
        forbidden.set("access token", tokens.accessToken);
        forbidden.set("refresh token", tokens.refreshToken);
        for (const id of delivered) {
          const entry = await store.ledger.get(accountId, id);
          const reply = entry?.decision?.reply;
          if (reply) forbidden.set(`reply to ${id}`, reply.slice(0, 50));
        }
        for (const s of await emu.sent(MAILBOX)) {
          const body = s.rfc822.split(/\r?\n\r?\n/).slice(1).join("\n").trim();
          const line = body.split(/\r?\n/).find((l) => l.trim().length > 25);
          if (line) forbidden.set(`sent reply ${s.id}`, line.trim());
        }
      },
    );

    await t.step("the customer follows up in the answered thread", async () => {
      const first = (await emu.sent(MAILBOX))[0];
      assert.ok(first, "a reply was sent");
      const id = (await emu.deliver(MAILBOX, {
        from: CUSTOMER,
        subject: `Re: ${EMAILS[0]!.subject}`,
        text: FOLLOW_UP,
      })).id;
      delivered.push(id);
      const summary = await agent.pollOnce();
      assert.equal(summary.errors, 0);
    });

    await t.step("a person answers from the review queue", async () => {
      const items = await store.review.list({ status: "pending" });
      assert.ok(items.length > 0, "something waits for review");
      const res = await agent.app.request(`/review/${items[0]!.id}/reply`, {
        method: "POST",
        headers: { cookie: jar.header() },
        body: new URLSearchParams({ _csrf: csrf, reply: ADMIN_REPLY }),
      });
      await res.body?.cancel();
      assert.equal(res.status, 303);
    });

    await t.step(
      "a revoked grant turns the account to needs_reconnect",
      async () => {
        await emu.revoke(MAILBOX);
        await emu.expireAccessTokens(MAILBOX);
        await emu.deliver(MAILBOX, { from: CUSTOMER, ...EMAILS[0]! });
        await agent.pollOnce();
        assert.equal(
          (await store.accounts.get(accountId))?.status,
          "needs_reconnect",
        );
      },
    );

    await t.step(
      "the logs hold ids and outcomes but none of the test data",
      () => {
        assert.ok(
          lines.length >= delivered.length,
          `only ${lines.length} lines`,
        );
        const processed = lines.map((l) => JSON.parse(l)).filter((e) =>
          e.msg === "email processed"
        );
        for (const id of delivered) {
          assert.ok(
            processed.some((e) =>
              e.gmailId === id && e.accountId === accountId
            ),
            `no "email processed" line for ${id}`,
          );
        }
        assert.ok(
          lines.some((l) =>
            l.includes("invalid_grant") || l.includes("reconnect")
          ),
        );
        for (const [what, value] of forbidden) {
          assert.ok(value.length >= 8, `${what} is too short to check`);
          const hit = lines.find((l) => l.includes(value));
          assert.equal(
            hit,
            undefined,
            `a log line contains the ${what}: ${hit}`,
          );
        }
      },
    );
  } finally {
    await agent.close();
    await store.close();
    await emu.close();
    await Deno.remove(dir, { recursive: true });
  }
});
