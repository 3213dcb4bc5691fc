/**
 * checkSenderAuth(): only the topmost Authentication-Results, from
 * mx.google.com, counts; DMARC pass or an aligned DKIM/SPF pass
 * authenticates the From address; parseAuthResults() reads RFC 8601.
 */
import assert from "node:assert/strict";
import {
  aligned,
  checkSenderAuth,
  parseAuthResults,
} from "../../pipeline/refund/sender_auth.ts";

/** A header as Gmail writes it (folded, with comments). */
const GMAIL = `mx.google.com;
       dkim=pass header.i=@example.com header.s=20230601 header.b=Ab+Cd/Ef;
       arc=pass (i=1 spf=pass spfdomain=example.com dkim=pass dkdomain=example.com dmarc=pass fromdomain=example.com);
       spf=pass (google.com: domain of bob@example.com designates 209.85.220.41 as permitted sender) smtp.mailfrom=bob@example.com;
       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=example.com`;

const check = (from: string, headers: string[], ambiguous = false) =>
  checkSenderAuth({
    fromAddress: from,
    fromAmbiguous: ambiguous,
    authenticationResults: headers,
  });

Deno.test("parseAuthResults() reads Gmail's header: authserv-id, methods, results, properties; comments dropped", () => {
  const r = parseAuthResults(GMAIL);
  assert.equal(r?.authservId, "mx.google.com");
  assert.deepEqual(r?.results.map((x) => `${x.method}=${x.result}`), [
    "dkim=pass",
    "arc=pass",
    "spf=pass",
    "dmarc=pass",
  ]);
  assert.equal(r?.results[0]?.props["header.i"], "@example.com");
  assert.equal(r?.results[0]?.props["header.b"], "Ab+Cd/Ef");
  assert.equal(r?.results[2]?.props["smtp.mailfrom"], "bob@example.com");
  assert.equal(r?.results[3]?.props["header.from"], "example.com");
  assert.deepEqual(
    parseAuthResults('mx.google.com 1; dmarc=pass header.from="ex.com"')
      ?.results[0]?.props,
    { "header.from": "ex.com" },
  );
  assert.equal(parseAuthResults("  ; dmarc=pass"), null);
});

Deno.test("checkSenderAuth() accepts DMARC pass, or DKIM or SPF pass aligned with the From domain", () => {
  assert.deepEqual(check("Bob@Example.com", [GMAIL]), {
    ok: true,
    by: "dmarc",
    domain: "example.com",
  });
  assert.equal(
    check("bob@mail.example.com", [
      "mx.google.com; dkim=pass header.d=example.com; dmarc=none",
    ]).ok,
    true,
  );
  assert.equal(
    check("bob@example.com", [
      "mx.google.com; dkim=pass header.i=@example.com",
    ]).ok,
    true,
  );
  assert.equal(
    check("bob@example.com", [
      "mx.google.com; spf=pass smtp.mailfrom=bounces+x@example.com",
    ]).ok,
    true,
  );
});

Deno.test("checkSenderAuth() refuses fail, none, neutral, softfail, unaligned passes and a dmarc=fail beside a pass", () => {
  const refused: Array<[string, string]> = [
    [
      "mx.google.com; dkim=fail header.i=@example.com; dmarc=fail",
      "dmarc_fail",
    ],
    ["mx.google.com; dkim=none; spf=none; dmarc=none", "not_aligned"],
    ["mx.google.com; spf=neutral smtp.mailfrom=b@example.com", "not_aligned"],
    ["mx.google.com; spf=softfail smtp.mailfrom=b@example.com", "not_aligned"],
    ["mx.google.com; spf=temperror smtp.mailfrom=b@example.com", "not_aligned"],
    ["mx.google.com; dkim=pass header.d=evil.test", "not_aligned"],
    ["mx.google.com; dkim=pass header.d=com", "not_aligned"],
    ["mx.google.com; dkim=pass header.d=sub.example.com", "not_aligned"],
    [
      "mx.google.com; spf=pass smtp.mailfrom=x@example.com.evil.test",
      "not_aligned",
    ],
    ["mx.google.com; dmarc=pass header.from=evil.test", "not_aligned"],
    [
      "mx.google.com; dkim=pass header.d=example.com; dmarc=fail header.from=example.com",
      "dmarc_fail",
    ],
  ];
  for (const [h, why] of refused) {
    assert.deepEqual(check("bob@example.com", [h]), { ok: false, why }, h);
  }
});

Deno.test("checkSenderAuth() trusts only the topmost header, and only from mx.google.com", () => {
  const pass = "mx.google.com; dmarc=pass header.from=example.com";
  assert.deepEqual(check("bob@example.com", []), {
    ok: false,
    why: "missing",
  });
  // A pass the sender wrote below Gmail's verdict does not count.
  assert.equal(
    check("bob@example.com", ["mx.google.com; spf=none", pass]).ok,
    false,
  );
  for (
    const top of [
      "evil.test; dmarc=pass header.from=example.com",
      "mx.google.com.evil.test; dmarc=pass header.from=example.com",
      "(mx.google.com) evil; dmarc=pass",
    ]
  ) {
    assert.deepEqual(check("bob@example.com", [top, pass]), {
      ok: false,
      why: "untrusted",
    }, top);
  }
  // A comment cannot smuggle a result in.
  assert.equal(
    check("bob@example.com", [
      "mx.google.com; spf=none (dmarc=pass header.from=example.com)",
    ]).ok,
    false,
  );
});

Deno.test("checkSenderAuth() refuses a From with two addresses or none, whatever the results", () => {
  assert.deepEqual(check("bob@example.com", [GMAIL], true), {
    ok: false,
    why: "ambiguous_from",
  });
  assert.deepEqual(check("", [GMAIL]), { ok: false, why: "no_sender" });
  assert.deepEqual(check("bob@", [GMAIL]), { ok: false, why: "no_sender" });
});

Deno.test("aligned(): the same domain or a parent of the From domain, never a one-label one", () => {
  assert.ok(aligned("example.com", "example.com"));
  assert.ok(aligned("Example.COM.", "mail.example.com"));
  assert.ok(!aligned("mail.example.com", "example.com"));
  assert.ok(!aligned("com", "example.com"));
  assert.ok(!aligned("ample.com", "example.com"));
  assert.ok(!aligned(undefined, "example.com"));
});
