/** AES-256-GCM token cipher and the embedded key file. */
import assert from "node:assert/strict";
import { loadOrCreateKeyFile } from "../../db/crypto/key_file.ts";
import {
  createTokenCipher,
  generateKey,
  TokenDecryptError,
} from "../../db/crypto/token_cipher.ts";

Deno.test("createTokenCipher()", async (t) => {
  const key = generateKey();
  const cipher = await createTokenCipher({ key });

  await t.step("round-trips a value with its additional data", async () => {
    const stored = await cipher.encrypt('{"refreshToken":"1//abc"}', "acc-1");
    assert.match(
      stored,
      /^v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/,
    );
    assert.equal(stored.split(".")[1], cipher.keyId);
    assert.equal(
      await cipher.decrypt(stored, "acc-1"),
      '{"refreshToken":"1//abc"}',
    );
    assert.ok(!stored.includes("abc"));
  });

  await t.step("uses a random IV: two encryptions differ", async () => {
    const a = await cipher.encrypt("same", "acc-1");
    const b = await cipher.encrypt("same", "acc-1");
    assert.notEqual(a, b);
    assert.notEqual(a.split(".")[2], b.split(".")[2]);
  });

  await t.step("rejects a tampered ciphertext", async () => {
    const stored = await cipher.encrypt("secret", "acc-1");
    const parts = stored.split(".");
    const ct = parts[3]!;
    parts[3] = (ct[0] === "A" ? "B" : "A") + ct.slice(1);
    await assert.rejects(
      () => cipher.decrypt(parts.join("."), "acc-1"),
      (e: unknown) =>
        e instanceof TokenDecryptError && /tampered/.test(e.message),
    );
    await assert.rejects(() => cipher.decrypt("garbage", "acc-1"), /v1 format/);
  });

  await t.step(
    "rejects the wrong additional data (another account)",
    async () => {
      const stored = await cipher.encrypt("secret", "acc-1");
      await assert.rejects(
        () => cipher.decrypt(stored, "acc-2"),
        TokenDecryptError,
      );
    },
  );

  await t.step(
    "rotates: the new key encrypts, the old key still decrypts",
    async () => {
      const oldStored = await cipher.encrypt("old secret", "acc-1");
      const rotated = await createTokenCipher({
        key: generateKey(),
        oldKeys: [key],
      });
      assert.notEqual(rotated.keyId, cipher.keyId);
      assert.equal(await rotated.decrypt(oldStored, "acc-1"), "old secret");
      const fresh = await rotated.encrypt("new secret", "acc-1");
      assert.equal(fresh.split(".")[1], rotated.keyId);
      await assert.rejects(
        () => cipher.decrypt(fresh, "acc-1"),
        (e: unknown) =>
          e instanceof TokenDecryptError && e.keyId === rotated.keyId &&
          /no configured key/.test(e.message),
      );
    },
  );

  await t.step("rejects a key of the wrong length", async () => {
    await assert.rejects(
      () => createTokenCipher({ key: btoa("short key") }),
      (e: unknown) => e instanceof RangeError && /32 bytes/.test(e.message),
    );
    await assert.rejects(
      () => createTokenCipher({ key, oldKeys: [btoa("x".repeat(31))] }),
      /old encryption key 1/,
    );
  });
});

Deno.test("loadOrCreateKeyFile() creates the key once with mode 0600", async () => {
  const dir = await Deno.makeTempDir({ prefix: "agent_key_test_" });
  try {
    const data = `${dir}/data`;
    const first = await loadOrCreateKeyFile(data);
    const info = await Deno.stat(`${data}/encryption.key`);
    assert.equal((info.mode ?? 0) & 0o777, 0o600);
    await createTokenCipher({ key: first });
    assert.equal(await loadOrCreateKeyFile(data), first);
    await Deno.writeTextFile(`${data}/encryption.key`, "not a key\n");
    await assert.rejects(() => loadOrCreateKeyFile(data), /ENCRYPTION_KEY/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
