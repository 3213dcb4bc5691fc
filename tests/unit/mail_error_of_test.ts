import assert from "node:assert/strict";
import { mailErrorOf } from "../../pipeline/gmail/mail_error_of.ts";
import {
  MailUnavailableError,
  RateLimitedError,
} from "../../pipeline/ports.ts";

const NOW = new Date("2026-11-30T12:00:00Z");

/** A Gaxios-like error with Google's body and optional headers. */
function gerr(
  status: number,
  reason: string,
  message: string,
  headers: Record<string, string> = {},
) {
  return Object.assign(new Error(message), {
    name: "GaxiosError",
    status,
    response: {
      status,
      headers,
      data: { error: { code: status, message, errors: [{ reason, message }] } },
    },
  });
}

Deno.test("mailErrorOf() reads the retry time Google gives", async (t) => {
  await t.step("from a userRateLimitExceeded message", () => {
    const err = mailErrorOf(
      gerr(
        403,
        "userRateLimitExceeded",
        "User-rate limit exceeded.  Retry after 2026-11-30T12:05:00.000Z",
      ),
      "messages.get",
      NOW,
    );
    assert.ok(err instanceof RateLimitedError);
    assert.equal(err.retryAt?.toISOString(), "2026-11-30T12:05:00.000Z");
    assert.equal(err.transient, true);
  });

  await t.step("from a Retry-After header in seconds, by the given now", () => {
    const err = mailErrorOf(
      gerr(429, "rateLimitExceeded", "Resource has been exhausted", {
        "retry-after": "30",
      }),
      "messages.send",
      NOW,
    );
    assert.ok(err instanceof RateLimitedError);
    assert.equal(err.retryAt?.toISOString(), "2026-11-30T12:00:30.000Z");
  });

  await t.step("null when Google says nothing", () => {
    const err = mailErrorOf(
      gerr(429, "rateLimitExceeded", "Too many concurrent requests"),
      "messages.get",
      NOW,
    );
    assert.ok(err instanceof RateLimitedError);
    assert.equal(err.retryAt, null);
  });
});

Deno.test("mailErrorOf() keeps a network failure transient and a bug as it is", () => {
  const network = Object.assign(new Error("socket hang up"), {
    code: "ECONNRESET",
  });
  const typed = mailErrorOf(network, "messages.get", NOW);
  assert.ok(typed instanceof MailUnavailableError);
  assert.equal(typed.message, "socket hang up");
  assert.equal(typed.cause, network);
  const bug = new TypeError("x is undefined");
  assert.equal(mailErrorOf(bug, "messages.get", NOW), bug);
});
