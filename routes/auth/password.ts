/**
 * Constant-time password check: both sides are hashed with SHA-256 and the
 * digests compared without an early exit.
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
