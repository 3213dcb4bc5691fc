/**
 * Constant-time comparisons: the admin password (both sides hashed with
 * SHA-256, digests compared without an early exit) and CSRF tokens.
 * @module
 */

const enc = new TextEncoder();

/** True when `given` equals `expected`, in time independent of the content. */
export async function passwordMatches(
  given: string,
  expected: string,
): Promise<boolean> {
  const [a, b] = await Promise.all([
    crypto.subtle.digest("SHA-256", enc.encode(given)),
    crypto.subtle.digest("SHA-256", enc.encode(expected)),
  ]);
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}

/** True when two strings are equal; the time depends only on their length. */
export function sameString(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
