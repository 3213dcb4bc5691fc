import assert from "node:assert/strict";
import { missingScopes } from "../../pipeline/gmail/google_oauth.ts";

const G = "https://www.googleapis.com/auth/";

Deno.test("missingScopes() asks for gmail.modify only when neither it nor full mail access was granted", () => {
  const all =
    `openid ${G}userinfo.email ${G}gmail.readonly ${G}gmail.modify ${G}gmail.send`;
  assert.deepEqual(missingScopes(all), []);
  assert.deepEqual(
    missingScopes(`openid ${G}userinfo.email ${G}gmail.modify`),
    [],
    "modify covers reading and sending",
  );
  assert.deepEqual(missingScopes(`openid https://mail.google.com/`), []);
  assert.deepEqual(
    missingScopes(
      `openid ${G}userinfo.email ${G}gmail.readonly ${G}gmail.send`,
    ),
    [`${G}gmail.modify`],
    "without modify the agent cannot label",
  );
  assert.deepEqual(missingScopes(null), [], "Google did not list the scopes");
  assert.deepEqual(missingScopes(""), []);
});
