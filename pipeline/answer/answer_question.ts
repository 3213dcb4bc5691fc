/**
 * Grounded, extractive answers: each ask of the email is looked up in the
 * knowledge base, and the reply quotes the sentences that answer it. When
 * any ask's best match is under the threshold, there is no answer
 * (`no_kb_match`), so a person handles the email.
 * @module
 */
import type { Retriever } from "../ports.ts";
import type { ParsedEmail } from "../types.ts";
import { tokenize } from "../knowledge/tokenize.ts";
import { extractAsks, isAsk, splitSentences } from "./asks.ts";
import { chooseSection } from "./choose_section.ts";
import { renderAnswer } from "./answer_template.ts";
import { askProfile } from "./sentence_score.ts";

/** Settings of `answerQuestion`. */
export interface AnswerConfig {
  /** Least idf-weighted share of an ask's terms the best section must hold (ANSWER_THRESHOLD). */
  answerThreshold: number;
  signature: string;
  shopName: string;
}

/** An answer, or why there is none. */
export type AnswerResult =
  | {
    ok: true;
    reply: string;
    sources: string[];
    confidence: number;
    /** The KB sentences quoted, one list per ask (the reply's facts). */
    paragraphs: string[][];
    /** Titles of the source documents, as listed in the reply. */
    sourceTitles: string[];
  }
  | { ok: false; reason: "no_kb_match"; sources: string[]; confidence: number };

/** Most asks answered in one reply; an email with more goes to a person. */
export const MAX_ASKS = 4;
const CANDIDATES = 5;
/** Sections read when choosing the one whose sentences answer best. */
const CHOICES = 8;
/** A one-term ask that this many sections fully match is too vague to answer. */
const VAGUE_MATCHES = 3;

/** Removes order ids, amounts and addresses so they do not count as unknown terms. */
export function askQuery(ask: string): string {
  return ask.replace(/\b[\w.+-]+@[\w.-]+\b/g, " ").replace(
    /\bORD[-_ ]?\d+\b/gi,
    " ",
  )
    .replace(/#?\d[\d,.]*/g, " ").replace(/\s+/g, " ").trim();
}

/**
 * "Can you tell me about my order?": one common term matches many sections
 * equally; no section is the answer.
 */
function isVague(query: string, hits: { score: number }[]): boolean {
  return new Set(tokenize(query)).size < 2 &&
    hits.slice(0, CANDIDATES).filter((h) => h.score >= 0.999).length >=
      VAGUE_MATCHES;
}

/** Answers a question from the knowledge base, or says it cannot. */
export async function answerQuestion(
  email: ParsedEmail,
  deps: { retriever: Retriever; config: AnswerConfig },
): Promise<AnswerResult> {
  const body = email.cleanText || email.text;
  const asks = extractAsks(email.subject, body);
  // The statements around the asks ("My order already shipped.") help to
  // pick the answering sentence; they never decide whether to answer.
  const context = [
    email.subject,
    ...splitSentences(body).filter((s) => !isAsk(s)),
  ].join(" ");
  if (asks.length === 0 || asks.length > MAX_ASKS) {
    return { ok: false, reason: "no_kb_match", sources: [], confidence: 0 };
  }
  const paragraphs: string[][] = [];
  const sources: string[] = [];
  const titles: string[] = [];
  const used = new Set<string>();
  let confidence = 1;
  let previous: string | null = null;
  for (const ask of asks) {
    let query = askQuery(ask);
    let hits = await deps.retriever.search(query, CHOICES);
    let vague = isVague(query, hits);
    let lead = "";
    if (
      previous !== null &&
      (vague || (hits[0]?.score ?? 0) < deps.config.answerThreshold)
    ) {
      // "What is your refund policy? How many days do I have?": a follow-up
      // ask leans on the one before it; read it in that context.
      const joined = `${previous} ${query}`;
      const again = await deps.retriever.search(joined, CHOICES);
      if ((again[0]?.score ?? 0) >= deps.config.answerThreshold) {
        lead = previous;
        query = joined;
        hits = again;
        vague = isVague(query, hits);
      }
    }
    previous = query;
    const best = hits[0];
    confidence = Math.min(confidence, vague ? 0 : best?.score ?? 0);
    if (!best || vague || best.score < deps.config.answerThreshold) {
      return {
        ok: false,
        reason: "no_kb_match",
        sources: [...sources, ...hits.slice(0, 3).map((h) => h.id)].filter((
          v,
          i,
          a,
        ) => a.indexOf(v) === i),
        confidence: Math.max(0, Math.min(1, confidence)),
      };
    }
    const profile = askProfile(ask, `${context} ${lead}`);
    const choice = chooseSection(profile, hits, deps.config.answerThreshold) ??
      { hit: best, sentences: [] };
    const picked = choice.sentences.filter((s) => !used.has(s));
    picked.forEach((s) => used.add(s));
    if (picked.length > 0) paragraphs.push(picked);
    if (!sources.includes(choice.hit.id)) sources.push(choice.hit.id);
    if (!titles.includes(choice.hit.title)) titles.push(choice.hit.title);
  }
  if (paragraphs.length === 0) {
    return { ok: false, reason: "no_kb_match", sources, confidence: 0 };
  }
  const reply = renderAnswer({
    from: email.from,
    paragraphs,
    sourceTitles: titles,
    signature: deps.config.signature,
  });
  return {
    ok: true,
    reply,
    sources,
    confidence: Math.max(0, Math.min(1, confidence)),
    paragraphs,
    sourceTitles: titles,
  };
}
