/**
 * The reply template: greeting by name when known, the answer paragraphs
 * (knowledge-base sentences, verbatim), the source titles, the line about
 * reaching a person, and the configured signature. Nothing else.
 * @module
 */
import type { Address } from "../types.ts";

/** The line that tells the customer how to reach a person. */
export const HUMAN_LINE =
  'If you would like a person to help, just reply with the word "human".';

const NOT_A_NAME =
  /^(info|support|admin|sales|contact|noreply|no-reply|team|customer|service|office|mr|mrs|ms|dr)$/i;

/** "Hi Jane," from the sender's display name, else "Hello,". */
export function greeting(from: Address | null): string {
  const raw = (from?.name ?? "").replace(/["']/g, "").trim();
  if (!raw || raw.includes("@")) return "Hello,";
  // "Doe, Jane" → Jane; "Jane Doe" → Jane
  const first =
    (raw.includes(",") ? raw.split(",")[1] ?? "" : raw).trim().split(
      /\s+/,
    )[0] ?? "";
  if (!/^\p{Lu}[\p{L}'-]{1,30}$/u.test(first) || NOT_A_NAME.test(first)) {
    return "Hello,";
  }
  return `Hi ${first},`;
}

/** Builds the reply text. */
export function renderAnswer(input: {
  from: Address | null;
  paragraphs: string[][];
  sourceTitles: string[];
  signature: string;
}): string {
  const parts = [
    greeting(input.from),
    ...input.paragraphs.map((p) => p.join(" ")),
    `Sources: ${input.sourceTitles.join(", ")}`,
    HUMAN_LINE,
    input.signature.trim(),
  ];
  return parts.join("\n\n") + "\n";
}
