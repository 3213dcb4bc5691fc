/**
 * The OpenID Connect userinfo call: which Google account an access token
 * belongs to. Honours `GOOGLE_BASE_URL`.
 * @module
 */
import { z } from "zod";
import { googleEndpoints } from "./oauth_client.ts";

const UserInfo = z.object({
  email: z.string().min(3),
  email_verified: z.boolean().optional(),
});

/** The verified email address of the token's owner. Throws on any failure. */
export async function fetchUserEmail(
  accessToken: string,
  baseUrl: string | null,
  opts: { signal?: AbortSignal } = {},
): Promise<string> {
  const res = await fetch(googleEndpoints(baseUrl).userinfo, {
    headers: { authorization: `Bearer ${accessToken}` },
    signal: opts.signal ?? AbortSignal.timeout(30_000),
  });
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`userinfo answered HTTP ${res.status}`);
  }
  const parsed = UserInfo.safeParse(await res.json());
  if (!parsed.success) throw new Error("userinfo answered without an email");
  if (parsed.data.email_verified === false) {
    throw new Error("the Google account's email is not verified");
  }
  return parsed.data.email.toLowerCase();
}
