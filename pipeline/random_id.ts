/**
 * Random URL-safe ids (session ids, CSRF tokens, OAuth state).
 * @module
 */

/** A random URL-safe id of `bytes` random bytes (base64url, no padding). */
export function randomId(bytes = 32): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...b)).replace(/\+/g, "-").replace(
    /\//g,
    "_",
  ).replace(/=+$/, "");
}
