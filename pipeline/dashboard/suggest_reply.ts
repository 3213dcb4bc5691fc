/**
 * The reply a person starts from on a review item: the agent's own draft
 * when it answered part of the email (`suggested_reply` on the decision),
 * else a draft built from the knowledge-base sections it found (each
 * section's first sentences), else nothing. Pure: the caller passes the
 * decision and the current sections. Never sent as is: the page marks it
 * as a suggestion for the person to check and edit.
 * @module
 */
import type { Decision } from "../types.ts";

/** A knowledge-base section as the suggestion reads it. */
export interface SuggestSection {
  id: string;
  title: string;
  heading: string;
  text: string;
}

/** A suggested reply and what it was built from. */
export interface SuggestedReply {
  text: string;
  /** "agent": the decision's draft; "sections": built from its sources. */
  basis: "agent" | "sections";
  /** The section ids it quotes. */
  sources: string[];
}

/** Most sentences quoted from one section. */
const SENTENCES_PER_SECTION = 3;
/** Most sections quoted. */
const MAX_SECTIONS = 2;

/** The suggestion for a decision, or null when there is nothing to start from. */
export function suggestReply(
  input: {
    decision: Decision | null;
    sections: readonly SuggestSection[];
    signature: string;
  },
): SuggestedReply | null {
  const d = input.decision;
  if (!d) return null;
  const draft = (d as Decision & { suggested_reply?: unknown }).suggested_reply;
  if (typeof draft === "string" && draft.trim() !== "") {
    return { text: draft, basis: "agent", sources: d.sources };
  }
  const byId = new Map(input.sections.map((s) => [s.id, s]));
  const used = d.sources.map((id) => byId.get(id)).filter((s) =>
    s !== undefined
  ).slice(0, MAX_SECTIONS);
  if (used.length === 0) return null;
  const paragraphs = used.map((s) => firstSentences(s.text));
  const text = [
    "Hello,",
    ...paragraphs,
    `Kind regards,\n${input.signature.trim()}`,
  ].join("\n\n") + "\n";
  return { text, basis: "sections", sources: used.map((s) => s.id) };
}

/** The first sentences of a section's text, on one line. */
function firstSentences(text: string): string {
  const flat = text.replace(/^\s*[-*]\s+/gm, "").replace(/\s+/g, " ").trim();
  const sentences = flat.match(/[^.!?]+[.!?]+(?=\s|$)|[^.!?]+$/g) ?? [flat];
  return sentences.slice(0, SENTENCES_PER_SECTION).map((s) => s.trim())
    .join(" ");
}
