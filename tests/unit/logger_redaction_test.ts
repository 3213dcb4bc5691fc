import assert from "node:assert/strict";
import {
  createLogger,
  maskAddress,
  redact,
  scrubText,
} from "../../app/ops/logger.ts";

/** A logger at debug level that keeps every line. */
function capture(format: "json" | "pretty" = "json") {
  const lines: string[] = [];
  const logger = createLogger({
    level: "debug",
    format,
    write: (l) => lines.push(l),
    now: () => new Date("2026-01-01T00:00:00Z"),
  });
  return { logger, lines };
}

const SECRETS = {
  access: "ya29.a0AfH6SMBx-accessTokenValue_123",
  refresh: "1//0gLongRefreshTokenValue-abc_def",
  code: "4/0AX4XfWhAuthorizationCodeValue",
  clientSecret: "GOCSPX-clientSecretValue123",
  key: "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=",
  cookie: "agent_session=s3ss10nV4lu3abc",
  idToken: "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl",
  subject: "Where is my parcel ZQX-SUBJECT-MARKER",
  body: "Hello, my order ORD12345 never arrived. BODY-MARKER-77",
};

Deno.test("logger redacts secrets and email content by key", async (t) => {
  await t.step(
    "tokens, codes, client secret, key and cookies never appear",
    () => {
      const { logger, lines } = capture();
      logger.info("oauth", {
        accessToken: SECRETS.access,
        refresh_token: SECRETS.refresh,
        code: SECRETS.code,
        authCode: SECRETS.code,
        client_secret: SECRETS.clientSecret,
        ENCRYPTION_KEY: SECRETS.key,
        headers: {
          Cookie: SECRETS.cookie,
          authorization: `Bearer ${SECRETS.access}`,
        },
        "set-cookie": SECRETS.cookie,
        tokens: {
          accessToken: SECRETS.access,
          refreshToken: SECRETS.refresh,
          expiryDate: 1,
        },
        id_token: SECRETS.idToken,
        sessionId: "abc",
        accountId: "acc-1",
      });
      const line = lines.join("\n");
      for (const s of Object.values(SECRETS).slice(0, 7)) {
        assert.ok(!line.includes(s), `leaked ${s}`);
      }
      const parsed = JSON.parse(lines[0]!);
      assert.equal(parsed.accessToken, "[redacted]");
      assert.equal(parsed.tokens, "[redacted]");
      assert.equal(parsed.headers.Cookie, "[redacted]");
      assert.equal(parsed.accountId, "acc-1");
    },
  );
  await t.step("bodies, subjects and derived text never appear", () => {
    const { logger, lines } = capture();
    logger.debug("parsed", {
      subject: SECRETS.subject,
      text: SECRETS.body,
      cleanText: SECRETS.body,
      bodyHtml: `<p>${SECRETS.body}</p>`,
      snippet: SECRETS.body.slice(0, 20),
      reply: `Re: ${SECRETS.subject}`,
      email: {
        subject: SECRETS.subject,
        text: SECRETS.body,
        raw: new TextEncoder().encode(SECRETS.body),
      },
      prompt: [{ role: "user", content: SECRETS.body }],
      query: SECRETS.body,
      subjectLength: 38,
    });
    const line = lines[0]!;
    assert.ok(!line.includes("ZQX-SUBJECT-MARKER"));
    assert.ok(!line.includes("BODY-MARKER-77"));
    assert.ok(!line.includes("Where is my parcel"));
    assert.equal(JSON.parse(line).subjectLength, 38);
  });
  await t.step("context keys that merely contain a word stay readable", () => {
    const r = redact({
      context: "poll",
      statusCode: 429,
      keyId: "k1",
      textLength: 3,
    }) as Record<string, unknown>;
    assert.deepEqual(r, {
      context: "poll",
      statusCode: 429,
      keyId: "k1",
      textLength: 3,
    });
  });
  await t.step("child loggers redact their bound context too", () => {
    const { logger, lines } = capture();
    logger.child({
      accessToken: SECRETS.access,
      sender: "jane.doe@example.com",
    }).warn("x");
    assert.ok(!lines[0]!.includes(SECRETS.access));
    assert.match(lines[0]!, /j\*\*\*@example\.com/);
    assert.ok(!lines[0]!.includes("jane.doe"));
  });
  await t.step("the pretty format is redacted the same way", () => {
    const { logger, lines } = capture("pretty");
    logger.info("sent", {
      subject: SECRETS.subject,
      refreshToken: SECRETS.refresh,
      to: "bob@shop.test",
    });
    assert.ok(!lines[0]!.includes("MARKER"));
    assert.ok(!lines[0]!.includes(SECRETS.refresh));
    assert.match(lines[0]!, /^2026-01-01T00:00:00.000Z INFO {2}sent /);
    assert.match(lines[0]!, /b\*\*\*@shop\.test/);
  });
});

Deno.test("logger scrubs secrets from free text and error messages", async (t) => {
  await t.step("secrets inside messages and errors are removed", () => {
    const { logger, lines } = capture();
    const err = new Error(
      `token request failed: refresh_token=${SECRETS.refresh}&client_secret=${SECRETS.clientSecret} for jane@example.com`,
      { cause: new Error(`Authorization: Bearer ${SECRETS.access}`) },
    );
    logger.error(`call with ${SECRETS.access} and code=${SECRETS.code}`, {
      error: err,
    });
    const line = lines[0]!;
    for (
      const s of [
        SECRETS.access,
        SECRETS.refresh,
        SECRETS.code,
        SECRETS.clientSecret,
        "jane@",
      ]
    ) {
      assert.ok(!line.includes(s), `leaked ${s}`);
    }
    const parsed = JSON.parse(line);
    assert.equal(parsed.error.name, "Error");
    assert.match(parsed.error.message, /token request failed/);
    assert.match(parsed.error.cause.message, /Bearer \[redacted\]/);
  });
  await t.step(
    "keys, JWTs, cookies and URL passwords are removed from text",
    () => {
      const s = scrubText(
        `key ${SECRETS.key} jwt ${SECRETS.idToken} Cookie: ${SECRETS.cookie} db postgres://app:hunter2pass@db:5432/agent`,
      );
      assert.ok(!s.includes(SECRETS.key));
      assert.ok(!s.includes(SECRETS.idToken));
      assert.ok(!s.includes("s3ss10n"));
      assert.ok(!s.includes("hunter2"));
      assert.match(s, /postgres:\/\/app:\[redacted\]@db:5432\/agent/);
    },
  );
  await t.step("the one-time login link stays usable", () => {
    const link =
      "http://127.0.0.1:8000/login/once?token=Xb3_kQ9-zz81LmN0pQrStUvWxYz012345678abcdEFG";
    assert.equal(scrubText(link), link);
  });
  await t.step("addresses are masked, keeping the domain", () => {
    assert.equal(
      maskAddress("mail jane.doe@example.com now"),
      "mail j***@example.com now",
    );
    assert.equal(redact("x@y.org", "from"), "x***@y.org");
  });
});

Deno.test("logger honours the level and writes one JSON object per line", async (t) => {
  await t.step("lines below the level are dropped", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "warn", write: (l) => lines.push(l) });
    logger.debug("a");
    logger.info("b");
    logger.warn("c", { messageId: "m1", threadId: "t1", accountId: "a1" });
    logger.error("d");
    assert.equal(lines.length, 2);
    const first = JSON.parse(lines[0]!);
    assert.equal(first.level, "warn");
    assert.equal(first.msg, "c");
    assert.equal(first.messageId, "m1");
    assert.match(first.time, /^\d{4}-\d\d-\d\dT/);
  });
  await t.step("silent writes nothing", () => {
    const lines: string[] = [];
    createLogger({ level: "silent", write: (l) => lines.push(l) }).error("x");
    assert.equal(lines.length, 0);
  });
});
