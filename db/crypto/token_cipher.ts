/**
 * AES-256-GCM encryption of secrets at rest (OAuth tokens), with Web Crypto.
 * Stored form: `v1.<kid>.<iv b64url>.<ciphertext b64url>`; the key id lets
 * keys rotate (the current key encrypts, older keys still decrypt), and the
 * additional authenticated data (the account id) binds a value to its owner.
 * @module
 */

/** Encrypts and decrypts short secrets. */
export interface TokenCipher {
  /** Key id (first 8 hex chars of SHA-256 of the raw key) of the current key. */
  readonly keyId: string;
  encrypt(plaintext: string, aad: string): Promise<string>;
  /** Throws `TokenDecryptError` on a tampered value, wrong AAD or unknown key. */
  decrypt(stored: string, aad: string): Promise<string>;
}

/** Options of `createTokenCipher`. */
export interface TokenCipherOptions {
  /** Base64 (or base64url) of 32 random bytes: encrypts and decrypts. */
  key: string;
  /** Older keys, same format: decrypt only. Default none. */
  oldKeys?: string[];
}

/** A stored value that cannot be decrypted. */
export class TokenDecryptError extends Error {
  /** Key id named in the stored value, when it could be read. */
  readonly keyId: string | null;
  constructor(message: string, keyId: string | null) {
    super(message);
    this.name = "TokenDecryptError";
    this.keyId = keyId;
  }
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Decodes base64 or base64url to bytes. */
function fromB64(s: string): Uint8Array<ArrayBuffer> {
  const std = s.replace(/-/g, "+").replace(/_/g, "/");
  const padded = std + "=".repeat((4 - (std.length % 4)) % 4);
  const bin = atob(padded);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Encodes bytes as unpadded base64url. */
function toB64url(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

async function importKey(
  b64: string,
  label: string,
): Promise<{ kid: string; key: CryptoKey }> {
  let raw: Uint8Array<ArrayBuffer>;
  try {
    raw = fromB64(b64.trim());
  } catch {
    throw new RangeError(`Cannot use ${label} as it is not valid base64`);
  }
  if (raw.length !== 32) {
    throw new RangeError(
      `Cannot use ${label} as it must be 32 bytes: current length is ${raw.length} bytes`,
    );
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", raw));
  const kid = Array.from(
    digest.slice(0, 4),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
  const key = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, [
    "encrypt",
    "decrypt",
  ]);
  return { kid, key };
}

/** Builds a cipher from the current key and optional older keys. */
export async function createTokenCipher(
  opts: TokenCipherOptions,
): Promise<TokenCipher> {
  const current = await importKey(opts.key, "the encryption key");
  const keys = new Map<string, CryptoKey>([[current.kid, current.key]]);
  for (const [i, k] of (opts.oldKeys ?? []).entries()) {
    const old = await importKey(k, `old encryption key ${i + 1}`);
    if (!keys.has(old.kid)) keys.set(old.kid, old.key);
  }
  return {
    keyId: current.kid,
    async encrypt(plaintext, aad) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const ct = await crypto.subtle.encrypt(
        { name: "AES-GCM", iv, additionalData: enc.encode(aad) },
        current.key,
        enc.encode(plaintext),
      );
      return `v1.${current.kid}.${toB64url(iv)}.${
        toB64url(new Uint8Array(ct))
      }`;
    },
    async decrypt(stored, aad) {
      const parts = stored.split(".");
      if (parts.length !== 4 || parts[0] !== "v1") {
        throw new TokenDecryptError(
          "Cannot decrypt the stored value as it is not in the v1 format",
          null,
        );
      }
      const [, kid, ivText, ctText] = parts as [string, string, string, string];
      const key = keys.get(kid);
      if (!key) {
        throw new TokenDecryptError(
          `Cannot decrypt the stored value as no configured key has key id ${kid}`,
          kid,
        );
      }
      try {
        const pt = await crypto.subtle.decrypt(
          {
            name: "AES-GCM",
            iv: fromB64(ivText),
            additionalData: enc.encode(aad),
          },
          key,
          fromB64(ctText),
        );
        return dec.decode(pt);
      } catch {
        throw new TokenDecryptError(
          `Cannot decrypt the stored value (key id ${kid}): it was tampered with or belongs to another record`,
          kid,
        );
      }
    },
  };
}

/** A new random key: base64 of 32 bytes. */
export function generateKey(): string {
  const raw = crypto.getRandomValues(new Uint8Array(32));
  let bin = "";
  for (const b of raw) bin += String.fromCharCode(b);
  return btoa(bin);
}
