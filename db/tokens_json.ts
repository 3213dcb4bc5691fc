/**
 * Validation of decrypted token blobs (shared by both store backends).
 * @module
 */
import { z } from "zod";
import type { Tokens } from "../pipeline/types.ts";

const tokensSchema = z.object({
  accessToken: z.string().nullable(),
  refreshToken: z.string(),
  expiryDate: z.number().nullable(),
  scope: z.string().optional(),
});

/** Parses a decrypted token blob; throws a clear error when malformed. */
export function parseTokens(json: string): Tokens {
  const r = tokensSchema.safeParse(JSON.parse(json));
  if (!r.success) {
    throw new Error(
      "Cannot read the stored tokens as they do not have the expected fields",
    );
  }
  return r.data;
}
